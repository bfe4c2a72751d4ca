package conversations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// record is what a step's effects wrote, kept by a Writer in memory. New
// records get ids counting from 1 per kind.
type record struct {
	Round      *store.Round // the last round saved
	Goals      []store.Goal
	Note       *store.VoiceNote
	Person     *bot.Person
	Feedback   []store.Feedback
	Request    *store.FeedbackRequest
	Broadcasts []store.Broadcast
	Acks       []int64
	Audits     []store.AuditEntry
	Objectives []store.Objective
	Progress   []store.ProgressUpdate
	Changes    []store.GoalChange
}

// written applies res's effects to a fresh record, binding new ids into
// res.Out as the engine does, and returns what they wrote.
func written(t *testing.T, res *conversations.Result) *record {
	t.Helper()
	var r record
	require.NoError(t, res.Apply(context.Background(), &r))
	return &r
}

func (r *record) SaveRound(_ context.Context, x *store.Round) error {
	cp := *x
	r.Round = &cp
	return nil
}

func (r *record) SaveGoal(_ context.Context, g *store.Goal) error {
	r.Goals = append(r.Goals, *g)
	return nil
}

func (r *record) SaveVoiceNote(_ context.Context, n *store.VoiceNote) error {
	cp := *n
	r.Note = &cp
	return nil
}

func (r *record) SavePerson(_ context.Context, p *bot.Person) error {
	cp := *p
	r.Person = &cp
	return nil
}

func (r *record) SaveFeedback(_ context.Context, f *store.Feedback) error {
	if f.ID == 0 {
		f.ID = int64(len(r.Feedback) + 1)
	}
	r.Feedback = append(r.Feedback, *f)
	return nil
}

func (r *record) SaveFeedbackRequest(_ context.Context, q *store.FeedbackRequest) error {
	if q.ID == 0 {
		q.ID = 1
	}
	cp := *q
	r.Request = &cp
	return nil
}

func (r *record) CreateBroadcast(_ context.Context, b *store.Broadcast, _ []int64) (bool, error) {
	b.ID = int64(len(r.Broadcasts) + 1)
	r.Broadcasts = append(r.Broadcasts, *b)
	return true, nil
}

func (r *record) Ack(_ context.Context, id, _ int64, _ time.Time) (bool, error) {
	r.Acks = append(r.Acks, id)
	return true, nil
}

func (r *record) Audit(_ context.Context, e store.AuditEntry) error {
	r.Audits = append(r.Audits, e)
	return nil
}

func (r *record) SaveObjective(_ context.Context, o *store.Objective) error {
	if o.ID == 0 {
		o.ID = int64(len(r.Objectives) + 1)
	}
	o.Version++
	r.Objectives = append(r.Objectives, *o)
	return nil
}

func (r *record) AddProgress(_ context.Context, u *store.ProgressUpdate) (bool, error) {
	u.ID = int64(len(r.Progress) + 1)
	r.Progress = append(r.Progress, *u)
	return true, nil
}

func (r *record) SaveGoalChange(_ context.Context, c *store.GoalChange) error {
	if c.ID == 0 {
		c.ID = int64(len(r.Changes) + 1)
	}
	r.Changes = append(r.Changes, *c)
	return nil
}
