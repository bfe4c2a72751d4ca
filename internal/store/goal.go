package store

import (
	"context"
	"time"
)

// The goals of issue 13: objectives with key results, agreed between a
// person and their manager, aligned to team and company goals, moved by
// weekly updates and by business events. (Goal, older, is the title and
// number the org file gives a person and the check-in asks about.)

// GoalLevel is whose an objective is.
type GoalLevel string

// Goal levels.
const (
	LevelCompany GoalLevel = "company"
	LevelTeam    GoalLevel = "team"
	LevelPerson  GoalLevel = "person"
)

// GoalKind is what an objective is measured by.
type GoalKind string

// Goal kinds.
const (
	// KindOKR is an objective with one to five key results.
	KindOKR GoalKind = "okr"
	// KindKPI is a number to reach: one key result.
	KindKPI GoalKind = "kpi"
)

// GoalStatus is where an objective stands in its agreement. Only approved
// objectives count: in the roll-up, the check-in and the warnings.
type GoalStatus string

// Goal statuses.
const (
	GoalDraft    GoalStatus = "draft"    // being written by its owner
	GoalPending  GoalStatus = "pending"  // waiting for the manager
	GoalApproved GoalStatus = "approved" // agreed; it counts
	GoalChanges  GoalStatus = "changes"  // the manager asked for changes (Objective.Note)
)

// Direction says which way a key result's number should move.
type Direction string

// Directions.
const (
	Up   Direction = "up"   // more is better: deals closed
	Down Direction = "down" // less is better: open bugs, churn
)

// Confidence is the owner's view of a key result.
type Confidence string

// Confidences, best first.
const (
	OnTrack  Confidence = "on_track"
	AtRisk   Confidence = "at_risk"
	OffTrack Confidence = "off_track"
)

// Rank orders confidences: 3 on track, 2 at risk, 1 off track, 0 unset. A
// lower rank than last time is a drop.
func (c Confidence) Rank() int {
	switch c {
	case OnTrack:
		return 3
	case AtRisk:
		return 2
	case OffTrack:
		return 1
	}
	return 0
}

// Objective is a goal: an OKR objective with its key results, or a KPI with
// one.
type Objective struct {
	ID      int64
	Level   GoalLevel
	OwnerID int64
	// TeamID is the team of a team goal, whose members see it once
	// approved; 0 for the others.
	TeamID int64
	// ParentID is the goal this one supports (alignment); 0 for none.
	ParentID int64
	Kind     GoalKind
	Title    string
	// Period is a quarter ("2026-Q4"); Starts and Ends (YYYY-MM-DD,
	// inclusive) bound it, or a date range of its own when Period is "".
	Period       string
	Starts, Ends string
	Status       GoalStatus
	// Weight is its share of its parent's progress; 0 counts as 1.
	Weight float64
	// Note is what the manager asked to change (GoalChanges).
	Note       string
	ApprovedBy int64
	ApprovedAt time.Time
	// ChangedBy is who made this version: SaveObjective keeps every
	// version, with who and when.
	ChangedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
	KeyResults []KeyResult
	// DedupKey, when set, makes inserting it idempotent, as for Feedback.
	DedupKey string
}

// Counts reports whether the objective counts: it is approved.
func (o Objective) Counts() bool { return o.Status == GoalApproved }

// KeyResult is one measurable result of an objective.
type KeyResult struct {
	ID          int64
	ObjectiveID int64
	Title       string
	Unit        string // "%", "deals", "ms"; "" for a plain number
	Start       float64
	Target      float64
	Current     float64
	Direction   Direction
	Due         string // YYYY-MM-DD; "" is the objective's end
	// Weight is its share of the objective's progress; 0 counts as 1.
	Weight     float64
	Confidence Confidence
	// RequiresEvidence marks updates without a link or file "no evidence"
	// (they are kept, not refused).
	RequiresEvidence bool
	UpdatedAt        time.Time
	// Ref is the name a hook rule moves it by (key_result: in the rules
	// file), "" for none. Several people's key results may share one: a
	// rule moves the credited person's own.
	Ref string
	// Automatic is how much of Current business events added (the sum of
	// the automatic updates' changes), so that views and exports label it.
	// The store works it out when reading; saving ignores it.
	Automatic float64 `json:"-"`
}

// ProgressUpdate is one new value of a key result: typed in the check-in,
// or automatic from a business event.
type ProgressUpdate struct {
	ID          int64
	KeyResultID int64
	AuthorID    int64 // 0 for an automatic update
	// Value is the key result's value after the update, and Delta the
	// change from the value before. Given to AddProgress with Add set,
	// Value is the increment instead, and the store works out both.
	Value      float64
	Delta      float64
	Add        bool
	Confidence Confidence // "" keeps the key result's
	Why        string     // why confidence dropped
	Evidence   string     // a link
	MediaID    string     // platform media (a file, a photo)
	// Late and NoEvidence are set by AddProgress: the update came after
	// the key result's due date (At's own date, in the zone At is in, or
	// the caller says so), or without evidence where the key result
	// requires it.
	Late       bool
	NoEvidence bool
	Automatic  bool
	Source     string // the business event, for an automatic update
	At         time.Time
	DedupKey   string
}

// ProgressPoint is where a key result stood after one update, and when:
// what a line of progress over time needs of it (LatestProgress), without
// the rest of the update.
type ProgressPoint struct {
	ID          int64 // the update's
	KeyResultID int64
	Value       float64
	At          time.Time
}

// ProgressTally counts the updates of one key result, for exports: how
// many, how many late, without the evidence they needed, or automatic,
// and when the last was made.
type ProgressTally struct {
	KeyResultID int64
	Updates     int
	Late        int
	NoEvidence  int
	Automatic   int
	LastAt      time.Time
}

// ChangeStatus is where a change request stands.
type ChangeStatus string

// Change request statuses.
const (
	ChangePending  ChangeStatus = "pending"
	ChangeApproved ChangeStatus = "approved"
	ChangeRejected ChangeStatus = "rejected"
)

// GoalChange is an owner asking to change a key result's target or due
// date. The manager approves it; one of a goal aligned to a company goal
// needs someone with the hr role too (NeedsHR). It changes the key result
// only once approved by all it needs.
type GoalChange struct {
	ID          int64
	ObjectiveID int64
	KeyResultID int64
	RequesterID int64
	// NewTarget is nil, or the target asked for; NewDue "" or the day.
	NewTarget *float64
	NewDue    string
	Reason    string
	NeedsHR   bool
	Status    ChangeStatus
	ManagerBy int64
	ManagerAt time.Time
	HRBy      int64
	HRAt      time.Time
	// Note is why it was rejected.
	Note      string
	CreatedAt time.Time
	DedupKey  string
}

// Approved reports whether everyone the change needs has approved it.
func (c GoalChange) Approved() bool { return c.ManagerBy != 0 && (!c.NeedsHR || c.HRBy != 0) }

// GoalVersion is one kept version of an objective, as it was saved.
type GoalVersion struct {
	Version   int64
	ChangedBy int64
	At        time.Time
	Objective Objective
}

// ObjectiveFilter narrows Objectives. Zero fields do not filter.
type ObjectiveFilter struct {
	OwnerID int64
	// OwnerIDs selects the objectives of any of these owners (an empty
	// list does not filter): a team's or an insight's goals in one read.
	OwnerIDs []int64
	TeamID   int64
	ParentID int64
	Level    GoalLevel
	Status   GoalStatus
	Period   string
}

// ChangeFilter narrows GoalChanges. Zero fields do not filter.
type ChangeFilter struct {
	ObjectiveID int64
	RequesterID int64
	Status      ChangeStatus
}

// GoalStore keeps objectives, key results, their progress and changes.
//
// Who may read what is decided here, in the queries: an objective is
// visible to its owner, everyone in the owner's manager chain, people with
// the hr role and System; an approved company goal to everyone, and an
// approved team goal to the team's members and their manager chain. To
// anyone else it does not exist (ErrNotFound, or left out of lists). Key
// results, updates and versions go with their objective; a change request
// is visible to whoever may see its objective's owner's goals (not merely
// the approved team or company goal) and to its requester.
type GoalStore interface {
	// SaveObjective inserts o with its key results (o.ID 0, setting the
	// ids and Version 1) or, if o.Version is still the stored version
	// (ErrConflict otherwise), updates it: key results with an id are
	// updated, those without inserted and those left out deleted. Every
	// save keeps the version it made (ObjectiveVersions). A DedupKey works
	// as for SaveFeedback.
	SaveObjective(ctx context.Context, o *Objective) error
	Objective(ctx context.Context, v Viewer, id int64) (Objective, error)
	// Objectives lists what v may see, by level (company first), then id.
	Objectives(ctx context.Context, v Viewer, f ObjectiveFilter) ([]Objective, error)
	// ObjectiveVersions lists every version of an objective v may see,
	// oldest first.
	ObjectiveVersions(ctx context.Context, v Viewer, id int64) ([]GoalVersion, error)

	// AddProgress records u and moves its key result: to u.Value, or by it
	// when u.Add (an increment that concurrent ones do not lose). It sets
	// u's Value, Delta, Late and NoEvidence as kept, and reports true. A
	// DedupKey already taken records and moves nothing, reads that update
	// into u and reports false.
	AddProgress(ctx context.Context, u *ProgressUpdate) (bool, error)
	// ProgressUpdates lists a key result's updates v may see, oldest first.
	ProgressUpdates(ctx context.Context, v Viewer, keyResultID int64) ([]ProgressUpdate, error)
	// ProgressTallies counts the updates of the key results of the
	// objectives with objectiveIDs that v may see, in one read however
	// many there are; key results without updates are left out.
	ProgressTallies(ctx context.Context, v Viewer, objectiveIDs []int64) (map[int64]ProgressTally, error)
	// LatestProgress lists the points of the last n updates (n <= 0: all)
	// of each key result of the objectives with objectiveIDs that v may
	// see, oldest first, by key result id, in one read however many there
	// are; key results without updates are left out.
	LatestProgress(ctx context.Context, v Viewer, objectiveIDs []int64, n int) (map[int64][]ProgressPoint, error)

	// SaveGoalChange inserts c (c.ID 0) or updates it; a DedupKey works as
	// for SaveFeedback.
	SaveGoalChange(ctx context.Context, c *GoalChange) error
	GoalChange(ctx context.Context, v Viewer, id int64) (GoalChange, error)
	// GoalChanges lists the change requests v may see, oldest first.
	GoalChanges(ctx context.Context, v Viewer, f ChangeFilter) ([]GoalChange, error)
}
