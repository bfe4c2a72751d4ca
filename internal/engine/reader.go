package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/store"
)

// reader is conversations.Reader over the store, read as one person: the
// store hides what they may not see.
type reader struct {
	s      store.Store
	viewer bot.Person
	links  SignInLinks
}

// SignInLinks mints one-time links to a person's dashboard
// (dashboard.Links).
type SignInLinks interface {
	Mint(person int64) string
}

var _ conversations.Reader = reader{}

func (e *Engine) reader(p bot.Person) reader { return reader{s: e.store, viewer: p, links: e.links} }

func (r reader) v() store.Viewer { return store.Viewer(r.viewer.ID) }

func (r reader) Person(ctx context.Context, id int64) (bot.Person, error) { return r.s.Person(ctx, id) }

func (r reader) People(ctx context.Context) ([]bot.Person, error) {
	return r.s.People(ctx, store.PeopleFilter{})
}

func (r reader) Team(ctx context.Context, id int64) (store.Team, error) { return r.s.Team(ctx, id) }

func (r reader) Goals(ctx context.Context) ([]store.Goal, error) { return r.s.Goals(ctx, r.viewer.ID) }

func (r reader) Round(ctx context.Context, id int64) (store.Round, error) {
	return r.s.Round(ctx, r.v(), id)
}

func (r reader) RoundByPeriod(ctx context.Context, period string) (store.Round, error) {
	return r.s.RoundByPeriod(ctx, r.v(), r.viewer.ID, period)
}

func (r reader) VoiceNote(ctx context.Context, id int64) (store.VoiceNote, error) {
	return r.s.VoiceNote(ctx, r.v(), id)
}

func (r reader) Feedback(ctx context.Context, id int64) (store.Feedback, error) {
	return r.s.Feedback(ctx, r.v(), id)
}

func (r reader) FeedbackRequest(ctx context.Context, id int64) (store.FeedbackRequest, error) {
	return r.s.FeedbackRequest(ctx, r.v(), id)
}

func (r reader) Feedbacks(ctx context.Context, f store.FeedbackFilter) ([]store.Feedback, error) {
	return r.s.Feedbacks(ctx, r.v(), f)
}

func (r reader) FeedbackRequests(ctx context.Context, f store.RequestFilter) ([]store.FeedbackRequest, error) {
	return r.s.FeedbackRequests(ctx, r.v(), f)
}

func (r reader) PointsGiven(ctx context.Context, from, to time.Time) (int, error) {
	return r.s.PointsGiven(ctx, r.viewer.ID, from, to)
}

func (r reader) Leaderboard(ctx context.Context, from, to time.Time, limit int) ([]store.PointsRow, error) {
	return r.s.Leaderboard(ctx, from, to, limit)
}

// Broadcast reads any broadcast: whether the viewer was sent it, the
// acknowledgment itself checks (and records nothing when not).
func (r reader) Broadcast(ctx context.Context, id int64) (store.Broadcast, error) {
	return r.s.Broadcast(ctx, id)
}

// hr refuses the broadcast reads to anyone without the hr role.
func (r reader) hr() error {
	if !r.viewer.Has(bot.RoleHR) {
		return fmt.Errorf("engine: broadcasts are for hr: %w", store.ErrForbidden)
	}
	return nil
}

func (r reader) Audience(ctx context.Context, a store.Audience) ([]int64, []string, error) {
	if err := r.hr(); err != nil {
		return nil, nil, err
	}
	res, err := audience.Resolve(ctx, r.s, a)
	if err != nil {
		return nil, nil, err
	}
	return res.IDs(), res.Missing, nil
}

func (r reader) NewestBroadcast(ctx context.Context) (store.Broadcast, error) {
	if err := r.hr(); err != nil {
		return store.Broadcast{}, err
	}
	newest, err := r.s.Broadcasts(ctx, 1)
	if err != nil {
		return store.Broadcast{}, err
	}
	if len(newest) == 0 {
		return store.Broadcast{}, store.ErrNotFound
	}
	return newest[0], nil
}

func (r reader) BroadcastStatus(ctx context.Context, id int64) (store.BroadcastStatus, error) {
	if err := r.hr(); err != nil {
		return store.BroadcastStatus{}, err
	}
	return r.s.BroadcastStatus(ctx, id)
}

func (r reader) Objective(ctx context.Context, id int64) (store.Objective, error) {
	return r.s.Objective(ctx, r.v(), id)
}

func (r reader) Objectives(ctx context.Context, f store.ObjectiveFilter) ([]store.Objective, error) {
	return r.s.Objectives(ctx, r.v(), f)
}

func (r reader) GoalChange(ctx context.Context, id int64) (store.GoalChange, error) {
	return r.s.GoalChange(ctx, r.v(), id)
}

func (r reader) GoalChanges(ctx context.Context, f store.ChangeFilter) ([]store.GoalChange, error) {
	return r.s.GoalChanges(ctx, r.v(), f)
}

// SignInLink mints a link for the viewer; "" when the dashboard is off.
func (r reader) SignInLink(context.Context) (string, error) {
	if r.links == nil {
		return "", nil
	}
	return r.links.Mint(r.viewer.ID), nil
}
