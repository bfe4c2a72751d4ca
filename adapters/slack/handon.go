package slack

import (
	"context"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// handOn gives an acknowledged event to h on a goroutine of its own, so the
// acknowledgement never waits for perfbot's work. Slack will not deliver an
// acknowledged event again, so a failure is retried here on the redelivery
// schedule; the engine released its claim on the id, and the retry runs
// the event afresh.
func (a *Adapter) handOn(h bot.Handler, ev bot.Event) { a.handOnAfter(h, ev, nil) }

// handOnAfter is handOn with work to finish the event first, once, off the
// request path too: downloading a voice clip's audio.
func (a *Adapter) handOnAfter(h bot.Handler, ev bot.Event, prepare func(ctx context.Context, ev *bot.Event)) {
	a.inflight.Go(func() {
		// The request that brought the event is over; its work is not.
		ctx := context.Background()
		if prepare != nil {
			a.slots <- struct{}{} // downloads count against the bound too
			prepare(ctx, &ev)
			<-a.slots
		}
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

// callback translates an Events API callback and hands it on, a voice
// clip once its audio is fetched. HTTP and Socket Mode share it.
func (a *Adapter) callback(env envelope, h bot.Handler) {
	ev, clip, ok := fromCallback(env)
	switch {
	case !ok:
	case clip != nil:
		a.handOnAfter(h, ev, func(ctx context.Context, ev *bot.Event) { a.fetchAudio(ctx, ev, *clip) })
	default:
		a.handOn(h, ev)
	}
}

// interaction hands on a button click, keeping its trigger_id for OpenForm,
// or the submission of one of perfbot's forms.
func (a *Adapter) interaction(cb slackapi.InteractionCallback, h bot.Handler) {
	switch cb.Type {
	case slackapi.InteractionTypeBlockActions:
		if ev, ok := fromBlockActions(cb); ok {
			a.triggers.put(ev.ID, cb.TriggerID)
			a.handOn(h, ev)
		}
	case slackapi.InteractionTypeViewSubmission:
		if ev, ok := fromViewSubmission(cb, a.now()); ok {
			a.handOn(h, ev)
		}
	default:
		a.log.Debug("slack: interaction not handled", "type", cb.Type)
	}
}

// command hands on a slash command, keeping its trigger_id: a form may
// answer a command as it does a click.
func (a *Adapter) command(cmd slackapi.SlashCommand, h bot.Handler) {
	if ev, ok := fromCommand(cmd, a.now()); ok {
		a.triggers.put(ev.ID, cmd.TriggerID)
		a.handOn(h, ev)
	}
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
