package conversations

import (
	"context"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Reader is what a step may read, already bound to the person it runs for
// (the viewer): a round, voice note, feedback or request they may not see
// is store.ErrNotFound, as is every missing record. The engine implements
// it over the store; tests use a map. Load calls its methods concurrently.
type Reader interface {
	Person(ctx context.Context, id int64) (bot.Person, error)
	// People lists everyone, for resolving mentions.
	People(ctx context.Context) ([]bot.Person, error)
	Team(ctx context.Context, id int64) (store.Team, error)
	// Goals are the viewer's goals.
	Goals(ctx context.Context) ([]store.Goal, error)

	Round(ctx context.Context, id int64) (store.Round, error)
	// RoundByPeriod is the viewer's round for period.
	RoundByPeriod(ctx context.Context, period string) (store.Round, error)
	VoiceNote(ctx context.Context, id int64) (store.VoiceNote, error)

	Feedback(ctx context.Context, id int64) (store.Feedback, error)
	FeedbackRequest(ctx context.Context, id int64) (store.FeedbackRequest, error)
	Feedbacks(ctx context.Context, f store.FeedbackFilter) ([]store.Feedback, error)
	FeedbackRequests(ctx context.Context, f store.RequestFilter) ([]store.FeedbackRequest, error)
	// PointsGiven is the praise points the viewer gave in [from, to).
	PointsGiven(ctx context.Context, from, to time.Time) (int, error)
	Leaderboard(ctx context.Context, from, to time.Time, limit int) ([]store.PointsRow, error)

	// Broadcast reads a broadcast, for its acknowledgment button.
	Broadcast(ctx context.Context, id int64) (store.Broadcast, error)
	// Audience, NewestBroadcast and BroadcastStatus are for people with the
	// hr role (store.ErrForbidden for anyone else).
	Audience(ctx context.Context, a store.Audience) (recipients []int64, missing []string, err error)
	NewestBroadcast(ctx context.Context) (store.Broadcast, error)
	BroadcastStatus(ctx context.Context, id int64) (store.BroadcastStatus, error)

	// The goals the viewer may see (store.GoalStore says which).
	Objective(ctx context.Context, id int64) (store.Objective, error)
	Objectives(ctx context.Context, f store.ObjectiveFilter) ([]store.Objective, error)
	GoalChange(ctx context.Context, id int64) (store.GoalChange, error)
	GoalChanges(ctx context.Context, f store.ChangeFilter) ([]store.GoalChange, error)
	// SignInLink mints a one-time link to the viewer's dashboard; "" when
	// the dashboard is off.
	SignInLink(ctx context.Context) (string, error)
}
