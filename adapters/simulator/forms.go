package simulator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"

	"github.com/perfbot/perfbot/bot"
)

// The simulator shows a form the way a chat shows a card: inline in the
// person's direct conversation, where they fill it in and submit it once.

var _ bot.FormOpener = (*Adapter)(nil)

// submittedText is the person's side of the transcript when they submit.
const submittedText = "› Submitted the form"

var (
	// errNotYourForm refuses a submission for a ref that is not a form in
	// the submitter's own conversation.
	errNotYourForm = errors.New("no such form")
	// errSubmitted refuses a form's second submission.
	errSubmitted = errors.New("form already submitted")
)

// OpenForm shows f in the direct conversation of the person whose click in
// answers, and shows it to every browser watching. Submitting it delivers a
// bot.KindAction event whose Action is f.Value, whose Values are the answers
// by field key and whose Ref is in.Ref, the message that was clicked.
func (a *Adapter) OpenForm(ctx context.Context, in bot.Event, f bot.Form) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("simulator: open form: %w", err)
	}
	conv, err := conversationOf(bot.Address{Identity: in.From})
	if err != nil {
		return fmt.Errorf("simulator: open form: %w", err)
	}
	form := formContent(f)
	e := a.board.add(conv, Entry{
		Ref:    newRef(),
		Kind:   EntryForm,
		Title:  form.Title,
		Form:   &form,
		opener: in.Ref,
		At:     a.clock(),
	})
	a.log.DebugContext(ctx, "simulator: opened form", "conversation", conv.ID, "ref", e.Ref)
	return nil
}

// formContent is f made safe to show, like botContent. Prefilled answers
// and choice values are left as they are: they are sent back, and must come
// back unchanged.
func formContent(f bot.Form) bot.Form {
	out := bot.Form{Title: bot.Neutralize(f.Title), Submit: bot.Neutralize(f.Submit), Value: f.Value}
	for _, field := range f.Fields {
		field.Label, field.Hint = bot.Neutralize(field.Label), bot.Neutralize(field.Hint)
		var choices []bot.Choice
		for _, c := range field.Choices {
			choices = append(choices, bot.Choice{Label: bot.Neutralize(c.Label), Value: c.Value})
		}
		field.Choices = choices
		out.Fields = append(out.Fields, field)
	}
	return out
}

// submitForm is a persona submitting a form perfbot opened for them. Only the
// shape is checked here; whether the answers are any good is the
// conversation's business.
func (s *server) submitForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	var req formRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Ref == "" {
		s.fail(w, r, http.StatusBadRequest, errors.New("ref is empty"))
		return
	}
	values := req.Values
	if values == nil {
		values = map[string]string{}
	}
	// Marked submitted before the Handler runs, so two clicks racing each
	// other cannot both get through.
	form, err := s.a.board.change(req.Ref, func(e *Entry) error {
		switch {
		case e.Kind != EntryForm || !isDMOf(e.Conversation, p.ID):
			return errNotYourForm
		case e.Submitted:
			return errSubmitted
		}
		e.Submitted, e.Values = true, values
		return nil
	})
	switch {
	case errors.Is(err, errSubmitted):
		s.fail(w, r, http.StatusConflict, fmt.Errorf("form %q: %w", req.Ref, err))
		return
	case err != nil:
		// Someone else's form is as unknown to them as one that never was.
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("no form %q", req.Ref))
		return
	}
	now := s.a.clock()
	choice := s.a.board.add(conversationByID(dmID(p.ID)), Entry{
		Ref: newRef(), Kind: EntryChoice, From: p.ID, Text: submittedText, At: now,
	})
	s.deliver(w, r, choice.Ref, bot.Event{
		ID:     newEventID(),
		From:   p.Identity(),
		Kind:   bot.KindAction,
		Action: form.Form.Value,
		Values: maps.Clone(values), // the Handler's to keep; the card keeps its own
		Ref:    form.opener,
		At:     now,
	})
}
