package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/perfbot/perfbot/bot"
)

// Receive takes events until ctx ends. In Socket Mode it holds the
// WebSocket to Slack, reconnecting as Slack asks, and acknowledges each
// envelope once its event is handed on (kept); an envelope whose event
// could not be kept is left unacknowledged, and Slack delivers it again.
// Over HTTP the events arrive through Mount, and Receive only waits.
func (a *Adapter) Receive(ctx context.Context, h bot.Handler) error {
	if a.cfg.SocketMode() {
		return a.socket(ctx, h)
	}
	<-ctx.Done()
	return ctx.Err()
}

func (a *Adapter) socket(ctx context.Context, h bot.Handler) error {
	client := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-ran:
			// RunContext reconnects by itself; it returns when ctx ends or
			// Slack refuses the app token.
			if errors.Is(err, context.Canceled) {
				return err
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-client.Events:
			a.envelope(ctx, client, evt, h)
		}
	}
}

// envelope hands the event of one Socket Mode envelope on, then
// acknowledges the envelope.
// A redelivered envelope (retry_attempt > 0) carries the same payload, and
// so maps to the same Event.ID as the first.
func (a *Adapter) envelope(ctx context.Context, client *socketmode.Client, evt socketmode.Event, h bot.Handler) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.InfoContext(ctx, "slack: socket mode connected")
		return
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slackapi.ConnectionErrorEvent); ok {
			a.log.WarnContext(ctx, "slack: socket mode connection failed", "attempt", e.Attempt,
				"retry_in", e.Backoff, "err", e.ErrorObj)
		}
		return
	case socketmode.EventTypeInvalidAuth:
		a.log.ErrorContext(ctx, "slack: socket mode refused the app token (SLACK_APP_TOKEN)")
		return
	}
	req := evt.Request
	if req == nil || req.EnvelopeID == "" {
		return
	}
	if req.RetryAttempt > 0 {
		a.log.DebugContext(ctx, "slack: redelivered envelope", "envelope", req.EnvelopeID,
			"retry", req.RetryAttempt, "reason", req.RetryReason)
	}
	var err error
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		var env envelope
		if uerr := json.Unmarshal(req.Payload, &env); uerr != nil {
			// Unreadable now is unreadable on every redelivery.
			a.log.WarnContext(ctx, "slack: unreadable event", "envelope", req.EnvelopeID, "err", uerr)
			break
		}
		err = a.callback(ctx, env, h)
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slackapi.InteractionCallback); ok {
			err = a.interaction(ctx, cb, h)
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slackapi.SlashCommand); ok {
			err = a.command(ctx, cmd, h)
		}
	}
	if err != nil {
		return // not acknowledged: Slack delivers the envelope again
	}
	if err := client.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.WarnContext(ctx, "slack: acknowledge envelope", "envelope", req.EnvelopeID, "err", err)
	}
}
