package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

// This file is the trust boundary of button values. Conversations issue
// and read plain values; every value leaving through the engine is sealed
// for whoever may click it, and every click is opened before a step sees it.
// A click whose value perfbot did not issue to the person clicking runs
// nothing: they are told, politely, and the attempt is audited.

// maxAuditedValue bounds how much of a refused value the audit log keeps.
const maxAuditedValue = 200

// ringOr is r, or for an engine given none a ring with a key of its own,
// which no other process shares and no restart keeps: fine for tests and
// tools; perfbot passes a ring whose key every replica shares.
func ringOr(r *seal.Ring, clock func() time.Time) *seal.Ring {
	if r != nil {
		return r
	}
	k, err := seal.NewKey('0', seal.NewSecret())
	if err == nil {
		if r, err = seal.NewRing(seal.DefaultLifetime, clock, k); err == nil {
			return r
		}
	}
	panic(fmt.Sprintf("engine: own button key: %v", err)) // a fresh random key is always valid
}

// sealMessage returns m with its button values, and its form's, sealed for
// who may click them: the person or channel m goes to, and for a form the
// person whose click it opens in reply to. m's slices are not changed.
func (e *Engine) sealMessage(ev bot.Event, m bot.Message) bot.Message {
	to := seal.Person(m.To.Identity)
	if m.To.IsChannel() {
		to = seal.Channel(m.To)
	}
	m.Buttons = sealButtons(e.buttons, to, m.Buttons)
	if m.Form != nil {
		f := *m.Form
		opener := ev.From
		if opener.IsZero() {
			opener = m.To.Identity
		}
		f.Value = e.buttons.Sign(seal.Person(opener), f.Value)
		m.Form = &f
	}
	return m
}

func sealButtons(r *seal.Ring, to seal.Audience, bs []bot.Button) []bot.Button {
	if len(bs) == 0 {
		return bs
	}
	out := make([]bot.Button, len(bs))
	for i, b := range bs {
		b.Value = r.Sign(to, b.Value)
		out[i] = b
	}
	return out
}

// unseal opens the value of a click in place. When it cannot, it refuses
// the click, telling the person and auditing it, and reports refused: the
// event is then done, and no step may run for it. err is a failure to
// audit, for the platform to retry.
func (e *Engine) unseal(ctx context.Context, person bot.Person, ev *bot.Event) (refused bool, err error) {
	if ev.Kind != bot.KindAction {
		return false, nil
	}
	from := []seal.Audience{seal.Person(ev.From), seal.Tenant(ev.From.Platform, ev.From.Tenant)}
	if ev.Channel != "" {
		from = append(from, seal.Channel(bot.Address{
			Identity: bot.Identity{Platform: ev.From.Platform, Tenant: ev.From.Tenant}, Channel: ev.Channel}))
	}
	value, oerr := e.buttons.Open(ev.Action, from...)
	if oerr == nil {
		ev.Action = value
		return false, nil
	}
	// The reason is both the audited action and the text's key.
	reason := "button.forged"
	if errors.Is(oerr, seal.ErrExpired) {
		reason = "button.expired"
	}
	e.log.WarnContext(ctx, "button value refused", "platform", ev.From.Platform, "event", ev.ID, "person", person.ID, "reason", reason)
	aerr := e.store.Audit(ctx, store.AuditEntry{At: e.now(), ActorID: person.ID, Actor: ev.From.String(),
		Action: reason, Object: fmt.Sprintf("person:%d", person.ID), Detail: fmt.Sprintf("%q", truncate(ev.Action, maxAuditedValue))})
	if aerr != nil {
		return true, fmt.Errorf("engine: audit refused button: %w", aerr)
	}
	say := conversations.Outbound{Message: bot.Message{Text: e.texts.For(person.Locale).T(reason)}}
	_ = e.dispatch(ctx, person, *ev, []conversations.Outbound{say}) // logged; the refusal is audited
	return true, nil
}

// truncate cuts s to at most n bytes, at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Sealing returns a with the buttons of everything it sends sealed as the
// engine's own are, for senders outside the engine (the broadcaster). A
// message sent to many people at once is sealed for their whole tenant:
// the steps its buttons lead to check again who may use them (only a
// recipient's acknowledgment counts).
func (e *Engine) Sealing(a bot.Adapter) bot.Adapter {
	s := sealing{Adapter: a, e: e}
	if m, ok := a.(bot.Multicaster); ok {
		return sealingMulticaster{sealing: s, m: m}
	}
	return s
}

type sealing struct {
	bot.Adapter
	e *Engine
}

func (s sealing) Send(ctx context.Context, m bot.Message) (bot.MessageRef, error) {
	return s.Adapter.Send(ctx, s.e.sealMessage(bot.Event{}, m))
}

type sealingMulticaster struct {
	sealing
	m bot.Multicaster
}

func (s sealingMulticaster) BatchSize() int { return s.m.BatchSize() }

func (s sealingMulticaster) SendMany(ctx context.Context, to []bot.Identity, m bot.Message) ([]bot.Refusal, error) {
	if len(to) == 0 {
		return s.m.SendMany(ctx, to, m)
	}
	for _, id := range to[1:] {
		if id.Platform != to[0].Platform || id.Tenant != to[0].Tenant {
			return nil, fmt.Errorf("engine: one message to several tenants (%s and %s)", to[0].Tenant, id.Tenant)
		}
	}
	m.Buttons = sealButtons(s.e.buttons, seal.Tenant(to[0].Platform, to[0].Tenant), m.Buttons)
	m.Form = nil // forms open in reply to a click, never to many
	return s.m.SendMany(ctx, to, m)
}
