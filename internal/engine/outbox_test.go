package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// gate is the simulator with its next Send held up: armed, the next Send
// says it started (on blocked), then waits, whatever its context says, for
// open; it then fails with fail, or goes through.
type gate struct {
	*simulator.Adapter
	mu      sync.Mutex
	armed   bool
	fail    error
	blocked chan struct{}
	open    chan struct{}
	opened  *sync.Once
	seen    []bot.Message // every message asked to Send
}

func newGate(sim *simulator.Adapter) *gate { return &gate{Adapter: sim} }

// arm holds up the next Send until release.
func (g *gate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed, g.blocked, g.open, g.opened = true, make(chan struct{}), make(chan struct{}), new(sync.Once)
}

// release lets the held-up Send go on, failing with fail when it is set;
// the first release decides.
func (g *gate) release(fail error) {
	g.opened.Do(func() {
		g.mu.Lock()
		g.fail = fail
		g.mu.Unlock()
		close(g.open)
	})
}

func (g *gate) Send(ctx context.Context, m bot.Message) (bot.MessageRef, error) {
	g.mu.Lock()
	held := g.armed
	g.armed = false
	g.seen = append(g.seen, m)
	g.mu.Unlock()
	if held {
		close(g.blocked)
		<-g.open
		g.mu.Lock()
		fail := g.fail
		g.mu.Unlock()
		if fail != nil {
			return "", fail
		}
	}
	return g.Adapter.Send(ctx, m)
}

// waitBlocked waits for the held-up Send to start.
func (g *gate) waitBlocked(t *testing.T) {
	t.Helper()
	select {
	case <-g.blocked:
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the send was never started")
	}
}

// shown counts who's messages from perfbot whose text contains s.
func (f *fixture) shown(who, s string) int {
	n := 0
	for _, e := range f.sim.DM(who) {
		if e.From == "" && strings.Contains(e.Text, s) {
			n++
		}
	}
	return n
}

// started has Anna's check-in at its first question.
func (f *fixture) started() {
	f.t.Helper()
	_, err := f.Engine.Open(context.Background(), f.people["anna"].ID, "")
	require.NoError(f.t, err)
	f.click("anna", "Start")
	require.Equal(f.t, 1, f.shown("anna", "(1/4)"), f.transcript("anna"))
}

// A reply whose send failed is kept, and the outbox job sends it later,
// once.
func TestReplySentOnceAfterAFailedSend(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := newGate(f.sim)
		f.Engine.Register(g)
		f.started()
		g.arm()
		go g.release(fmt.Errorf("%w: platform down", bot.ErrTemporary))
		f.say("anna", "Shipped the importer")
		require.Equal(t, "Shipped the importer", f.round("anna").Answer(store.QuestionDone), "the step is kept")
		require.Zero(t, f.shown("anna", "(2/4)"), "the send failed")

		n, err := f.Engine.SendDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "not before its backoff")
		f.Clock.Set(f.Clock.Now().Add(2 * time.Second))
		n, err = f.Engine.SendDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, 1, f.shown("anna", "(2/4)"), f.transcript("anna"))
		n, err = f.Engine.SendDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "and once")
	})
}

// A reply the platform's pace has no room for before its send deadline is
// handed to the outbox job for when there is room, and such refusals,
// however many, cost none of its attempts: nothing reached the platform.
func TestPacedReplyWaitsForThePlatform(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := newGate(f.sim)
		f.Engine.Register(g)
		f.started()
		busy := func() error { return &bot.BusyError{At: f.Clock.Now().Add(30 * time.Second)} }
		g.arm()
		go g.release(busy())
		f.say("anna", "Shipped the importer")
		require.Equal(t, "Shipped the importer", f.round("anna").Answer(store.QuestionDone), "the step is kept")
		for range 8 { // more than a message's attempts
			n, err := f.Engine.SendDue(ctx)
			require.NoError(t, err)
			require.Zero(t, n, "not before the platform has room")
			f.Clock.Set(f.Clock.Now().Add(30 * time.Second))
			g.arm()
			go g.release(busy())
			n, err = f.Engine.SendDue(ctx)
			require.NoError(t, err)
			require.Zero(t, n, "paced out again")
		}
		require.Zero(t, f.shown("anna", "(2/4)"))
		f.Clock.Set(f.Clock.Now().Add(30 * time.Second))
		n, err := f.Engine.SendDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "sent once the platform has room, not given up on")
		require.Equal(t, 1, f.shown("anna", "(2/4)"), f.transcript("anna"))
	})
}

// A reply the platform showed in part before its send failed is sent
// again from where it stopped.
func TestPartlySentReplyResumes(t *testing.T) {
	for name, cause := range map[string]error{
		"platform down": fmt.Errorf("%w: platform down", bot.ErrTemporary),
		"paced":         &bot.BusyError{At: enginetest.Start.Add(time.Second)},
	} {
		t.Run(name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, f *fixture) {
				ctx := context.Background()
				g := newGate(f.sim)
				f.Engine.Register(g)
				f.started()
				g.arm()
				go g.release(&bot.PartialError{Sent: 1, Err: cause})
				f.say("anna", "Shipped the importer")
				f.Clock.Set(f.Clock.Now().Add(2 * time.Second))
				n, err := f.Engine.SendDue(ctx)
				require.NoError(t, err)
				require.Equal(t, 1, n)
				g.mu.Lock()
				defer g.mu.Unlock()
				seen := g.seen[len(g.seen)-2:] // the failed send, then the one after
				require.Zero(t, seen[0].Sent)
				require.Equal(t, 1, seen[1].Sent, "told the first part is out")
				seen[1].Sent = 0
				require.Equal(t, seen[0], seen[1], "the same message")
			})
		})
	}
}

// A process that committed a step and died before its reply went out
// leaves the reply in the outbox: another process's outbox job sends it,
// once, when the dead one's claim has run out.
func TestReplySentOnceAfterTheSenderDied(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := newGate(f.sim)
		f.Engine.Register(g)
		f.started()
		g.arm()
		handled := make(chan error, 1)
		go func() {
			handled <- f.Engine.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "Shipped the importer"}))
		}()
		g.waitBlocked(t)
		// The first process is as good as dead from here: its send never
		// reaches the platform.
		require.Equal(t, "Shipped the importer", f.round("anna").Answer(store.QuestionDone))

		cat, err := i18n.Load(bot.LocaleEN)
		require.NoError(t, err)
		next := engine.New(engine.Options{Store: f.Store, Dialog: f.Dialog, Texts: cat, Clock: f.Clock.Now, Buttons: f.Buttons})
		next.Register(f.sim)
		n, err := next.SendDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "the first process's claim is still live")
		f.Clock.Set(f.Clock.Now().Add(3 * time.Minute))
		n, err = next.SendDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "taken over once the claim ran out")
		require.Equal(t, 1, f.shown("anna", "(2/4)"), f.transcript("anna"))

		g.release(errors.New("killed"))
		require.NoError(t, <-handled, "the step was done before the send")
		n, err = next.SendDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		require.Equal(t, 1, f.shown("anna", "(2/4)"), "sent once")
	})
}

// A send that blocks for longer than the person's lease holds up neither
// the lease nor the runtime's lane of the person: their next event is
// stepped meanwhile, after the first step and never beside it, and the
// blocked message goes out once, before the next one.
func TestSlowSendHoldsUpNobody(t *testing.T) {
	const lease = 2 * time.Second
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			reg := prometheus.NewRegistry()
			f := newFixture(t, b, func(o *engine.Options) { o.Registerer = reg; o.PersonLease = lease })
			g := newGate(f.sim)
			f.Engine.Register(g)
			f.started()

			rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: f.Store, Handler: f.Engine, Clock: f.Clock.Now,
				StepTimeout: lease / 2, Claim: time.Minute, Poll: 20 * time.Millisecond})
			require.NoError(t, err)
			rt.Schedule(f.Engine.OutboxJob(20 * time.Millisecond))
			ctx, stop := context.WithCancel(context.Background())
			ran := make(chan error, 1)
			go func() { ran <- rt.Run(ctx) }()
			defer func() { stop(); require.NoError(t, <-ran) }()

			g.arm()
			defer g.release(nil) // first, should the test fail while it blocks
			require.NoError(t, rt.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "Shipped the importer"})))
			g.waitBlocked(t)
			since := time.Now()
			require.NoError(t, rt.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "none"})))
			require.Eventually(t, func() bool { return f.round("anna").Answer(store.QuestionBlockers) == "none" },
				10*time.Second, 10*time.Millisecond, "the next event is stepped while the send is blocked")
			r := f.round("anna")
			require.Equal(t, "Shipped the importer", r.Answer(store.QuestionDone), "stepped after the first, on the next question")
			require.Zero(t, counted(t, reg, "perfbot_lease_waits_total", nil), "the lease was free: the send does not hold it")
			require.Zero(t, counted(t, reg, "perfbot_dialog_conflicts_total", nil), "no step ran beside another")
			require.Zero(t, f.shown("anna", "(2/4)"), "still blocked")

			// Past the lease, in both clocks.
			time.Sleep(time.Until(since.Add(lease + 200*time.Millisecond)))
			f.Clock.Set(f.Clock.Now().Add(lease + time.Second))
			g.release(nil)
			require.Eventually(t, func() bool { return f.shown("anna", "(3/4)") == 1 }, 10*time.Second, 10*time.Millisecond,
				"the next reply follows: %s", f.transcript("anna"))
			require.Equal(t, 1, f.shown("anna", "(2/4)"), "the blocked message went once")
			var order []string
			for _, e := range f.sim.DM("anna") {
				for _, q := range []string{"(2/4)", "(3/4)"} {
					if e.From == "" && strings.Contains(e.Text, q) {
						order = append(order, q)
					}
				}
			}
			require.Equal(t, []string{"(2/4)", "(3/4)"}, order, "in the order they were said")
		})
	}
}

// On a platform that does not wait for each answer (the runtime has no
// Patient adapter for it), a step does not wait for its replies: with one
// worker, and a step deadline far away, the person's next event is stepped
// while the reply to the first is still waiting for the platform.
func TestStepDoesNotWaitForItsReplies(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		g := newGate(f.sim)
		f.Engine.Register(g)
		f.started()
		rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: f.Store, Handler: f.Engine, Clock: f.Clock.Now,
			Workers: 1, StepTimeout: time.Minute, Claim: 2 * time.Minute, Poll: 20 * time.Millisecond})
		require.NoError(t, err)
		ctx, stop := context.WithCancel(context.Background())
		ran := make(chan error, 1)
		go func() { ran <- rt.Run(ctx) }()
		defer func() { stop(); require.NoError(t, <-ran) }()

		g.arm()
		defer g.release(nil)
		require.NoError(t, rt.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "Shipped the importer"})))
		g.waitBlocked(t)
		require.NoError(t, rt.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "none"})))
		require.Eventually(t, func() bool { return f.round("anna").Answer(store.QuestionBlockers) == "none" },
			10*time.Second, 10*time.Millisecond, "the one worker went on to the next event")
		require.Zero(t, f.shown("anna", "(2/4)"), "the first reply is still waiting for the platform")
		g.release(nil)
		require.Eventually(t, func() bool { return f.shown("anna", "(3/4)") == 1 }, 10*time.Second, 10*time.Millisecond,
			"the next reply follows: %s", f.transcript("anna"))
		require.Equal(t, 1, f.shown("anna", "(2/4)"), "the first went once, before it")
	})
}

// A clicked message that can no longer be replaced is sent anew rather
// than lost.
func TestReplacementSentAnewWhenTheMessageIsGone(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for _, who := range []string{"anna", "sam"} {
			_, err := f.Engine.Open(ctx, f.people[who].ID, "")
			require.NoError(t, err)
		}
		before := len(f.sim.DM("sam"))
		f.click("sam", "Start")
		inPlace := len(f.sim.DM("sam")) - before

		entries := f.sim.DM("anna")
		start := entries[len(entries)-1]
		var value string
		for _, b := range start.Buttons {
			if b.Label == "Start" {
				value = b.Value
			}
		}
		require.NotEmpty(t, value, f.transcript("anna"))
		before = len(entries)
		// The card fell out of the simulator's history: Update refuses it for good.
		require.NoError(t, f.Engine.Handle(ctx, f.event("anna", bot.Event{Kind: bot.KindAction, Action: value, Ref: "gone"})))
		require.Len(t, f.sim.DM("anna"), before+inPlace+1, "the replacement said anew: %s", f.transcript("anna"))
		require.Equal(t, 1, f.shown("anna", "(1/4)"))
	})
}
