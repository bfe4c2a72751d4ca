package simulator_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/adaptertest"
)

func TestConformance(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Harness {
		a := newAdapter(simulator.Options{})
		rec := &recorder{}
		return &conformance{a: a, srv: serve(t, a, rec), rec: rec}
	})
}

// conformance is the simulator through its HTTP API, for bot/adaptertest.
// The simulator is its own platform: what it holds is what the page shows.
type conformance struct {
	a   *simulator.Adapter
	srv *httptest.Server
	rec *recorder
}

func (c *conformance) Adapter() bot.Adapter { return c.a }

func (c *conformance) To() bot.Address { return dm(wei.ID) }

// Shown is perfbot's messages in the person's conversation. The page puts
// every text in the document as text, never as HTML, so nothing is live.
func (c *conformance) Shown(t *testing.T) []adaptertest.Shown {
	var out []adaptertest.Shown
	for _, e := range c.a.DM(wei.ID) {
		if e.From != "" || e.Kind != simulator.EntryMessage {
			continue
		}
		s := adaptertest.Shown{Ref: e.Ref}
		texts := []string{e.Title, e.Text}
		for _, f := range e.Fields {
			texts = append(texts, f.Label, f.Value)
		}
		for _, b := range e.Buttons {
			s.Buttons = append(s.Buttons, b.Label)
			texts = append(texts, b.Label)
		}
		s.Text = strings.Join(texts, "\n")
		out = append(out, s)
	}
	return out
}

func (c *conformance) Click(t *testing.T, m adaptertest.Shown, label string) bot.Event {
	for _, e := range c.a.DM(wei.ID) {
		if e.Ref != m.Ref {
			continue
		}
		for _, b := range e.Buttons {
			if b.Label == label {
				return c.handedOn(t, func() {
					code, _ := post(t, c.url("actions"), map[string]any{"ref": e.Ref, "value": b.Value})
					require.Equal(t, http.StatusOK, code)
				})[0]
			}
		}
	}
	t.Fatalf("no button %q on %s", label, m.Ref)
	return bot.Event{}
}

func (c *conformance) url(path string) string {
	return c.srv.URL + "/api/conversations/" + wei.ID + "/" + path
}

// handedOn runs deliver and returns the events the adapter handed on.
func (c *conformance) handedOn(t *testing.T, deliver func()) []bot.Event {
	before := len(c.rec.Events())
	deliver()
	evs := c.rec.Events()[before:]
	require.NotEmpty(t, evs, "nothing was handed on")
	return evs
}

// Redeliver types text, then asks the simulator to deliver it again.
func (c *conformance) Redeliver(t *testing.T, text string) []bot.Event {
	return c.handedOn(t, func() {
		code, _ := post(t, c.url("messages"), map[string]any{"text": text})
		require.Equal(t, http.StatusOK, code)
		code, _ = post(t, c.url("resend"), nil)
		require.Equal(t, http.StatusOK, code)
	})
}

// Refuse: the simulator has no platform that could refuse.
func (c *conformance) Refuse(t *testing.T, r adaptertest.Refusal) bool { return false }

// Stale is a ref the simulator never made (or forgot, past its history).
func (c *conformance) Stale(t *testing.T) bot.MessageRef { return "msg-gone" }

func (c *conformance) Forms(t *testing.T) int {
	n := 0
	for _, e := range c.a.DM(wei.ID) {
		if e.Kind == simulator.EntryForm {
			n++
		}
	}
	return n
}

func (c *conformance) Mentions() []string { return []string{"@alice", "@Alice Chen"} }

func (c *conformance) Replaces() bool { return true }
