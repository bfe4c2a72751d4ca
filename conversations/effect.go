package conversations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Writer is what effects write to. store.Store satisfies it; the engine
// hands effects the store of one transaction, so a step's writes are all
// kept or none are.
type Writer interface {
	SaveRound(ctx context.Context, r *store.Round) error
	SaveGoal(ctx context.Context, g *store.Goal) error
	SaveVoiceNote(ctx context.Context, n *store.VoiceNote) error
	SavePerson(ctx context.Context, p *bot.Person) error
	SaveFeedback(ctx context.Context, f *store.Feedback) error
	SaveFeedbackRequest(ctx context.Context, r *store.FeedbackRequest) error
	CreateBroadcast(ctx context.Context, b *store.Broadcast, recipients []int64) (bool, error)
	Ack(ctx context.Context, broadcastID, personID int64, at time.Time) (bool, error)
	Audit(ctx context.Context, e store.AuditEntry) error
	SaveObjective(ctx context.Context, o *store.Objective) error
	AddProgress(ctx context.Context, u *store.ProgressUpdate) (bool, error)
	SaveGoalChange(ctx context.Context, c *store.GoalChange) error
}

// Effect is one write a step decided on. Apply does it; a new flow adds
// its own Effect types and the engine applies them like any other.
type Effect interface {
	Apply(ctx context.Context, w Writer) error
}

// Binder is an effect that creates records the step's messages name by
// placeholder: after Apply, Bind puts the new ids into out.
type Binder interface {
	Bind(out []Outbound)
}

// Keyed is an effect that creates records idempotently: Key gives it the
// key of the event the step runs for (see the engine's dedup keys), so a
// step run again finds what an earlier run saved instead of saving twice.
type Keyed interface {
	Key(base string)
}

// Apply applies res's effects in order, then binds the new ids into its
// messages. Run it in one transaction: when it fails, the caller drops
// everything it wrote, and res too.
func (res *Result) Apply(ctx context.Context, w Writer) error {
	for _, e := range res.Effects {
		if err := e.Apply(ctx, w); err != nil {
			return err
		}
	}
	for _, e := range res.Effects {
		if b, ok := e.(Binder); ok {
			b.Bind(res.Out)
		}
	}
	return nil
}

// Key names, after base, the records res creates that take a key.
func (res *Result) Key(base string) {
	for _, e := range res.Effects {
		if k, ok := e.(Keyed); ok {
			k.Key(base)
		}
	}
}

// SaveRound saves a round, optimistically: store.ErrConflict when it
// changed since the step read it.
type SaveRound struct{ Round *store.Round }

// Apply implements Effect.
func (e SaveRound) Apply(ctx context.Context, w Writer) error {
	if err := w.SaveRound(ctx, e.Round); err != nil {
		return fmt.Errorf("save round: %w", err)
	}
	return nil
}

// SaveGoal saves a goal whose progress changed.
type SaveGoal struct{ Goal store.Goal }

// Apply implements Effect.
func (e SaveGoal) Apply(ctx context.Context, w Writer) error {
	g := e.Goal
	if err := w.SaveGoal(ctx, &g); err != nil {
		return fmt.Errorf("save goal: %w", err)
	}
	return nil
}

// SaveVoiceNote saves a voice note.
type SaveVoiceNote struct{ Note *store.VoiceNote }

// Apply implements Effect.
func (e SaveVoiceNote) Apply(ctx context.Context, w Writer) error {
	if err := w.SaveVoiceNote(ctx, e.Note); err != nil {
		return fmt.Errorf("save voice note: %w", err)
	}
	return nil
}

// SavePerson saves a person (their absence changed).
type SavePerson struct{ Person *bot.Person }

// Apply implements Effect.
func (e SavePerson) Apply(ctx context.Context, w Writer) error {
	if err := w.SavePerson(ctx, e.Person); err != nil {
		return fmt.Errorf("save person: %w", err)
	}
	return nil
}

// SaveFeedback saves feedback and a feedback request, and, once saved,
// names them in the buttons that used placeholders for them (see
// pendingFeedback). A step has at most one.
type SaveFeedback struct {
	Feedback []store.Feedback
	Request  *store.FeedbackRequest
	ids      []int64
	request  int64
}

// Apply implements Effect.
func (e *SaveFeedback) Apply(ctx context.Context, w Writer) error {
	e.ids = make([]int64, len(e.Feedback))
	for i := range e.Feedback {
		f := e.Feedback[i]
		if err := w.SaveFeedback(ctx, &f); err != nil {
			return fmt.Errorf("save feedback: %w", err)
		}
		e.ids[i] = f.ID
	}
	if r := e.Request; r != nil {
		cp := *r
		BindRequest(&cp, e.ids)
		if err := w.SaveFeedbackRequest(ctx, &cp); err != nil {
			return fmt.Errorf("save feedback request: %w", err)
		}
		e.request = cp.ID
	}
	return nil
}

// Bind implements Binder.
func (e *SaveFeedback) Bind(out []Outbound) { Bind(out, e.ids, e.request) }

// Key implements Keyed: feedback i is base+i, the request base+"request".
func (e *SaveFeedback) Key(base string) {
	for i := range e.Feedback {
		if e.Feedback[i].ID == 0 {
			e.Feedback[i].DedupKey = base + strconv.Itoa(i)
		}
	}
	if r := e.Request; r != nil && r.ID == 0 {
		r.DedupKey = base + "request"
	}
}

// CreateBroadcast creates a broadcast and its deliveries, and audits it
// when it is new: a retried step, its broadcast keyed by the event, creates
// and audits nothing more.
type CreateBroadcast struct {
	NewBroadcast
	ActorID int64
	At      time.Time
}

// Apply implements Effect.
func (e CreateBroadcast) Apply(ctx context.Context, w Writer) error {
	b := e.Broadcast
	created, err := w.CreateBroadcast(ctx, &b, e.Recipients)
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	if !created {
		return nil
	}
	return Audit{store.AuditEntry{At: e.At, ActorID: e.ActorID, Action: "broadcast.create",
		Object: fmt.Sprintf("broadcast:%d", b.ID), Detail: fmt.Sprintf("%d recipients, ack %t", len(e.Recipients), b.Ack)}}.Apply(ctx, w)
}

// AckBroadcast records that a person read a broadcast.
type AckBroadcast struct {
	Broadcast, Person int64
	At                time.Time
}

// Apply implements Effect. A button of a broadcast the person was not sent
// records nothing.
func (e AckBroadcast) Apply(ctx context.Context, w Writer) error {
	if _, err := w.Ack(ctx, e.Broadcast, e.Person, e.At); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("ack broadcast: %w", err)
	}
	return nil
}

// Audit writes an audit entry, in the transaction of the write it records.
type Audit struct{ Entry store.AuditEntry }

// Apply implements Effect.
func (e Audit) Apply(ctx context.Context, w Writer) error {
	if err := w.Audit(ctx, e.Entry); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
