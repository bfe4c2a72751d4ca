package engine_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/testredis"
)

// amnesiac is a dialog store that loses everything at once, as Redis
// restarted without persistence does: after forget, every key is missing.
type amnesiac struct {
	mu    sync.Mutex
	cur   dialog.Store
	fresh func() dialog.Store
}

func (a *amnesiac) store() dialog.Store { a.mu.Lock(); defer a.mu.Unlock(); return a.cur }

func (a *amnesiac) forget() { a.mu.Lock(); defer a.mu.Unlock(); a.cur = a.fresh() }

func (a *amnesiac) Get(ctx context.Context, key string) ([]byte, int64, error) {
	return a.store().Get(ctx, key)
}

func (a *amnesiac) Set(ctx context.Context, key string, version int64, value []byte, ttl time.Duration) (int64, error) {
	return a.store().Set(ctx, key, version, value, ttl)
}

func (a *amnesiac) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return a.store().Claim(ctx, key, ttl)
}

func (a *amnesiac) Release(ctx context.Context, key string) error {
	return a.store().Release(ctx, key)
}

func (a *amnesiac) Close() error { return a.store().Close() }

// emptyDialog is a new, empty dialog store on b's kind of backend: for
// Redis, keys under a prefix nothing wrote to yet.
func emptyDialog(t *testing.T, b enginetest.Backend, clock func() time.Time) dialog.Store {
	if b.Name == enginetest.Scaled.Name {
		return redisdialog.New(testredis.Client(t), redisdialog.WithPrefix(testredis.Prefix(t)))
	}
	return memory.New(clock)
}

// lossyFixture is a fixture whose dialog store can be emptied at once.
func lossyFixture(t *testing.T, b enginetest.Backend, configure ...func(*engine.Options)) (*fixture, *amnesiac) {
	var lossy *amnesiac
	f := newFixture(t, b, append(configure, func(o *engine.Options) {
		lossy = &amnesiac{cur: o.Dialog, fresh: func() dialog.Store { return emptyDialog(t, b, o.Clock) }}
		o.Dialog = lossy
	})...)
	return f, lossy
}

// Redis restarted mid-check-in: the next answer still lands on the question
// it answers, the goal's "40" included, and the check-in completes.
func TestLostDialogStateResumesTheCheckin(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f, lossy := lossyFixture(t, b)
			ctx := context.Background()
			anna := f.people["anna"].ID
			require.NoError(t, f.Store.SaveGoal(ctx, &store.Goal{PersonID: anna, Title: "Ship v2"}))
			_, err := f.Engine.Open(ctx, anna, "")
			require.NoError(t, err)
			f.click("anna", "Start")
			f.say("anna", "Shipped the importer")
			f.say("anna", "none")
			f.say("anna", "Exporter")
			require.Contains(t, f.last("anna").Text, `(4/5) How far along is "Ship v2"?`, f.transcript("anna"))

			lossy.forget()
			raw, version, err := lossy.Get(ctx, "dialog:"+strconv.FormatInt(anna, 10))
			require.NoError(t, err)
			require.Nil(t, raw)
			require.Zero(t, version, "the key is gone, as after the restart")

			f.say("anna", "40")
			require.NotContains(t, f.transcript("anna"), "didn't understand")
			r := f.round("anna")
			require.Len(t, r.Goals, 1)
			require.Equal(t, 40.0, r.Goals[0].Value, "the 40 answered the goal")
			require.Contains(t, f.last("anna").Text, "(5/5) How do you feel about this week?", f.transcript("anna"))

			f.click("anna", "4 🙂")
			require.Equal(t, "Your check-in · 2026-W48", f.last("anna").Title, f.transcript("anna"))
			f.click("anna", "Submit")
			r = f.round("anna")
			require.Equal(t, store.StatusSubmitted, r.Status)
			require.Equal(t, "Shipped the importer", r.Answer(store.QuestionDone))
			require.Equal(t, 4, r.Mood)
			require.Equal(t, "Anna 的周报 · 2026-W48", f.last("li.wei").Title)
		})
	}
}

// Redis restarted twice around a voice note: the note arriving after the
// first is still taken for the check-in under way, and its summary, shown
// before the second, is still confirmed into it.
func TestLostDialogStateKeepsTheVoiceNote(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f, lossy := lossyFixture(t, b, func(o *engine.Options) { o.Voice = &scripted{} })
			ctx := context.Background()
			_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
			require.NoError(t, err)
			f.click("anna", "Start")

			lossy.forget()
			f.voice("anna", []byte("#!AMR\n..."))
			notes := f.notes("anna")
			require.Len(t, notes, 1)
			require.Equal(t, store.VoiceCheckin, notes[0].Kind, "the round says a check-in is under way")
			_, err = f.Engine.TranscribeDue(ctx)
			require.NoError(t, err)
			require.Equal(t, "Here's what I heard", f.last("anna").Title, f.transcript("anna"))

			lossy.forget()
			f.click("anna", "Confirm")
			r := f.round("anna")
			require.Equal(t, "finished the importer", r.Answer(store.QuestionDone))
			require.Equal(t, "keys", r.Answer(store.QuestionBlockers))
			require.Contains(t, f.last("anna").Text, "(3/4) What is your plan for next week?", f.transcript("anna"))
		})
	}
}
