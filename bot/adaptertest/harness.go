// Package adaptertest is the conformance suite every bot.Adapter passes:
// one set of tests, run by each adapter package against its own fake of
// the platform, so every platform keeps the same promises.
//
// An adapter package implements [Harness] over its fake server (what the
// fake received, as the platform would show it, and the inbound events the
// platform would deliver) and calls [Run] from a test:
//
//	func TestConformance(t *testing.T) {
//		adaptertest.Run(t, func(t *testing.T) adaptertest.Harness { return newConformance(t) })
//	}
//
// The suite checks sending (title, text, fields, buttons, and button values
// that come back unchanged in a click), replacing a message and the
// fallback where it cannot be replaced, that user text renders as itself
// and pings nobody, that refusals are marked bot.ErrTemporary or
// bot.ErrPermanent, that a redelivered event keeps its id, and that a
// message carrying a form still tells the person how to go on in chat.
package adaptertest

import (
	"testing"

	"github.com/perfbot/perfbot/bot"
)

// Harness is one adapter talking to a fresh fake of its platform.
type Harness interface {
	// Adapter is the adapter under test.
	Adapter() bot.Adapter
	// To is the person the suite sends to; the fake knows them.
	To() bot.Address
	// Shown is every message To now sees from perfbot, oldest first, each
	// as the platform renders it (replaced messages as they now read).
	Shown(t *testing.T) []Shown
	// Click delivers To's click on the button labelled label of m, as the
	// platform does, and returns the event the adapter handed on.
	Click(t *testing.T, m Shown, label string) bot.Event
	// Redeliver delivers text typed by To, then the platform's retry of
	// that same delivery, and returns every event the adapter handed on.
	Redeliver(t *testing.T, text string) []bot.Event
	// Refuse makes the fake refuse the next messages to To with r, however
	// often the adapter retries. It reports false when the platform never
	// refuses that way (the simulator has no platform to refuse).
	Refuse(t *testing.T, r Refusal) bool
	// Stale is a ref of a message to To that the platform can no longer
	// replace: gone, too old, or of a kind it cannot edit.
	Stale(t *testing.T) bot.MessageRef
	// Forms counts the forms To has been shown (0 for adapters that are
	// no bot.FormOpener).
	Forms(t *testing.T) int
	// Mentions are the platform's own ways of mentioning a person or a
	// group in message text, which user text must not be able to use.
	Mentions() []string
	// Replaces reports whether the platform replaces a clicked message
	// with buttons in place; where it does not, Update sends anew.
	Replaces() bool
}

// Shown is one message as the platform shows it.
type Shown struct {
	// Ref is the platform's handle on the message, as the harness knows
	// it; Click uses it to find the message.
	Ref bot.MessageRef
	// Text is everything the person reads (title, text, fields, button
	// labels), with the platform's markup rendered: escapes resolved,
	// invisible characters left in.
	Text string
	// Live is markup the platform would act on in the message apart from
	// the adapter's own layout: links, mentions, HTML tags, formatting.
	// Text a person typed must never produce any.
	Live []string
	// Buttons are the labels of the buttons that can be clicked.
	Buttons []string
}

// Refusal is a way a platform refuses a message.
type Refusal string

// The refusals the suite asks for. The first two are temporary, the last
// two permanent.
const (
	RateLimited    Refusal = "rate limited"
	Outage         Refusal = "outage (5xx)"
	InvalidUser    Refusal = "invalid user"
	BadCredentials Refusal = "bad credentials"
)

// Temporary reports whether trying again later may get past r.
func (r Refusal) Temporary() bool { return r == RateLimited || r == Outage }
