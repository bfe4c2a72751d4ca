package slack

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// ErrNoTrigger is returned by OpenForm when the event it answers has no
// trigger_id left to open a modal with: it was not a click, it was more
// than three seconds ago, or its trigger was used. The person can still be
// asked in chat.
var ErrNoTrigger = errors.New("slack: no trigger to open a form with")

var _ bot.FormOpener = (*Adapter)(nil)

// formCallbackID marks perfbot's modals, so a view_submission of any other
// view is left alone.
const formCallbackID = "perfbot_form"

// fieldActionID names the one element of each input block; the block_id is
// the field's Key.
const fieldActionID = "value"

// Modal limits (docs.slack.dev, reference/views and reference/block-kit).
const (
	maxModalTitle   = 24
	maxModalSubmit  = 24
	maxModalBlocks  = 100
	maxInputLabel   = 2000
	maxPlaceholder  = 150
	maxInputLength  = 3000
	maxOptions      = 100
	maxOptionText   = 75
	maxOptionValue  = 150
	maxBlockID      = 255
	maxPrivateMeta  = 3000
	defaultFormName = "perfbot"
)

// formMeta travels in the modal's private_metadata and comes back with its
// submission: the form's Value, and the card whose button opened it, so
// the submission reads like a click on that card.
type formMeta struct {
	Value   string `json:"v"`
	Ref     string `json:"r,omitempty"`
	Channel string `json:"c,omitempty"` // a group chat's id; empty in a DM
}

// OpenForm shows f as a modal in reply to in, the click (or slash command)
// it answers, with views.open. Slack takes the click's trigger_id, which
// expires three seconds after the click: without one, OpenForm returns an
// error wrapping ErrNoTrigger and the person can be asked in chat instead.
// The submission comes back as a KindAction event whose Action is f.Value
// and whose Values are the answers by field Key.
func (a *Adapter) OpenForm(ctx context.Context, in bot.Event, f bot.Form) error {
	tr, ok := a.triggers.take(in.ID)
	if !ok {
		return fmt.Errorf("%w (event %q)", ErrNoTrigger, in.ID)
	}
	view, err := modal(f, formMeta{Value: f.Value, Ref: string(in.Ref), Channel: in.Channel})
	if err != nil {
		return err
	}
	// Waiting longer than the trigger lives, on a rate limit or a retry, is
	// pointless: Slack would refuse it.
	ctx, cancel := context.WithTimeout(ctx, tr.expires.Sub(a.now()))
	defer cancel()
	err = a.call(ctx, "views.open", "", func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, tr.id, view)
		return err
	})
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[slackapi.SlackErrorResponse](err); ok {
		switch e.Err {
		case "expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id":
			return fmt.Errorf("%w: %w", ErrNoTrigger, err)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ErrNoTrigger, err)
	}
	return err
}

// modal lays f out as a Slack modal: one input block per field, in order.
// What the person sees is plain text; prefilled answers and choice values
// go as they are, so they come back unchanged.
func modal(f bot.Form, meta formMeta) (slackapi.ModalViewRequest, error) {
	if len(f.Fields) == 0 {
		return slackapi.ModalViewRequest{}, errors.New("slack: form has no fields")
	}
	// Dropping a question would lose its answer: refuse instead, and let
	// the person be asked in chat.
	if len(f.Fields) > maxModalBlocks {
		return slackapi.ModalViewRequest{}, fmt.Errorf("slack: form has %d fields, a modal takes %d", len(f.Fields), maxModalBlocks)
	}
	md, err := json.Marshal(meta)
	if err != nil || len(md) > maxPrivateMeta {
		return slackapi.ModalViewRequest{}, fmt.Errorf("slack: form value too long for a modal (%d bytes)", len(md))
	}
	blocks := make([]slackapi.Block, 0, len(f.Fields))
	seen := map[string]bool{}
	for _, fd := range f.Fields {
		if fd.Key == "" || len(fd.Key) > maxBlockID || seen[fd.Key] {
			return slackapi.ModalViewRequest{}, fmt.Errorf("slack: form field key %q is empty, too long or repeated", fd.Key)
		}
		seen[fd.Key] = true
		b, err := input(fd)
		if err != nil {
			return slackapi.ModalViewRequest{}, err
		}
		blocks = append(blocks, b)
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		CallbackID:      formCallbackID,
		Title:           plainText(cmp.Or(f.Title, defaultFormName), maxModalTitle),
		Submit:          plainText(cmp.Or(f.Submit, "Submit"), maxModalSubmit),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
		PrivateMetadata: string(md),
	}, nil
}

// input is one field as an input block: a static_select when it offers
// choices, a plain_text_input otherwise.
func input(fd bot.FormField) (*slackapi.InputBlock, error) {
	var placeholder *slackapi.TextBlockObject
	if fd.Hint != "" {
		placeholder = plainText(fd.Hint, maxPlaceholder)
	}
	var el slackapi.BlockElement
	if len(fd.Choices) > 0 {
		if len(fd.Choices) > maxOptions {
			return nil, fmt.Errorf("slack: form field %q has %d choices, a select takes %d", fd.Key, len(fd.Choices), maxOptions)
		}
		sel := slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, placeholder, fieldActionID)
		for _, c := range fd.Choices {
			if c.Value == "" || len(c.Value) > maxOptionValue {
				return nil, fmt.Errorf("slack: form field %q: choice value %q is empty or too long", fd.Key, c.Value)
			}
			opt := slackapi.NewOptionBlockObject(c.Value, plainText(cmp.Or(c.Label, c.Value), maxOptionText), nil)
			sel.Options = append(sel.Options, opt)
			if c.Value == fd.Value {
				sel.InitialOption = opt
			}
		}
		el = sel
	} else {
		limit := maxInputLength
		if fd.MaxLength > 0 {
			limit = min(fd.MaxLength, maxInputLength)
		}
		in := slackapi.NewPlainTextInputBlockElement(placeholder, fieldActionID)
		in.Multiline = fd.Multiline
		in.MaxLength = limit
		in.InitialValue = cut(fd.Value, limit) // Slack refuses a prefill over max_length
		el = in
	}
	b := slackapi.NewInputBlock(fd.Key, plainText(cmp.Or(fd.Label, fd.Key), maxInputLabel), nil, el)
	b.Optional = fd.Optional
	return b, nil
}

// fromViewSubmission translates the submission of one of perfbot's modals.
// Its id is the view's id and hash, the same in every delivery of one
// submission. The answers are what the person typed, unescaped: Slack
// delivers input values raw.
func fromViewSubmission(cb slackapi.InteractionCallback, now time.Time) (ev bot.Event, ok bool) {
	var meta formMeta
	if cb.View.CallbackID != formCallbackID || cb.User.ID == "" || cb.View.ID == "" ||
		json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta) != nil {
		return bot.Event{}, false
	}
	values := map[string]string{}
	if cb.View.State != nil {
		for key, actions := range cb.View.State.Values {
			act, ok := actions[fieldActionID]
			if !ok {
				continue
			}
			if act.Type == slackapi.ActionType(slackapi.OptTypeStatic) {
				values[key] = act.SelectedOption.Value
			} else {
				values[key] = act.Value
			}
		}
	}
	ev = bot.Event{
		ID:     "view:" + cb.View.ID + ":" + cmp.Or(cb.View.Hash, cb.Hash),
		From:   identity(cmp.Or(cb.Team.ID, cb.User.TeamID, cb.View.TeamID), cb.User.ID),
		Kind:   bot.KindAction,
		Action: meta.Value,
		Values: values,
		Ref:    bot.MessageRef(meta.Ref),
		At:     now,
	}
	if meta.Channel != "" {
		ev.Group, ev.Channel = true, meta.Channel
	}
	return ev, true
}

// plainText is a plain_text object of at most limit characters.
func plainText(s string, limit int) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, plain(s, limit), false, false)
}

// cut shortens s to limit characters, unmarked: it is the person's own
// text, and a marker would become part of their answer.
func cut(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit])
}
