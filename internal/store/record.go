package store

import (
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Team is a group of people who check in together.
type Team struct {
	ID   int64
	Name string
	// Questions is the check-in template. Empty means DefaultQuestions.
	Questions []Question
	// NotifyManager sends each submitted check-in to the person's manager.
	NotifyManager bool
	// Channel, when set, also gets every submitted check-in, as much of it
	// as ChannelPosts says.
	Channel      bot.Address
	ChannelPosts ChannelPosts
	// PraiseFeed posts public praise for the team's members to Channel.
	PraiseFeed bool
	// Deadline is when a round is due, in each person's own time zone,
	// as "DAY HH:MM" (e.g. "FRI 18:00"). Empty means the end of the period.
	Deadline string
	// Cadence is when prompts go out, evaluated by the scheduler: a cron
	// expression, "every 2 weeks: CRON" or "last workday HH:MM".
	Cadence string
	// Rules are the team's own thresholds for nudges and escalations; zero
	// fields take perfbot's defaults.
	Rules TeamRules
}

// ChannelPosts is how much of each submitted check-in a team's channel
// gets. The zero value, ChannelSummary, is the default.
type ChannelPosts string

const (
	// ChannelSummary is the check-in without its mood: how someone feels
	// is for their manager, not the whole team.
	ChannelSummary ChannelPosts = ""
	// ChannelFull is the whole check-in, as the manager reads it.
	ChannelFull ChannelPosts = "full"
)

// TeamRules are a team's own thresholds for nudges and escalations. A zero
// field means perfbot's default.
type TeamRules struct {
	// NudgeHours is when nudges may reach people, e.g. "09:00-20:00" in
	// their own time; the rest of the day is quiet.
	NudgeHours string `json:"nudge_hours,omitempty"`
	// NudgeAfter is the time from the prompt to the first nudge, and
	// between nudges.
	NudgeAfter time.Duration `json:"nudge_after,omitempty"`
	// MaxNudges is how many nudges a round gets; nil is the default, 0 none.
	MaxNudges *int `json:"max_nudges,omitempty"`
	// ReviewAfter and EscalateAfter are how long a submitted check-in waits
	// for its review before the manager is reminded, and before the
	// manager's manager is told.
	ReviewAfter   time.Duration `json:"review_after,omitempty"`
	EscalateAfter time.Duration `json:"escalate_after,omitempty"`
	// NoWeeklyDigest turns off the Monday digest for the team's managers
	// and HR people.
	NoWeeklyDigest bool `json:"no_weekly_digest,omitempty"`
	// Warnings changes the early warnings on goals, by rule id (behind,
	// silent, plan: see internal/okr/rules): a zero field keeps perfbot's.
	Warnings map[string]WarningRule `json:"warnings,omitempty"`
}

// WarningRule is a team's change to one early-warning rule. A zero field
// keeps the default.
type WarningRule struct {
	Off     bool    `json:"off,omitempty"`
	Below   float64 `json:"below,omitempty"`
	Updates int     `json:"updates,omitempty"`
	Days    int     `json:"days,omitempty"`
}

// Question is one free-text question of a check-in template, in each locale.
type Question struct {
	Key  string            `json:"key"`
	Text map[string]string `json:"text"` // locale -> text
}

// The keys of the built-in questions.
const (
	QuestionDone     = "done"
	QuestionBlockers = "blockers"
	QuestionNext     = "next"
)

// DefaultQuestions is the template a team gets unless it sets its own. Its
// texts come from the translation files; Text is empty here.
var DefaultQuestions = []Question{{Key: QuestionDone}, {Key: QuestionBlockers}, {Key: QuestionNext}}

// Goal is something a person works towards and reports progress on.
type Goal struct {
	ID       int64
	PersonID int64
	Title    string
	// Target is the number that means done (e.g. 10 deals); 0 means progress
	// is a percentage.
	Target   float64
	Progress float64 // the latest reported progress
}

// Status is where a check-in round stands.
type Status string

// Round statuses.
const (
	StatusPending    Status = "pending"
	StatusInProgress Status = "in_progress"
	StatusSubmitted  Status = "submitted"
	StatusSkipped    Status = "skipped"
	StatusMissed     Status = "missed"
)

// Round is one person's check-in for one period (an ISO week, "2026-W48", by default).
type Round struct {
	ID          int64
	PersonID    int64
	TeamID      int64
	Period      string
	Status      Status
	SkipReason  string
	Answers     []Answer
	Goals       []GoalProgress
	Mood        int // 1-5; 0 means not answered
	OpenedAt    time.Time
	StartedAt   time.Time
	SubmittedAt time.Time
	UpdatedAt   time.Time
	ReviewedBy  int64
	ReviewedAt  time.Time
	// RemindAt, when set, is when to prompt again: the person asked to be
	// reminded later.
	RemindAt time.Time
	// Version increases with every save; SaveRound refuses a stale one.
	Version int64
}

// Answer is the answer to one question of the template.
type Answer struct {
	Key      string `json:"key"`
	Question string `json:"question"` // the question as the person read it
	Text     string `json:"text"`
}

// Answer returns the answer to question key, or "".
func (r Round) Answer(key string) string {
	for _, a := range r.Answers {
		if a.Key == key {
			return a.Text
		}
	}
	return ""
}

// GoalProgress is the progress reported on one goal in a round.
type GoalProgress struct {
	GoalID  int64   `json:"goal_id"`
	Title   string  `json:"title"`
	Value   float64 `json:"value"`
	Target  float64 `json:"target,omitempty"` // the goal's target then; 0 for a percentage
	Skipped bool    `json:"skipped"`
}

// AuditEntry records who did what to which record.
type AuditEntry struct {
	ID      int64
	At      time.Time
	ActorID int64  // 0 when perfbot itself or an unknown sender acted
	Actor   string // who, when ActorID does not say it (an identity, "system", "cli")
	Action  string // e.g. "checkin.submit"
	Object  string // e.g. "round:42"
	Detail  string
}

// Unknown is someone who wrote to the bot from an identity no person has.
type Unknown struct {
	Identity bot.Identity
	Name     string // the display name the platform gave, if any
	FirstAt  time.Time
	LastAt   time.Time
	Count    int
}

// VoiceNote is a voice message someone sent, kept with its audio so nothing
// is lost before it is transcribed and the person confirms what it said.
type VoiceNote struct {
	ID         int64
	PersonID   int64
	Identity   bot.Identity
	MediaID    string
	Format     string
	Audio      []byte // dropped once the summary is confirmed or discarded
	Transcript string // the platform's, then the transcriber's
	ReceivedAt time.Time
	Kind       VoiceKind
	Status     VoiceStatus
	Summary    VoiceSummary
	Error      string // why processing failed, for the person and the log
	Attempts   int
	RoundID    int64 // the check-in a confirmed summary went into
	UpdatedAt  time.Time
}

// VoiceKind is what a voice note is for.
type VoiceKind string

// Voice note kinds.
const (
	// VoiceCheckin fills the answers of the check-in under way.
	VoiceCheckin VoiceKind = "checkin"
	// VoiceNote3x3 is a weekly note for the manager: a win, something to
	// improve, a request for support.
	VoiceNote3x3 VoiceKind = "3x3"
)

// VoiceStatus is where a voice note stands.
type VoiceStatus string

// Voice note statuses.
const (
	VoicePending   VoiceStatus = "pending"   // waiting to be transcribed
	VoiceWorking   VoiceStatus = "working"   // being transcribed
	VoiceReady     VoiceStatus = "ready"     // summarised, waiting for the person
	VoiceConfirmed VoiceStatus = "confirmed" // the person confirmed the summary
	VoiceDiscarded VoiceStatus = "discarded" // the person threw it away
	VoiceFailed    VoiceStatus = "failed"    // could not be read; the audio is kept
)

// VoiceSummary is what a voice note said, in the parts of its kind.
type VoiceSummary struct {
	Done     string `json:"done,omitempty"`
	Blockers string `json:"blockers,omitempty"`
	Next     string `json:"next,omitempty"`
	Win      string `json:"win,omitempty"`
	Improve  string `json:"improve,omitempty"`
	Support  string `json:"support,omitempty"`
}
