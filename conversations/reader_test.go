package conversations_test

import (
	"context"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// mapReader is conversations.Reader over maps and slices, as person me.
// Everyone sees every record: visibility is the store's business, tested
// there and in the engine. Feedback and requests have ids from 1, by
// position.
type mapReader struct {
	me       bot.Person
	people   []bot.Person
	teams    map[int64]store.Team
	goals    []store.Goal
	rounds   map[int64]store.Round
	feedback []store.Feedback
	requests []store.FeedbackRequest
	// given, when set, is what PointsGiven says; else it counts the
	// praise me gave.
	given   *conversations.Given
	leaders []store.PointsRow
	// objectives and changes have ids from 1, by position.
	objectives []store.Objective
	changes    []store.GoalChange
}

func (r mapReader) Person(_ context.Context, id int64) (bot.Person, error) {
	for _, p := range r.people {
		if p.ID == id {
			return p, nil
		}
	}
	return bot.Person{}, store.ErrNotFound
}

func (r mapReader) People(context.Context) ([]bot.Person, error) { return r.people, nil }

func (r mapReader) Team(_ context.Context, id int64) (store.Team, error) {
	if t, ok := r.teams[id]; ok {
		return t, nil
	}
	return store.Team{}, store.ErrNotFound
}

func (r mapReader) Goals(context.Context) ([]store.Goal, error) { return r.goals, nil }

func (r mapReader) Round(_ context.Context, id int64) (store.Round, error) {
	if x, ok := r.rounds[id]; ok {
		return x, nil
	}
	return store.Round{}, store.ErrNotFound
}

func (r mapReader) RoundByPeriod(_ context.Context, period string) (store.Round, error) {
	for _, x := range r.rounds {
		if x.PersonID == r.me.ID && x.Period == period {
			return x, nil
		}
	}
	return store.Round{}, store.ErrNotFound
}

func (mapReader) VoiceNote(context.Context, int64) (store.VoiceNote, error) {
	return store.VoiceNote{}, store.ErrNotFound
}

func (r mapReader) Feedback(_ context.Context, id int64) (store.Feedback, error) {
	if id > 0 && int(id) <= len(r.feedback) {
		return r.feedback[id-1], nil
	}
	return store.Feedback{}, store.ErrNotFound
}

func (r mapReader) FeedbackRequest(_ context.Context, id int64) (store.FeedbackRequest, error) {
	if id > 0 && int(id) <= len(r.requests) {
		return r.requests[id-1], nil
	}
	return store.FeedbackRequest{}, store.ErrNotFound
}

func (r mapReader) Feedbacks(_ context.Context, f store.FeedbackFilter) ([]store.Feedback, error) {
	var out []store.Feedback
	for _, x := range r.feedback {
		if (f.GiverID == 0 || x.GiverID == f.GiverID) && (f.RecipientID == 0 || x.RecipientID == f.RecipientID) &&
			(f.Kind == "" || x.Kind == f.Kind) && (f.RoundID == 0 || x.RoundID == f.RoundID) {
			out = append(out, x)
		}
	}
	return out, nil
}

func (r mapReader) FeedbackRequests(_ context.Context, f store.RequestFilter) ([]store.FeedbackRequest, error) {
	var out []store.FeedbackRequest
	for _, x := range r.requests {
		if (f.RequesterID == 0 || x.RequesterID == f.RequesterID) && (f.AskedID == 0 || x.AskedID == f.AskedID) &&
			(f.RoundID == 0 || x.RoundID == f.RoundID) && (!f.OpenOnly || x.Open()) {
			out = append(out, x)
		}
	}
	return out, nil
}

// PointsGiven is r.given when set (the month's for a range longer than a
// day, today's otherwise).
func (r mapReader) PointsGiven(_ context.Context, from, to time.Time) (int, error) {
	if g := r.given; g != nil {
		if to.Sub(from) > 24*time.Hour {
			return g.Month, nil
		}
		return g.Today, nil
	}
	n := 0
	for _, f := range r.feedback {
		if f.GiverID == r.me.ID {
			n += f.Points
		}
	}
	return n, nil
}

func (r mapReader) Leaderboard(context.Context, time.Time, time.Time, int) ([]store.PointsRow, error) {
	return r.leaders, nil
}

func (mapReader) Broadcast(context.Context, int64) (store.Broadcast, error) {
	return store.Broadcast{}, store.ErrNotFound
}

func (mapReader) Audience(context.Context, store.Audience) ([]int64, []string, error) {
	return nil, nil, store.ErrForbidden
}

func (mapReader) NewestBroadcast(context.Context) (store.Broadcast, error) {
	return store.Broadcast{}, store.ErrForbidden
}

func (mapReader) BroadcastStatus(context.Context, int64) (store.BroadcastStatus, error) {
	return store.BroadcastStatus{}, store.ErrForbidden
}

func (r mapReader) Objective(_ context.Context, id int64) (store.Objective, error) {
	if id > 0 && int(id) <= len(r.objectives) {
		return r.objectives[id-1], nil
	}
	return store.Objective{}, store.ErrNotFound
}

func (r mapReader) Objectives(_ context.Context, f store.ObjectiveFilter) ([]store.Objective, error) {
	var out []store.Objective
	for _, o := range r.objectives {
		if (f.OwnerID == 0 || o.OwnerID == f.OwnerID) && (f.TeamID == 0 || o.TeamID == f.TeamID) &&
			(f.ParentID == 0 || o.ParentID == f.ParentID) && (f.Level == "" || o.Level == f.Level) &&
			(f.Status == "" || o.Status == f.Status) && (f.Period == "" || o.Period == f.Period) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (r mapReader) GoalChange(_ context.Context, id int64) (store.GoalChange, error) {
	if id > 0 && int(id) <= len(r.changes) {
		return r.changes[id-1], nil
	}
	return store.GoalChange{}, store.ErrNotFound
}

func (r mapReader) GoalChanges(_ context.Context, f store.ChangeFilter) ([]store.GoalChange, error) {
	var out []store.GoalChange
	for _, c := range r.changes {
		if (f.ObjectiveID == 0 || c.ObjectiveID == f.ObjectiveID) && (f.RequesterID == 0 || c.RequesterID == f.RequesterID) &&
			(f.Status == "" || c.Status == f.Status) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (r mapReader) SignInLink(context.Context) (string, error) {
	return fmt.Sprintf("https://perfbot.test/dashboard/login?t=link-for-%d", r.me.ID), nil
}
