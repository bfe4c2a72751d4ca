package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
)

// dispatch sends a step's messages at once. subject is the person the step
// was for (zero for a stranger); a message with no recipient goes back to
// them, on the platform the event came from. A failed send is logged and
// counted, never retried here. The failures are returned, for callers with
// no platform to retry for them (the scheduler's prompts and nudges record
// them and try again); a step answering an inbound event sends through the
// outbox instead (outbox.go).
func (e *Engine) dispatch(ctx context.Context, subject bot.Person, ev bot.Event, outs []conversations.Outbound) error {
	tos, err := e.addresses(ctx, subject, ev, outs)
	errs := []error{err}
	for i, o := range outs {
		if tos[i] == (bot.Address{}) {
			continue
		}
		m := o.Message
		m.To = tos[i]
		errs = append(errs, e.send(ctx, ev, m))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	return nil
}

// addresses resolves who each of a step's messages is for. Those nobody
// can be reached for get the zero address, and are logged, counted and
// returned as errors.
func (e *Engine) addresses(ctx context.Context, subject bot.Person, ev bot.Event, outs []conversations.Outbound) ([]bot.Address, error) {
	tos := make([]bot.Address, len(outs))
	var errs []error
	for i, o := range outs {
		to, ok := e.address(ctx, subject, ev, o)
		if !ok {
			e.metrics.sent.WithLabelValues("none", "unreachable").Inc()
			e.log.WarnContext(ctx, "no way to reach recipient", "person", o.PersonID, "subject", subject.ID)
			errs = append(errs, fmt.Errorf("engine: %w: person %d", ErrUnreachable, o.PersonID))
			continue
		}
		tos[i] = to
	}
	return tos, errors.Join(errs...)
}

// ErrNotSent wraps what went wrong sending a step's messages, after the
// step itself was committed.
var ErrNotSent = errors.New("engine: not sent")

// send sends m, in reply to ev if it is one; a failure is logged and
// counted, and returned for callers that record it.
func (e *Engine) send(ctx context.Context, ev bot.Event, m bot.Message) error {
	m = e.sealMessage(ev, m)
	a, ok := e.adapter(m.To.Platform)
	if !ok {
		e.metrics.sent.WithLabelValues(string(m.To.Platform), "no_adapter").Inc()
		e.log.WarnContext(ctx, "no adapter for platform", "platform", m.To.Platform)
		return fmt.Errorf("engine: %w: %s", ErrUnreachable, m.To.Platform)
	}
	if m.Form != nil {
		// A form opens in reply to the click that asked for it; where it
		// cannot, the message's text says how to go on in chat.
		if f, can := a.(bot.FormOpener); can && m.To.Platform == ev.From.Platform {
			err := f.OpenForm(ctx, ev, *m.Form)
			if err == nil {
				e.metrics.sent.WithLabelValues(string(m.To.Platform), "ok").Inc()
				return nil
			}
			e.log.WarnContext(ctx, "form did not open; answering in chat", "platform", m.To.Platform, "err", err)
		}
		m.Form = nil
	}
	var err error
	// A replacement only makes sense where the replaced message lives.
	if u, can := a.(bot.Updater); can && m.Replace != "" && m.To.Platform == ev.From.Platform {
		err = u.Update(ctx, m.Replace, m)
		if errors.Is(err, bot.ErrPermanent) {
			// The message can no longer be replaced (gone, too old, not
			// ours): said anew, it is not lost.
			e.log.WarnContext(ctx, "message not replaced; sending it anew", "platform", m.To.Platform, "err", err)
			m.Replace = ""
			_, err = a.Send(ctx, m)
		}
	} else {
		m.Replace = ""
		_, err = a.Send(ctx, m)
	}
	if _, paced := errors.AsType[*bot.BusyError](err); paced {
		// The platform's pace: normal under load, sent later.
		e.metrics.sent.WithLabelValues(string(m.To.Platform), "paced").Inc()
		e.log.DebugContext(ctx, "send paced", "platform", m.To.Platform, "err", err)
		return fmt.Errorf("engine: send: %w", err)
	}
	if err != nil {
		e.metrics.sent.WithLabelValues(string(m.To.Platform), "error").Inc()
		e.log.ErrorContext(ctx, "send failed", "platform", m.To.Platform, "channel", m.To.Channel, "err", err)
		return fmt.Errorf("engine: send: %w", err)
	}
	e.metrics.sent.WithLabelValues(string(m.To.Platform), "ok").Inc()
	return nil
}

// address resolves who a message is for to a platform address.
func (e *Engine) address(ctx context.Context, subject bot.Person, ev bot.Event, o conversations.Outbound) (bot.Address, bool) {
	if o.Channel.IsChannel() {
		return o.Channel, true
	}
	if o.PersonID == 0 || o.PersonID == subject.ID {
		if !ev.From.IsZero() {
			return bot.Address{Identity: ev.From}, true
		}
		return e.reach(subject, "")
	}
	p, err := e.store.Person(ctx, o.PersonID)
	if err != nil {
		e.log.WarnContext(ctx, "load recipient", "person", o.PersonID, "err", err)
		return bot.Address{}, false
	}
	return e.reach(p, ev.From.Platform)
}

// reach picks the identity to reach p on: one on the preferred platform if
// it has an adapter, else the first that has one.
func (e *Engine) reach(p bot.Person, preferred bot.Platform) (bot.Address, bool) {
	id, ok := p.Reach(preferred, func(pl bot.Platform) bool { _, up := e.adapter(pl); return up })
	return bot.Address{Identity: id}, ok
}
