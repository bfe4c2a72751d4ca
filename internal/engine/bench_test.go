package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// BenchmarkInbound measures one inbound event through the whole path: claim
// the event id, take the person's lease, read the dialog state and the
// records, step the conversation, save the round and the state, audit, and
// send the reply through an adapter. Each person alternates "edit 1" (a
// state change) and an answer (a round write too), a submitted check-in's
// steady state.
func BenchmarkInbound(b *testing.B) {
	for _, be := range enginetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			benchSteps(b, be, func(f *enginetest.Fixture) bot.Handler { return f.Engine })
		})
	}
}

// benchSteps times BenchmarkInbound's events, each given to the handler
// through returns for the fixture, one after another.
func benchSteps(b *testing.B, be enginetest.Backend, through func(*enginetest.Fixture) bot.Handler) *enginetest.Fixture {
	f, people, reg := benchFixture(b, be, 1)
	h := through(f)
	who := people[0]
	b.ReportAllocs()
	before := tallied(b, reg)
	i := 0
	for b.Loop() {
		text := "edit 1"
		if i%2 == 1 {
			text = fmt.Sprintf("answer %d", i)
		}
		i++
		ev := bot.Event{ID: fmt.Sprintf("b-%d", i), Kind: bot.KindMessage, Text: text, From: who}
		if err := h.Handle(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
	}
	requireNoStorm(b, reg, before)
	return f
}

// BenchmarkInboundParallel is the same with many people at once, as a busy
// Monday morning looks: each goroutine is a different person.
//
// The fixture is built once, outside b.Run: RunParallel (unlike b.Loop)
// calls its function again for every b.N it tries, and a fixture built in
// there is timed and counted each time. On PostgreSQL it takes longer than
// the whole benchtime, so b.N stayed 1 and the result was the fixture's
// cost, not an event's. Each round takes the next people; event ids go on
// counting, since a repeated id is a duplicate and skipped.
func BenchmarkInboundParallel(b *testing.B) {
	for _, be := range enginetest.Backends() {
		f, people, reg := benchFixture(b, be, 32)
		var next, ids atomic.Int64
		b.Run(be.Name, func(b *testing.B) {
			b.ReportAllocs()
			before := tallied(b, reg)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				who := people[int(next.Add(1)-1)%len(people)]
				i := 0
				for pb.Next() {
					text := "edit 1"
					if i%2 == 1 {
						text = "an answer"
					}
					i++
					ev := bot.Event{ID: fmt.Sprintf("p-%d", ids.Add(1)), Kind: bot.KindMessage, Text: text, From: who}
					if err := f.Engine.Handle(context.Background(), ev); err != nil {
						b.Error(err)
						return
					}
				}
			})
			requireNoStorm(b, reg, before)
		})
	}
}

// benchFixture has n employees with one manager, each with a submitted
// check-in, and returns their identities and the engine's metrics.
func benchFixture(b *testing.B, be enginetest.Backend, n int) (*enginetest.Fixture, []bot.Identity, *prometheus.Registry) {
	ctx := context.Background()
	sim := simulator.New(simulator.Options{History: 20})
	reg := prometheus.NewRegistry()
	f := enginetest.NewWith(b, be, func(o *engine.Options) { o.Registerer = reg }, sim)
	id := func(name string) bot.Identity {
		return bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: name}
	}
	boss := f.Add("boss", bot.LocaleEN, "UTC", 0, bot.RoleManager, id("boss"))
	var ids []bot.Identity
	for k := range n {
		name := fmt.Sprintf("e%d", k)
		p := f.Add(name, bot.LocaleEN, "Europe/Berlin", boss.ID, bot.RoleEmployee, id(name))
		_, err := f.Engine.Open(ctx, p.ID, "")
		require.NoError(b, err)
		for j, text := range []string{"checkin", "done", "none", "next", "4", "submit"} {
			ev := bot.Event{ID: fmt.Sprintf("setup-%s-%d", name, j), Kind: bot.KindMessage, Text: text, From: id(name)}
			require.NoError(b, f.Engine.Handle(ctx, ev))
		}
		ids = append(ids, id(name))
	}
	return f, ids, reg
}

// tally is what the engine counted: events handled, steps retried after a
// conflict, and waits for a person's lease.
type tally struct{ handled, retries, waits float64 }

func tallied(b *testing.B, g prometheus.Gatherer) tally {
	return tally{
		handled: counted(b, g, "perfbot_events_total", map[string]string{"outcome": "handled"}),
		retries: counted(b, g, "perfbot_dialog_conflicts_total", nil),
		waits:   counted(b, g, "perfbot_lease_waits_total", nil),
	}
}

// requireNoStorm fails b unless each of its b.N events since before was
// handled (a duplicate or a failure is fast and would flatter ns/op) with
// no step retried and no wait for a lease: every person has one goroutine,
// so nothing may hold them up.
func requireNoStorm(b *testing.B, g prometheus.Gatherer, before tally) {
	b.StopTimer()
	now := tallied(b, g)
	require.Equal(b, float64(b.N), now.handled-before.handled, "every event handled")
	require.Zero(b, now.retries-before.retries, "no step retried")
	require.Zero(b, now.waits-before.waits, "no event waited for a lease")
}
