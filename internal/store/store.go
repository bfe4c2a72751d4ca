package store

import (
	"context"
	"errors"
	"time"

	"github.com/perfbot/perfbot/bot"
)

var (
	// ErrNotFound is returned when a record does not exist, or the viewer
	// may not see it (so its existence is not disclosed).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict is returned by SaveRound when the round changed since it
	// was read, and by unique constraints (a second person with one email).
	ErrConflict = errors.New("store: conflict")
	// ErrForbidden is returned when the viewer may not make a request at
	// all, such as reading statistics over everyone, where there is no one
	// record whose existence could be hidden.
	ErrForbidden = errors.New("store: forbidden")
)

// Viewer is the person on whose behalf a check-in is read.
type Viewer int64

// System reads as perfbot itself (the CLI, the scheduler, exports run by an
// operator): it sees everything.
const System Viewer = -1

// PeopleFilter narrows People. Zero fields do not filter.
type PeopleFilter struct {
	TeamID    int64
	ManagerID int64
	Away      bool // only people out of office
}

// RoundFilter narrows Rounds. Zero fields do not filter.
type RoundFilter struct {
	PersonID   int64
	TeamID     int64
	FromPeriod string // inclusive, e.g. "2026-W40"
	ToPeriod   string // inclusive
	Status     Status
	// RemindDue selects rounds whose RemindAt is set and not after it.
	RemindDue time.Time
}

// InboxStore is the durable inbox of inbound events (bot.Inbox), and its
// upkeep.
type InboxStore interface {
	bot.Inbox
	// PurgeInbox deletes the events done before before, whose keys no
	// platform redelivery needs any more, and returns how many.
	PurgeInbox(ctx context.Context, before time.Time) (int, error)
	// FailedEvents counts the events given up for good (kept, with why,
	// for whoever looks into them) since since; the zero since counts all.
	FailedEvents(ctx context.Context, since time.Time) (int, error)
}

// Store is the interface every database implements.
type Store interface {
	// Migrate applies the embedded migrations. Safe to call from several
	// replicas at once.
	Migrate(ctx context.Context) error
	Ping(ctx context.Context) error
	Close() error
	// InTx runs fn in one transaction: if fn returns an error nothing it
	// wrote is kept.
	InTx(ctx context.Context, fn func(Store) error) error

	// SavePerson inserts p (when p.ID is 0, setting it) or updates it,
	// replacing its identities. An email or identity another person has is
	// ErrConflict.
	SavePerson(ctx context.Context, p *bot.Person) error
	Person(ctx context.Context, id int64) (bot.Person, error)
	PersonByEmail(ctx context.Context, email string) (bot.Person, error)
	PersonByIdentity(ctx context.Context, id bot.Identity) (bot.Person, error)
	People(ctx context.Context, f PeopleFilter) ([]bot.Person, error)
	// ClearAway ends person id's absence if it is still until, and reports
	// whether it did.
	ClearAway(ctx context.Context, id int64, until string) (bool, error)

	SaveTeam(ctx context.Context, t *Team) error
	Team(ctx context.Context, id int64) (Team, error)
	TeamByName(ctx context.Context, name string) (Team, error)
	Teams(ctx context.Context) ([]Team, error)
	// DeleteTeam deletes team id (ErrNotFound if there is none); its
	// members and their rounds are left without a team.
	DeleteTeam(ctx context.Context, id int64) error

	SaveGoal(ctx context.Context, g *Goal) error
	Goals(ctx context.Context, personID int64) ([]Goal, error)

	// OpenRound returns the round of r.PersonID for r.Period, creating it
	// from r when there is none; created says which.
	OpenRound(ctx context.Context, r Round) (round Round, created bool, err error)
	// Round reads one round as v sees it.
	Round(ctx context.Context, v Viewer, id int64) (Round, error)
	RoundByPeriod(ctx context.Context, v Viewer, personID int64, period string) (Round, error)
	// Rounds lists the rounds v may see, ordered by period then person.
	Rounds(ctx context.Context, v Viewer, f RoundFilter) ([]Round, error)
	// SaveRound writes r if r.Version is still the stored version
	// (ErrConflict otherwise) and increments r.Version.
	SaveRound(ctx context.Context, r *Round) error

	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, object string, limit int) ([]AuditEntry, error)

	// SaveVoiceNote inserts n (when n.ID is 0, setting it) or updates it.
	SaveVoiceNote(ctx context.Context, n *VoiceNote) error
	// VoiceNote reads one voice note as v sees it: only its person and
	// perfbot itself may.
	VoiceNote(ctx context.Context, v Viewer, id int64) (VoiceNote, error)
	// VoiceNotes lists a person's voice notes, oldest first, as v sees them.
	VoiceNotes(ctx context.Context, v Viewer, personID int64) ([]VoiceNote, error)
	// VoiceNotesWaiting lists the ids of notes still to be transcribed,
	// oldest first: pending ones, and those whose work stalled (a replica
	// died) before staleBefore; the zero staleBefore counts none as stalled.
	VoiceNotesWaiting(ctx context.Context, staleBefore time.Time, limit int) ([]int64, error)
	// ClaimVoiceNote marks a waiting note as being worked on, counting the
	// attempt, and returns it; ok is false when another worker has it.
	ClaimVoiceNote(ctx context.Context, id int64, staleBefore time.Time) (n VoiceNote, ok bool, err error)
	// PurgeVoice drops the audio of notes that are confirmed or discarded,
	// or received before audioBefore, and the transcripts and summaries of
	// notes received before textBefore. It returns how many notes it changed.
	PurgeVoice(ctx context.Context, audioBefore, textBefore time.Time) (int, error)

	// NoteUnknown records that an identity no person has wrote to the bot.
	NoteUnknown(ctx context.Context, u Unknown) error
	Unknowns(ctx context.Context) ([]Unknown, error)

	// SigningKey returns the secret kept under name, keeping fresh under
	// it first when there is none: the first replica to ask decides, and
	// every replica gets the same secret, now and after a restart.
	SigningKey(ctx context.Context, name string, fresh []byte) ([]byte, error)

	InboxStore
	ClaimStore
	UnmatchedStore
	OutboxStore
	DeliveryStore
	BroadcastStore
	FeedbackStore
	GoalStore
	InsightStore
}
