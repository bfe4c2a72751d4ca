package slack

import (
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// handOn gives ev to h (the runtime, which keeps it in its inbox before it
// returns) and reports whether Slack may be acknowledged: an error means
// the event was not kept, and Slack must deliver it again.
func (a *Adapter) handOn(ctx context.Context, h bot.Handler, ev bot.Event) error {
	if err := h.Handle(ctx, ev); err != nil {
		a.metrics.refused.Inc()
		a.log.ErrorContext(ctx, "slack: event not taken in; Slack will deliver it again", "event", ev.ID, "kind", ev.Kind, "err", err)
		return err
	}
	return nil
}

// callback translates an Events API callback and hands it on. A voice
// clip is handed on before its audio is fetched (FetchVoice), so the
// acknowledgement never waits for a download. HTTP and Socket Mode share it.
func (a *Adapter) callback(ctx context.Context, env envelope, h bot.Handler) error {
	ev, clip, ok := fromCallback(env)
	if !ok {
		return nil
	}
	if clip != nil {
		if clip.size > a.maxAudio {
			a.log.WarnContext(ctx, "slack: voice clip over the size cap, handed on without audio",
				"event", ev.ID, "file", ev.Voice.MediaID, "size", clip.size, "cap", a.maxAudio)
		} else {
			ev.Voice.Source = clip.url
		}
	}
	return a.handOn(ctx, h, ev)
}

// interaction hands on a button click, keeping its trigger_id for OpenForm,
// or the submission of one of perfbot's forms.
func (a *Adapter) interaction(ctx context.Context, cb slackapi.InteractionCallback, h bot.Handler) error {
	switch cb.Type {
	case slackapi.InteractionTypeBlockActions:
		if ev, ok := fromBlockActions(cb); ok {
			a.triggers.put(ev.ID, cb.TriggerID)
			return a.handOn(ctx, h, ev)
		}
	case slackapi.InteractionTypeViewSubmission:
		if ev, ok := fromViewSubmission(cb, a.now()); ok {
			return a.handOn(ctx, h, ev)
		}
	default:
		a.log.Debug("slack: interaction not handled", "type", cb.Type)
	}
	return nil
}

// command hands on a slash command, keeping its trigger_id: a form may
// answer a command as it does a click.
func (a *Adapter) command(ctx context.Context, cmd slackapi.SlashCommand, h bot.Handler) error {
	if ev, ok := fromCommand(cmd, a.now()); ok {
		a.triggers.put(ev.ID, cmd.TriggerID)
		return a.handOn(ctx, h, ev)
	}
	return nil
}
