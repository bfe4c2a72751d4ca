package store

import (
	"context"
	"time"
)

// The insight reads below feed the dashboard and the weekly digest. Each
// counts over the people a viewer's insight covers: the viewer and everyone
// below them in the manager chain, or everyone when the viewer holds the hr
// role (admin alone is not enough: it administers perfbot, it does not read
// people's numbers). The query itself enforces it, as for check-ins; System
// covers everyone. They return counts, never what anyone wrote.

// ParticipationCell is one team's check-ins for one period: the rounds
// opened, submitted and skipped, and the moods given (how many and their
// sum, so a group's mean can be shown only when it is large enough).
type ParticipationCell struct {
	TeamID    int64
	Period    string
	Rounds    int
	Submitted int
	Skipped   int
	Moods     int
	MoodSum   int
}

// RequestWait is one feedback request made of a person in the viewer's
// insight, with when it was made and answered (zero while open).
type RequestWait struct {
	AskedID    int64
	TeamID     int64
	CreatedAt  time.Time
	AnsweredAt time.Time
	Declined   bool
}

// KudosFlowRow is the praise given from one team to another under one
// company value ("" when untagged) in a range: how often, and its points.
type KudosFlowRow struct {
	FromTeamID int64
	ToTeamID   int64
	Value      string
	Count      int
	Points     int
}

// Member is a person and their team (0: none).
type Member struct {
	PersonID int64
	TeamID   int64
}

// WaitingReviews are one person's submitted check-ins their manager has
// not reviewed: how many, and the oldest.
type WaitingReviews struct {
	PersonID int64
	TeamID   int64
	Count    int
	// Oldest is when the oldest was submitted, and OldestPeriod its period.
	Oldest       time.Time
	OldestPeriod string
}

// BroadcastReads is how many people in the viewer's insight were sent a
// broadcast, and how many of them acknowledged it.
type BroadcastReads struct {
	ID        int64
	Text      string
	Ack       bool
	CreatedAt time.Time
	Sent      int
	Acked     int
}

// InsightStore is the dashboard's reads (see above).
type InsightStore interface {
	// InsightPeople lists the people v's insight covers, by id.
	InsightPeople(ctx context.Context, v Viewer) ([]int64, error)
	// Participation counts the rounds of periods [from, to] (ISO weeks,
	// inclusive), by team (0: no team) and period.
	Participation(ctx context.Context, v Viewer, fromPeriod, toPeriod string) ([]ParticipationCell, error)
	// RequestWaits lists the feedback requests made in [from, to).
	RequestWaits(ctx context.Context, v Viewer, from, to time.Time) ([]RequestWait, error)
	// KudosFlow counts praise given in [from, to) whose giver or recipient
	// the insight covers, by giver's team, recipient's team and value.
	KudosFlow(ctx context.Context, v Viewer, from, to time.Time) ([]KudosFlowRow, error)
	// WithoutFeedback lists the people who received no feedback (praise
	// or SBI) since since, by id.
	WithoutFeedback(ctx context.Context, v Viewer, since time.Time) ([]Member, error)
	// WaitingReviews counts, per person, the submitted, unreviewed
	// check-ins submitted in [from, before) (a zero from is open), the
	// longest waiting first.
	WaitingReviews(ctx context.Context, v Viewer, from, before time.Time) ([]WaitingReviews, error)
	// BroadcastReadRates lists the newest limit broadcasts sent to anyone
	// the insight covers, newest first.
	BroadcastReadRates(ctx context.Context, v Viewer, limit int) ([]BroadcastReads, error)
}
