package simulator_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/browsertest"
)

// A click greys only the button it used, as long as perfbot has not drawn
// the card again; the card drawn again has every button back.
func TestBrowserClickGreysOnlyItsButton(t *testing.T) {
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, bot.HandlerFunc(func(context.Context, bot.Event) error { return nil }))
	card := bot.Message{To: dm("alice"), Title: "Check-in from 张伟", Buttons: []bot.Button{
		{Label: "Mark reviewed", Value: "review:1:0", Style: bot.StylePrimary}, {Label: "Praise", Value: "praise:1:0"},
	}}
	ref, err := a.Send(t.Context(), card)
	require.NoError(t, err)

	p := browsertest.Open(t, srv.URL+"/#alice", 1024, 700)
	button := func(label string) string {
		return `[...document.querySelectorAll("#log .actions button")].find((b) => b.textContent === "` + label + `")`
	}
	p.Wait(button("Praise"), "the card")
	p.Eval(button("Praise")+`.click()`, nil)
	p.Wait(`[...document.querySelectorAll("#log .choice")].some((n) => n.textContent.includes("Praise"))`, "the click delivered")
	var praise, review bool
	p.Eval(button("Praise")+`.disabled`, &praise)
	p.Eval(button("Mark reviewed")+`.disabled`, &review)
	require.True(t, praise, "the button used is grey until perfbot answers with the card")
	require.False(t, review, "the other buttons stay usable")
	p.Shot("clicked")

	require.NoError(t, a.Update(t.Context(), ref, card))
	p.Wait(`!(`+button("Praise")+`).disabled`, "the card drawn again has Praise back")
}
