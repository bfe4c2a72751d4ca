package engine_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// An event for a person whose lease is held (by another replica's step,
// here the test) waits for it, is counted as waiting, and is handled once
// the lease is free.
func TestEventWaitsForTheLease(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			reg := prometheus.NewRegistry()
			f := newFixture(t, b, func(o *engine.Options) { o.Registerer = reg })
			ctx := context.Background()
			lease := fmt.Sprintf("lease:person:%d", f.people["anna"].ID)
			held, err := f.Dialog.Claim(ctx, lease, time.Minute)
			require.NoError(t, err)
			require.True(t, held)

			done := make(chan error, 1)
			ev := f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "checkin"})
			go func() { done <- f.Engine.Handle(ctx, ev) }()
			require.EventuallyWithT(t, func(c *assert.CollectT) {
				require.Positive(c, counted(c, reg, "perfbot_lease_waits_total", nil))
			}, 5*time.Second, time.Millisecond)
			require.Empty(t, f.sim.DM("anna"), "nothing answered while the lease is held")

			require.NoError(t, f.Dialog.Release(ctx, lease))
			require.NoError(t, <-done)
			require.Contains(t, f.last("anna").Text, "(1/4) What did you get done this week?", f.transcript("anna"))
		})
	}
}

// counted sums the series of the counter name in g whose labels include
// every pair of match; 0 when there are none.
func counted(t require.TestingT, g prometheus.Gatherer, name string, match map[string]string) float64 {
	mfs, err := g.Gather()
	require.NoError(t, err)
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for k, v := range match {
				if labels[k] != v {
					continue series
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}
