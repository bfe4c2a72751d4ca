package store

import (
	"context"
	"time"
)

// FeedbackKind is what a piece of feedback is.
type FeedbackKind string

// Feedback kinds.
const (
	// FeedbackPraise is kudos: a short note, maybe a company value, and
	// points. It may be public.
	FeedbackPraise FeedbackKind = "praise"
	// FeedbackSBI is structured feedback: situation, behavior, impact and an
	// optional suggestion. It is always private.
	FeedbackSBI FeedbackKind = "sbi"
)

// Reaction is how the recipient answered feedback.
type Reaction string

// Reactions.
const (
	ReactionNone   Reaction = ""
	ReactionThanks Reaction = "thanks"
	ReactionTalk   Reaction = "talk" // "let's talk": the giver is told
)

// Feedback is praise or SBI feedback one person gave another.
type Feedback struct {
	ID          int64
	Kind        FeedbackKind
	GiverID     int64
	RecipientID int64
	// Text is the praise's note (may be empty for one-tap praise).
	Text string
	// Value is the company value praise was tagged with, if any.
	Value string
	// Points is what praise gave from the giver's monthly allowance. Only
	// praise carries points.
	Points int
	// The parts of SBI feedback.
	Situation  string
	Behavior   string
	Impact     string
	Suggestion string
	// Public praise may be read by anyone (the team feed, the leaderboard);
	// everything else only as FeedbackStore says.
	Public bool
	// RequestID is the request this answers, if any.
	RequestID int64
	// RoundID is the check-in it was given on, if any.
	RoundID int64
	// Source is the business event that prompted it ("deal_won: ACME"), if any.
	Source    string
	Reaction  Reaction
	CreatedAt time.Time
	ReactedAt time.Time
	// DedupKey, when set, makes inserting it idempotent: a second insert
	// with the key saves nothing and reads back the first (see SaveFeedback).
	DedupKey string
}

// FeedbackRequest is someone asking someone else for feedback.
type FeedbackRequest struct {
	ID          int64
	RequesterID int64
	AskedID     int64
	About       string
	CreatedAt   time.Time
	// AnsweredAt and FeedbackID are set when the asked person gave it.
	AnsweredAt time.Time
	FeedbackID int64
	// Declined is set when the asked person said no.
	Declined bool
	// RoundID is the check-in it asks about, if any.
	RoundID int64
	// DedupKey, when set, makes inserting it idempotent, as for Feedback.
	DedupKey string
}

// Open reports whether the request still waits for an answer.
func (r FeedbackRequest) Open() bool { return r.AnsweredAt.IsZero() && !r.Declined }

// FeedbackFilter narrows Feedbacks. Zero fields do not filter (a zero Limit
// lists all).
type FeedbackFilter struct {
	GiverID     int64
	RecipientID int64
	Kind        FeedbackKind
	RoundID     int64
	From, To    time.Time // CreatedAt in [From, To)
	PublicOnly  bool
	Limit       int
}

// RequestFilter narrows FeedbackRequests. Zero fields do not filter.
type RequestFilter struct {
	RequesterID int64
	AskedID     int64
	RoundID     int64
	OpenOnly    bool
	// CreatedBefore selects requests made before it.
	CreatedBefore time.Time
}

// PointsRow is one line of the kudos leaderboard.
type PointsRow struct {
	PersonID int64
	Points   int
}

// FeedbackNumbers are the feedback numbers HR looks at for one person or
// one team in one UTC month.
type FeedbackNumbers struct {
	Given    int
	Received int
	// Requests is how many requests were made of the person (or of the
	// team's members) that month, counted in the month they were made;
	// Answered how many of them were answered, whenever that was.
	Requests int
	Answered int
	// AnsweredLate is how many were answered more than 48 hours after the
	// request. OpenLate is how many are neither answered nor declined and
	// were made more than 48 hours before the end of the range or now,
	// whichever is earlier. A request is in at most one of them.
	AnsweredLate int
	OpenLate     int
	// MedianAnswer is the median time from request to feedback of the
	// answered ones; 0 when none was answered.
	MedianAnswer time.Duration
}

// FeedbackStats are one person's feedback numbers for one month. TeamID is
// the person's team now, not when the feedback was given.
type FeedbackStats struct {
	PersonID int64
	TeamID   int64
	Month    string // "2026-11", in UTC
	FeedbackNumbers
}

// FeedbackTeamStats are one team's feedback numbers for one month, counted
// over the people in the team now: Given is the feedback its members gave,
// Received what they received (feedback between two members counts in
// both), and the requests are those made of its members. MedianAnswer is
// the median over all those requests, not a median of the members'
// medians.
type FeedbackTeamStats struct {
	TeamID int64
	Month  string // "2026-11", in UTC
	FeedbackNumbers
}

// FeedbackReport is what FeedbackStats returns: rows per person and rows
// per team, each by month, then id. A person or team with nothing in a
// month has no row for it, and people in no team are in no team row.
type FeedbackReport struct {
	People []FeedbackStats
	Teams  []FeedbackTeamStats
}

// FeedbackStore keeps feedback and feedback requests.
//
// Who may read what is decided here, in the queries: private feedback (all
// SBI feedback and non-public praise) is visible to its giver, its
// recipient, everyone in the recipient's manager chain, people with the hr
// role (not admin), and System; to anyone else it does not exist
// (ErrNotFound, or left out of lists). Public praise is visible to everyone.
// A request is visible to its requester, the asked person, people with the
// hr role and System. In every [from, to) a zero bound is open.
type FeedbackStore interface {
	// SaveFeedback inserts f (when f.ID is 0, setting it) or updates it;
	// updating a missing one is ErrNotFound. Inserting f with the DedupKey
	// of feedback already saved saves nothing and sets f to that feedback,
	// so a retried step gets the same record back. It refuses public SBI feedback
	// and points on anything but praise. It does not touch the request f
	// answers: save that too, in the same InTx.
	SaveFeedback(ctx context.Context, f *Feedback) error
	Feedback(ctx context.Context, v Viewer, id int64) (Feedback, error)
	// Feedbacks lists the feedback v may see, newest first.
	Feedbacks(ctx context.Context, v Viewer, f FeedbackFilter) ([]Feedback, error)
	// LastFeedback is when each of recipientIDs last received feedback v
	// may see (praise or SBI), in one read however many they are; who never
	// did is left out.
	LastFeedback(ctx context.Context, v Viewer, recipientIDs []int64) (map[int64]time.Time, error)
	// PointsGiven sums the praise points giverID gave in [from, to).
	PointsGiven(ctx context.Context, giverID int64, from, to time.Time) (int, error)
	// Leaderboard lists who received the most praise points in [from, to),
	// most first (ties by person id), at most limit rows (0: all), leaving
	// out people with no points. It counts private praise too: points are
	// public even when the note is not, and the board shows no note.
	Leaderboard(ctx context.Context, from, to time.Time, limit int) ([]PointsRow, error)

	// SaveFeedbackRequest inserts r (when r.ID is 0, setting it) or updates
	// it; a DedupKey works as for SaveFeedback.
	SaveFeedbackRequest(ctx context.Context, r *FeedbackRequest) error
	FeedbackRequest(ctx context.Context, v Viewer, id int64) (FeedbackRequest, error)
	// FeedbackRequests lists the requests v may see, oldest first.
	FeedbackRequests(ctx context.Context, v Viewer, f RequestFilter) ([]FeedbackRequest, error)

	// FeedbackStats returns, per person and per team and UTC month in
	// [from, to), the numbers HR looks at (see FeedbackReport). Only System
	// may read them: anyone else, hr included, gets ErrForbidden (it is one
	// report over everyone, not a record whose existence could be hidden).
	FeedbackStats(ctx context.Context, v Viewer, from, to time.Time) (FeedbackReport, error)
}
