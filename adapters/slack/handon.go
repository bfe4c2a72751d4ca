package slack

import (
	"context"
	"fmt"

	"github.com/perfbot/perfbot/bot"
)

// handOn gives an acknowledged event to h on a goroutine of its own, so the
// acknowledgement never waits for perfbot's work. Slack will not deliver an
// acknowledged event again, so a failure is retried here on the redelivery
// schedule; the engine released its claim on the id, and the retry runs
// the event afresh.
func (a *Adapter) handOn(h bot.Handler, ev bot.Event) {
	a.inflight.Go(func() {
		// The request that brought the event is over; its work is not.
		ctx := context.Background()
		for attempt := 0; ; attempt++ {
			err := a.handle(ctx, h, ev)
			if err == nil {
				return
			}
			if attempt >= len(a.redeliver) {
				a.metrics.lost.Inc()
				a.log.ErrorContext(ctx, "slack: event failed on every attempt", "event", ev.ID,
					"kind", ev.Kind, "attempts", attempt+1, "err", err)
				return
			}
			a.log.WarnContext(ctx, "slack: event failed, handing it on again", "event", ev.ID,
				"kind", ev.Kind, "attempt", attempt+1, "in", a.redeliver[attempt], "err", err)
			if err := a.sleep(ctx, a.redeliver[attempt]); err != nil {
				return
			}
		}
	})
}

// handle runs h once within the bound on events handled at once.
func (a *Adapter) handle(ctx context.Context, h bot.Handler, ev bot.Event) error {
	a.slots <- struct{}{}
	defer func() { <-a.slots }()
	return h.Handle(ctx, ev)
}

// Drain waits until every acknowledged event has been handled, or ctx ends.
func (a *Adapter) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slack: events still being handled: %w", ctx.Err())
	}
}

// drainAfter is Drain bounded by the adapter's drain timeout, for shutdown.
func (a *Adapter) drainAfter() error {
	ctx, cancel := context.WithTimeout(context.Background(), a.drainFor)
	defer cancel()
	return a.Drain(ctx)
}
