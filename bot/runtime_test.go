package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// inboxes are the real inboxes the runtime runs on: the embedded SQLite
// and PostgreSQL.
func inboxes(t *testing.T) map[string]func(t *testing.T) store.Store {
	open := func(t *testing.T, url string) store.Store {
		s, err := sqlstore.Open(t.Context(), url, time.Now)
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}
	return map[string]func(t *testing.T) store.Store{
		"sqlite":   func(t *testing.T) store.Store { return open(t, "sqlite:"+filepath.Join(t.TempDir(), "perfbot.db")) },
		"postgres": func(t *testing.T) store.Store { return open(t, testdb.Postgres(t)) },
	}
}

// recorder is a handler that counts what it handled.
type recorder struct {
	mu      sync.Mutex
	handled map[string]int
	fn      func(ctx context.Context, ev bot.Event, n int) error
	done    chan string
}

func newRecorder(fn func(ctx context.Context, ev bot.Event, n int) error) *recorder {
	return &recorder{handled: map[string]int{}, fn: fn, done: make(chan string, 100)}
}

func (r *recorder) Handle(ctx context.Context, ev bot.Event) error {
	r.mu.Lock()
	r.handled[ev.ID]++
	n := r.handled[ev.ID]
	r.mu.Unlock()
	var err error
	if r.fn != nil {
		err = r.fn(ctx, ev, n)
	}
	if err == nil {
		r.done <- ev.ID
	}
	return err
}

func (r *recorder) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handled[id]
}

func (r *recorder) wait(t *testing.T, ids ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	timeout := time.After(10 * time.Second)
	for len(want) > 0 {
		select {
		case id := <-r.done:
			delete(want, id)
		case <-timeout:
			t.Fatalf("events not handled: %v", want)
		}
	}
}

func event(id string) bot.Event {
	return bot.Event{ID: id, Kind: bot.KindMessage, Text: "hello",
		From: bot.Identity{Platform: bot.Simulator, UserID: "ada"}}
}

// run starts rt until the test ends, and returns a func that stops it and
// waits for Run to return.
func run(t *testing.T, rt *bot.Runtime) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rt.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return stop
}

func depth(t *testing.T, s store.Store) int {
	t.Helper()
	n, _, err := s.InboxStats(t.Context())
	require.NoError(t, err)
	return n
}

func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 10*time.Millisecond, msg)
}

func TestRuntime(t *testing.T) {
	for name, open := range inboxes(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				name string
				run  func(t *testing.T, s store.Store)
			}{
				{"HandledOnce", testHandledOnce},
				{"RetriedThenFailed", testRetriedThenFailed},
				{"PanicRecovered", testPanicRecovered},
				{"CrashedReplica", testCrashedReplica},
				{"DrainHandsBack", testDrainHandsBack},
				{"BoundedWorkers", testBoundedWorkers},
				{"SettledByHandler", testSettledByHandler},
				{"InOrderPerSender", testInOrderPerSender},
				{"RetryKeepsOrder", testRetryKeepsOrder},
				{"Patient", testPatient},
				{"BacklogFirst", testBacklogFirst},
			} {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, open(t))
				})
			}
		})
	}
}

// An event is kept before Handle returns, handled once, and a platform's
// redelivery of it is acknowledged without being handled again.
func testHandledOnce(t *testing.T, s store.Store) {
	h := newRecorder(nil)
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h})
	require.NoError(t, err)
	run(t, rt)
	ctx := t.Context()
	require.NoError(t, rt.Handle(ctx, event("e1")))
	h.wait(t, "e1")
	eventually(t, func() bool { return depth(t, s) == 0 }, "settled")
	require.NoError(t, rt.Handle(ctx, event("e1")))
	require.NoError(t, rt.Poll(ctx))
	require.Equal(t, 1, h.count("e1"))
}

// A failing event is tried again with backoff until it works; one that
// never works fails for good after Attempts, and the runtime goes on.
func testRetriedThenFailed(t *testing.T, s store.Store) {
	boom := errors.New("boom")
	h := newRecorder(func(_ context.Context, ev bot.Event, n int) error {
		if ev.ID == "flaky" && n < 3 || ev.ID == "broken" {
			return boom
		}
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Attempts: 4, Poll: 10 * time.Millisecond,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	require.NoError(t, err)
	run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("flaky")))
	require.NoError(t, rt.Handle(t.Context(), event("broken")))
	h.wait(t, "flaky")
	require.Equal(t, 3, h.count("flaky"))
	eventually(t, func() bool { return depth(t, s) == 0 }, "both settled")
	require.Equal(t, 4, h.count("broken"), "tried Attempts times, then given up")
}

// A panic in a handler is recovered: that event fails, others go on.
func testPanicRecovered(t *testing.T, s store.Store) {
	h := newRecorder(func(_ context.Context, ev bot.Event, _ int) error {
		if ev.ID == "bad" {
			panic("step blew up")
		}
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Poll: 10 * time.Millisecond,
		Backoff: func(int) time.Duration { return time.Millisecond }})
	require.NoError(t, err)
	run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("bad")))
	require.NoError(t, rt.Handle(t.Context(), event("good")))
	h.wait(t, "good")
	eventually(t, func() bool { return depth(t, s) == 0 }, "the panicked event is settled as failed")
	require.Equal(t, 1, h.count("bad"), "a panic is not retried")
}

// An event a replica kept and then died with is handled by another once
// its claim runs out.
func testCrashedReplica(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, kept, err := s.KeepEvent(ctx, event("orphan"), time.Now().Add(200*time.Millisecond))
	require.NoError(t, err)
	require.True(t, kept)
	h := newRecorder(nil)
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Poll: 20 * time.Millisecond})
	require.NoError(t, err)
	run(t, rt)
	h.wait(t, "orphan")
	require.Equal(t, 1, h.count("orphan"))
}

// On shutdown, an event still being handled when Drain runs out is
// cancelled and handed back; the next process handles it.
func testDrainHandsBack(t *testing.T, s store.Store) {
	started := make(chan struct{})
	slow := newRecorder(func(ctx context.Context, ev bot.Event, _ int) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: slow, Drain: 50 * time.Millisecond})
	require.NoError(t, err)
	stop := run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("inflight")))
	<-started
	stop()
	require.Equal(t, 1, depth(t, s), "handed back, not lost")

	next := newRecorder(nil)
	rt2, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: next, Poll: 10 * time.Millisecond})
	require.NoError(t, err)
	run(t, rt2)
	next.wait(t, "inflight")
	eventually(t, func() bool { return depth(t, s) == 0 }, "settled by the next process")
}

// No more events are handled at once than there are workers; the rest
// wait in the inbox and are all handled.
func testBoundedWorkers(t *testing.T, s store.Store) {
	var now, peak atomic.Int32
	release := make(chan struct{})
	h := newRecorder(func(context.Context, bot.Event, int) error {
		n := now.Add(1)
		defer now.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Workers: 2, Poll: 10 * time.Millisecond})
	require.NoError(t, err)
	run(t, rt)
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // before the runtime stops, however the test ends
	var ids []string
	for i := range 6 {
		id := fmt.Sprint("b", i)
		ids = append(ids, id)
		ev := event(id)
		ev.From.UserID = id // six people: one sender's events would wait in line
		require.NoError(t, rt.Handle(t.Context(), ev))
	}
	eventually(t, func() bool { return now.Load() == 2 }, "two at work")
	unblock()
	h.wait(t, ids...)
	require.Equal(t, int32(2), peak.Load())
	eventually(t, func() bool { return depth(t, s) == 0 }, "all settled")
}

// While events wait in the inbox, an incoming one waits behind them
// instead of taking a free worker first: the backlog is handed out in the
// order it came, and incoming events do not hold the workers the poll
// needs to hand it out.
func testBacklogFirst(t *testing.T, s store.Store) {
	release := make(chan struct{})
	var order []string
	var mu sync.Mutex
	h := newRecorder(func(_ context.Context, ev bot.Event, _ int) error {
		mu.Lock()
		order = append(order, ev.ID)
		mu.Unlock()
		if ev.ID == "a" {
			<-release
		}
		return nil
	})
	// Not run: the test polls by hand.
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Workers: 1})
	require.NoError(t, err)
	ctx := t.Context()
	from := func(id string) bot.Event {
		ev := event(id)
		ev.From.UserID = id
		return ev
	}
	require.NoError(t, rt.Handle(ctx, from("a")))
	require.NoError(t, rt.Handle(ctx, from("b"))) // no worker free: kept waiting
	close(release)
	h.wait(t, "a")
	eventually(t, func() bool { return rt.Busy() == 0 }, "worker given back")
	// A worker is free, but b came first.
	require.NoError(t, rt.Handle(ctx, from("c")))
	require.NoError(t, rt.Poll(ctx))
	h.wait(t, "b")
	eventually(t, func() bool { return rt.Busy() == 0 }, "worker given back")
	require.NoError(t, rt.Poll(ctx))
	h.wait(t, "c")
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"a", "b", "c"}, order)
}

// A handler that records the event done in its own transaction settles
// it; the runtime then leaves it alone.
func testSettledByHandler(t *testing.T, s store.Store) {
	h := newRecorder(func(ctx context.Context, ev bot.Event, _ int) error {
		rc, ok := bot.ReceiptFrom(ctx)
		if !ok {
			return errors.New("no receipt")
		}
		if err := s.InTx(ctx, func(tx store.Store) error { return tx.EventDone(ctx, rc.Envelope) }); err != nil {
			return err
		}
		rc.Settle()
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h})
	require.NoError(t, err)
	run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("tx")))
	h.wait(t, "tx")
	eventually(t, func() bool { return depth(t, s) == 0 }, "settled by the handler")
}

func TestRuntimeJobs(t *testing.T) {
	s := inboxes(t)["sqlite"](t)
	var (
		mu    sync.Mutex
		ended []error // of the count job's runs, as OnJob heard of them
	)
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: newRecorder(nil),
		OnJob: func(name string, started time.Time, took time.Duration, err error) {
			if name != "count" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if started.IsZero() || took < 0 {
				err = errors.New("no start or a negative run")
			}
			ended = append(ended, err)
		}})
	require.NoError(t, err)
	var runs atomic.Int32
	wake := make(chan struct{}, 1)
	boom := errors.New("boom")
	rt.Schedule(bot.Job{Name: "count", Every: time.Hour, Wake: wake, Run: func(context.Context) error {
		switch runs.Add(1) {
		case 2:
			panic("a job's panic stops neither it nor the runtime")
		case 3:
			return boom
		}
		return nil
	}})
	run(t, rt)
	eventually(t, func() bool { return runs.Load() == 1 }, "runs at start")
	wake <- struct{}{}
	eventually(t, func() bool { return runs.Load() == 2 }, "and when woken")
	wake <- struct{}{}
	eventually(t, func() bool { return runs.Load() == 3 }, "and after a panic")
	eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(ended) == 3 }, "every run is told of")
	mu.Lock()
	defer mu.Unlock()
	require.NoError(t, ended[0])
	require.ErrorIs(t, ended[1], bot.ErrJobPanicked)
	require.ErrorIs(t, ended[2], boom)
}

func TestNewRuntimeChecksLeases(t *testing.T) {
	s := inboxes(t)["sqlite"](t)
	_, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: newRecorder(nil),
		StepTimeout: time.Minute, Claim: 30 * time.Second})
	require.Error(t, err, "a claim shorter than a step could be taken over mid-step")
	_, err = bot.NewRuntime(bot.RuntimeOptions{Handler: newRecorder(nil)})
	require.Error(t, err)
}

// The events of one sender are handled one at a time, in the order they
// came, however many workers are free; other senders go on meanwhile.
func testInOrderPerSender(t *testing.T, s store.Store) {
	var (
		mu    sync.Mutex
		order []string
		busy  atomic.Int32
	)
	h := newRecorder(func(_ context.Context, ev bot.Event, _ int) error {
		if ev.From.UserID == "ada" {
			if busy.Add(1) != 1 {
				return errors.New("two of ada's events at once")
			}
			defer busy.Add(-1)
			time.Sleep(5 * time.Millisecond)
		}
		mu.Lock()
		order = append(order, ev.ID)
		mu.Unlock()
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Workers: 8})
	require.NoError(t, err)
	run(t, rt)
	var ids []string
	for i := range 6 {
		id := fmt.Sprint("o", i)
		ids = append(ids, id)
		require.NoError(t, rt.Handle(t.Context(), event(id)))
	}
	other := event("other")
	other.From.UserID = "bob"
	require.NoError(t, rt.Handle(t.Context(), other))
	h.wait(t, append(ids, "other")...)
	mu.Lock()
	defer mu.Unlock()
	var ada []string
	for _, id := range order {
		if id != "other" {
			ada = append(ada, id)
		}
	}
	require.Equal(t, ids, ada)
}

// An event to be tried again is not overtaken by the sender's next one,
// which waited behind it: found by internal/faulttest, where an answer was
// saved to the question before it after a replica died.
func testRetryKeepsOrder(t *testing.T, s store.Store) {
	var (
		mu    sync.Mutex
		order []string
	)
	h := newRecorder(func(_ context.Context, ev bot.Event, n int) error {
		if ev.ID == "first" && n == 1 {
			time.Sleep(50 * time.Millisecond) // the second arrives meanwhile
			return errors.New("boom")
		}
		mu.Lock()
		order = append(order, ev.ID)
		mu.Unlock()
		return nil
	})
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h, Poll: 10 * time.Millisecond,
		Backoff: func(int) time.Duration { return 100 * time.Millisecond }})
	require.NoError(t, err)
	run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("first")))
	require.NoError(t, rt.Handle(t.Context(), event("second")))
	h.wait(t, "first", "second")
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"first", "second"}, order)
	require.Equal(t, 1, h.count("second"), "handed back untried, then handled once")
}

// patient is an adapter without an acknowledgement deadline.
type patient struct{}

func (patient) Platform() bot.Platform                                    { return bot.Simulator }
func (patient) Send(context.Context, bot.Message) (bot.MessageRef, error) { return "", nil }
func (patient) Patient()                                                  {}

// A patient adapter's event is handled by the time Handle returns.
func testPatient(t *testing.T, s store.Store) {
	h := newRecorder(func(context.Context, bot.Event, int) error { time.Sleep(20 * time.Millisecond); return nil })
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: s, Handler: h})
	require.NoError(t, err)
	rt.Register(patient{})
	run(t, rt)
	require.NoError(t, rt.Handle(t.Context(), event("p1")))
	require.Equal(t, 1, h.count("p1"), "handled before Handle returned")
}
