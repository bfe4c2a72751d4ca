package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

var errWriteDown = errors.New("database hiccup")

// write is one write inside a transaction: the nth (from 1) of its
// transaction, by store method, with the action of an audit entry.
type write struct {
	N      int
	Method string
	Action string
}

// faultyStore is the real store whose first write inside a transaction
// that fails picks fails, once: a database hiccup half-way through a step.
type faultyStore struct {
	store.Store
	fails  func(write) bool
	failed *atomic.Bool
	n      int // writes so far in this transaction
}

func faulty(s store.Store, fails func(write) bool) *faultyStore {
	return &faultyStore{Store: s, fails: fails, failed: new(atomic.Bool)}
}

// InTx hands fn the transaction's store, wrapped to count its writes.
func (s *faultyStore) InTx(ctx context.Context, fn func(store.Store) error) error {
	return s.Store.InTx(ctx, func(tx store.Store) error {
		return fn(&faultyStore{Store: tx, fails: s.fails, failed: s.failed})
	})
}

func (s *faultyStore) hit(method, action string) error {
	s.n++
	if s.fails(write{N: s.n, Method: method, Action: action}) && s.failed.CompareAndSwap(false, true) {
		return fmt.Errorf("%s: %w", method, errWriteDown)
	}
	return nil
}

func (s *faultyStore) SaveRound(ctx context.Context, r *store.Round) error {
	if err := s.hit("SaveRound", ""); err != nil {
		return err
	}
	return s.Store.SaveRound(ctx, r)
}

func (s *faultyStore) SaveGoal(ctx context.Context, g *store.Goal) error {
	if err := s.hit("SaveGoal", ""); err != nil {
		return err
	}
	return s.Store.SaveGoal(ctx, g)
}

func (s *faultyStore) SaveVoiceNote(ctx context.Context, n *store.VoiceNote) error {
	if err := s.hit("SaveVoiceNote", ""); err != nil {
		return err
	}
	return s.Store.SaveVoiceNote(ctx, n)
}

func (s *faultyStore) SavePerson(ctx context.Context, p *bot.Person) error {
	if err := s.hit("SavePerson", ""); err != nil {
		return err
	}
	return s.Store.SavePerson(ctx, p)
}

func (s *faultyStore) SaveFeedback(ctx context.Context, f *store.Feedback) error {
	if err := s.hit("SaveFeedback", ""); err != nil {
		return err
	}
	return s.Store.SaveFeedback(ctx, f)
}

func (s *faultyStore) SaveFeedbackRequest(ctx context.Context, r *store.FeedbackRequest) error {
	if err := s.hit("SaveFeedbackRequest", ""); err != nil {
		return err
	}
	return s.Store.SaveFeedbackRequest(ctx, r)
}

func (s *faultyStore) CreateBroadcast(ctx context.Context, b *store.Broadcast, recipients []int64) (bool, error) {
	if err := s.hit("CreateBroadcast", ""); err != nil {
		return false, err
	}
	return s.Store.CreateBroadcast(ctx, b, recipients)
}

func (s *faultyStore) Ack(ctx context.Context, broadcast, person int64, at time.Time) (bool, error) {
	if err := s.hit("Ack", ""); err != nil {
		return false, err
	}
	return s.Store.Ack(ctx, broadcast, person, at)
}

func (s *faultyStore) Audit(ctx context.Context, e store.AuditEntry) error {
	if err := s.hit("Audit", e.Action); err != nil {
		return err
	}
	return s.Store.Audit(ctx, e)
}

func (f *fixture) audited(object, action string) int {
	f.t.Helper()
	log, err := f.Store.AuditLog(context.Background(), object, 1000)
	require.NoError(f.t, err)
	n := 0
	for _, e := range log {
		if e.Action == action {
			n++
		}
	}
	return n
}

// A step whose second write (its audit entry) fails keeps nothing: not the
// round it changed, not the feedback it saved, not its dialog state, and it
// sends nothing. The platform's redelivery of the same event then does the
// whole step, once.
func TestStepFailingHalfWayKeepsNothing(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name+"/answer", func(t *testing.T) {
			t.Parallel()
			var armed atomic.Bool // after the check-in started
			var fs *faultyStore
			f := newFixture(t, b, func(o *engine.Options) {
				fs = faulty(o.Store, func(w write) bool { return armed.Load() && w.N == 2 })
				o.Store = fs
			})
			ctx := context.Background()
			_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
			require.NoError(t, err)
			f.click("anna", "Start")
			before, sent := f.round("anna"), len(f.sim.DM("anna"))
			object := fmt.Sprintf("round:%d", before.ID)
			armed.Store(true)
			ev := f.event("anna", bot.Event{ID: "answer-1", Kind: bot.KindMessage, Text: "Shipped the importer"})

			require.ErrorIs(t, f.Engine.Handle(ctx, ev), errWriteDown)
			require.True(t, fs.failed.Load())
			after := f.round("anna")
			require.Equal(t, before.Version, after.Version, "the round is unchanged")
			require.Empty(t, after.Answer(store.QuestionDone))
			require.Zero(t, f.audited(object, "checkin.answer"))
			require.Len(t, f.sim.DM("anna"), sent, "no reply")

			require.NoError(t, f.Engine.Handle(ctx, ev), "the platform's redelivery")
			require.NoError(t, f.Engine.Handle(ctx, ev), "and another, a duplicate")
			after = f.round("anna")
			require.Equal(t, before.Version+1, after.Version, "saved once")
			require.Equal(t, "Shipped the importer", after.Answer(store.QuestionDone))
			require.Empty(t, after.Answer(store.QuestionBlockers))
			require.Equal(t, 1, f.audited(object, "checkin.answer"))
			require.Contains(t, f.last("anna").Text, "(2/4)", f.transcript("anna"))
			require.Len(t, f.sim.DM("anna"), sent+1, "one reply: %s", f.transcript("anna"))

			f.say("anna", "none")
			require.Contains(t, f.last("anna").Text, "(3/4)", "the dialog went on from the redelivered step")
		})
		t.Run(b.Name+"/kudos", func(t *testing.T) {
			t.Parallel()
			var fs *faultyStore
			f := newFixture(t, b, func(o *engine.Options) {
				fs = faulty(o.Store, func(w write) bool { return w.N == 2 })
				o.Store = fs
			})
			ctx := context.Background()
			ev := f.event("anna", bot.Event{ID: "kudos-1", Kind: bot.KindMessage, Text: "kudos @sam thanks for the release"})

			require.ErrorIs(t, f.Engine.Handle(ctx, ev), errWriteDown)
			require.True(t, fs.failed.Load())
			require.Empty(t, f.feedbackTo("sam"), "no feedback row")
			require.Zero(t, f.pointsGiven("anna"))
			require.Zero(t, f.audited(fmt.Sprintf("person:%d", f.people["sam"].ID), "feedback.praise"))
			require.Zero(t, f.received("sam", "🎉 Anna praised you"))

			require.NoError(t, f.Engine.Handle(ctx, ev), "the platform's redelivery")
			require.NoError(t, f.Engine.Handle(ctx, ev), "and another, a duplicate")
			given := f.feedbackTo("sam")
			require.Len(t, given, 1)
			require.Equal(t, 1, f.audited(fmt.Sprintf("person:%d", f.people["sam"].ID), "feedback.praise"))
			require.Equal(t, 1, f.received("sam", "🎉 Anna praised you"), f.transcript("sam"))
			require.Equal(t, 1, f.pointsGiven("anna"))
			require.Contains(t, f.last("anna").Text, "Points left this month: 9.")
		})
	}
}

// racingStore is the real store where, just before a transaction,
// another replica may write the person's dialog state: race runs first.
type racingStore struct {
	store.Store
	race func()
}

func (s racingStore) InTx(ctx context.Context, fn func(store.Store) error) error {
	s.race()
	return s.Store.InTx(ctx, fn)
}

// A step whose dialog state changed while it ran keeps nothing and runs
// again: the answer is saved and audited once, and answered once.
func TestStepRacedByAnotherWriterRunsAgainKeepingNothing(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var (
				f     *fixture
				armed atomic.Bool
			)
			// Once armed, the next transaction is raced: the same state is
			// written again, so only its version moves.
			race := func() {
				if !armed.CompareAndSwap(true, false) {
					return
				}
				key := fmt.Sprintf("dialog:%d", f.people["anna"].ID)
				raw, v, err := f.Dialog.Get(ctx, key)
				require.NoError(t, err)
				_, err = f.Dialog.Set(ctx, key, v, raw, time.Hour)
				require.NoError(t, err)
			}
			f = newFixture(t, b, func(o *engine.Options) { o.Store = racingStore{Store: o.Store, race: race} })
			_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
			require.NoError(t, err)
			f.click("anna", "Start")
			before, sent := f.round("anna"), len(f.sim.DM("anna"))

			armed.Store(true)
			f.say("anna", "Shipped the importer")
			require.False(t, armed.Load(), "the step was raced")

			after := f.round("anna")
			require.Equal(t, before.Version+1, after.Version, "saved once")
			require.Equal(t, "Shipped the importer", after.Answer(store.QuestionDone))
			require.Empty(t, after.Answer(store.QuestionBlockers), "the run again did not answer the next question")
			require.Equal(t, 1, f.audited(fmt.Sprintf("round:%d", before.ID), "checkin.answer"))
			require.Len(t, f.sim.DM("anna"), sent+1, "one reply: %s", f.transcript("anna"))
			require.Contains(t, f.last("anna").Text, "(2/4)")
		})
	}
}
