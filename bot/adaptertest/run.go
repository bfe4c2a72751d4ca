package adaptertest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// Run runs the suite; newHarness makes a fresh harness for each test.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(t *testing.T, newHarness func(t *testing.T) Harness)
	}{
		{"Send", testSend},
		{"Update", testUpdate},
		{"Escaping", testEscaping},
		{"Refusals", testRefusals},
		{"Redelivery", testRedelivery},
		{"FormFallback", testFormFallback},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, newHarness) })
	}
}

// testSend: a message arrives whole, and its buttons' values come back
// unchanged in the clicks.
func testSend(t *testing.T, newHarness func(t *testing.T) Harness) {
	h := newHarness(t)
	msg := bot.Message{
		To:    h.To(),
		Title: "Weekly check-in · 2026-W48",
		Text:  "Ready for this week's check-in? 准备好了吗？",
		Fields: []bot.Field{
			{Label: "Due", Value: "Friday"},
			{Label: "Team", Value: "Platform 平台"},
		},
		Buttons: []bot.Button{
			{Label: "Start", Value: "start:12:3", Style: bot.StylePrimary},
			{Label: "Later", Value: "later:12 x/ü=%&?#+"},
		},
	}
	ref, err := h.Adapter().Send(t.Context(), msg)
	require.NoError(t, err)
	require.NotEmpty(t, ref, "a message sent to a person has a ref")

	shown := h.Shown(t)
	require.NotEmpty(t, shown)
	all := texts(shown)
	for _, want := range []string{msg.Title, msg.Text, "Due", "Friday", "Team", "Platform 平台"} {
		require.Contains(t, all, want)
	}
	card := shown[len(shown)-1]
	require.Equal(t, []string{"Start", "Later"}, card.Buttons, "the buttons, in order, on the last message sent")

	var ids []string
	for _, b := range msg.Buttons {
		ev := h.Click(t, card, b.Label)
		require.Equal(t, bot.KindAction, ev.Kind)
		require.Equal(t, b.Value, ev.Action, "a button's value comes back unchanged")
		require.Equal(t, h.To().Identity, ev.From)
		require.NotEmpty(t, ev.ID)
		ids = append(ids, ev.ID)
	}
	require.NotEqual(t, ids[0], ids[1], "two clicks are two events")
}

// testUpdate: a clicked message is replaced, in place where the platform
// can; a message that cannot be replaced any more is sent anew.
func testUpdate(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := t.Context()
	h := newHarness(t)
	a := h.Adapter()
	u, ok := a.(bot.Updater)
	require.True(t, ok, "every adapter replaces messages or says how it cannot")

	question := bot.Message{To: h.To(), Text: "(1/4) What did you get done this week?",
		Buttons: []bot.Button{{Label: "Skip", Value: "skip:1"}}}
	_, err := a.Send(ctx, question)
	require.NoError(t, err)
	before := h.Shown(t)
	click := h.Click(t, before[len(before)-1], "Skip")

	chosen := bot.Message{To: h.To(), Text: "(1/4) What did you get done this week?\n› Skip"}
	require.NoError(t, u.Update(ctx, click.Ref, chosen))
	after := h.Shown(t)
	if h.Replaces() {
		require.Len(t, after, len(before), "replaced, not sent again")
	} else {
		require.Len(t, after, len(before)+1, "sent anew where the platform cannot replace")
	}
	last := after[len(after)-1]
	require.Contains(t, last.Text, "› Skip")
	require.Empty(t, last.Buttons, "the choice is made: nothing left to click")

	// Message.Replace asks Send for the same.
	_, err = a.Send(ctx, bot.Message{To: h.To(), Text: "(2/4) Anything blocking you?",
		Buttons: []bot.Button{{Label: "No", Value: "no:2"}}})
	require.NoError(t, err)
	before = h.Shown(t)
	click = h.Click(t, before[len(before)-1], "No")
	_, err = a.Send(ctx, bot.Message{To: h.To(), Replace: click.Ref, Text: "(2/4) Anything blocking you?\n› No"})
	require.NoError(t, err)
	after = h.Shown(t)
	if h.Replaces() {
		require.Len(t, after, len(before))
	} else {
		require.Len(t, after, len(before)+1)
	}
	require.Contains(t, after[len(after)-1].Text, "› No")

	// A message the platform cannot replace: Send says it anew, Update
	// says it anew or tells the caller, never loses it silently.
	stale := h.Stale(t)
	n := len(after)
	_, err = a.Send(ctx, bot.Message{To: h.To(), Replace: stale, Text: "said again once"})
	require.NoError(t, err)
	after = h.Shown(t)
	require.Len(t, after, n+1)
	require.Contains(t, after[n].Text, "said again once")

	if err := u.Update(ctx, stale, bot.Message{To: h.To(), Text: "said again twice"}); err != nil {
		require.Len(t, h.Shown(t), n+1, "the error says nothing was shown: %v", err)
	} else {
		after = h.Shown(t)
		require.Len(t, after, n+2, "no error: it was said anew")
		require.Contains(t, after[n+1].Text, "said again twice")
	}
}

// hostile is text a person might type, to be echoed to others.
var hostile = []string{
	"@all", "@channel", "@所有人", "<!channel>", "<!here>", "<@U123>",
	"*bold*", "_it_", "~gone~", "`code`", "**strong**", "# heading",
	"[x](http://evil.example)", "![img](http://evil.example/a.png)",
	`<a href="https://evil.example">点我</a>`, "<b>", "</b>", "<font color=\"red\">",
	"&lt;b&gt;", "&amp;", "a & b < c > d", "| table |", "> quote", "- item", "1. item",
}

// testEscaping: user text anywhere in a message renders as itself, with no
// link, tag, formatting or mention, on each platform by its own rules.
func testEscaping(t *testing.T, newHarness func(t *testing.T) Harness) {
	h := newHarness(t)
	typed := append(append([]string(nil), hostile...), h.Mentions()...)
	lines := strings.Join(typed, "\n")
	msg := bot.Message{
		To:    h.To(),
		Title: "Kudos <b>@all</b> *now*",
		Text:  lines,
		Fields: []bot.Field{
			{Label: "Note <@U123> *x*", Value: strings.Join(typed, " ")},
			{Label: "Answer", Value: lines},
		},
		Buttons: []bot.Button{{Label: "*Thanks* @all <b>", Value: "ack:1"}},
	}
	_, err := h.Adapter().Send(t.Context(), msg)
	require.NoError(t, err)
	shown := h.Shown(t)
	require.NotEmpty(t, shown)
	for _, s := range shown {
		require.Empty(t, s.Live, "user text made markup the platform acts on, in:\n%s", s.Text)
		require.Equal(t, bot.Neutralize(s.Text), s.Text, "a broadcast mention would ping")
	}
	// Invisible joiners aside, the person reads what was typed.
	seen := strings.ReplaceAll(texts(shown), "\u2060", "")
	for _, want := range append(typed, "Kudos <b>@all</b> *now*", "Note <@U123> *x*", "*Thanks* @all <b>") {
		require.Contains(t, seen, want, "shown as typed")
	}
}

// testRefusals: errors.Is tells a refusal that may pass later from one
// that will not.
func testRefusals(t *testing.T, newHarness func(t *testing.T) Harness) {
	for _, r := range []Refusal{RateLimited, Outage, InvalidUser, BadCredentials} {
		t.Run(string(r), func(t *testing.T) {
			h := newHarness(t)
			if !h.Refuse(t, r) {
				t.Skipf("the platform never refuses with %s", r)
			}
			_, err := h.Adapter().Send(t.Context(), bot.Message{To: h.To(), Text: "hello"})
			require.Error(t, err)
			if r.Temporary() {
				require.ErrorIs(t, err, bot.ErrTemporary)
				require.NotErrorIs(t, err, bot.ErrPermanent)
			} else {
				require.ErrorIs(t, err, bot.ErrPermanent)
				require.NotErrorIs(t, err, bot.ErrTemporary)
			}
			require.Empty(t, h.Shown(t), "nothing was delivered")
		})
	}
}

// testRedelivery: the platform's retry of a delivery is the same event.
func testRedelivery(t *testing.T, newHarness func(t *testing.T) Harness) {
	h := newHarness(t)
	typed := "Shipped <b>it</b> & more @all"
	evs := h.Redeliver(t, typed)
	require.NotEmpty(t, evs)
	for _, ev := range evs {
		require.NotEmpty(t, ev.ID)
		require.Equal(t, evs[0].ID, ev.ID, "a redelivery keeps the event's id")
		require.Equal(t, bot.KindMessage, ev.Kind)
		require.Equal(t, typed, ev.Text, "the text as typed")
		require.Equal(t, h.To().Identity, ev.From)
	}
	other := h.Redeliver(t, "another message")
	require.NotEmpty(t, other)
	require.NotEqual(t, evs[0].ID, other[0].ID, "another message is another event")
}

// testFormFallback: a message with a form says how to go on in chat, which
// is what the person gets wherever the form cannot open.
func testFormFallback(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := t.Context()
	h := newHarness(t)
	a := h.Adapter()
	fallback := "Reply here in chat: type what you got done. 请直接在聊天中回复。"
	form := bot.Form{Title: "Weekly check-in", Submit: "Send", Value: "form:12",
		Fields: []bot.FormField{{Key: "done", Label: "What did you get done?"}}}

	_, err := a.Send(ctx, bot.Message{To: h.To(), Text: fallback, Form: &form})
	require.NoError(t, err)
	shown := h.Shown(t)
	require.Len(t, shown, 1)
	require.Contains(t, shown[0].Text, fallback, "Send shows the text; only OpenForm opens forms")
	require.Zero(t, h.Forms(t))

	opener, ok := a.(bot.FormOpener)
	if !ok {
		return // the text is all this platform shows, and it was shown
	}
	_, err = a.Send(ctx, bot.Message{To: h.To(), Text: "Ready?", Buttons: []bot.Button{{Label: "Open", Value: "open:1"}}})
	require.NoError(t, err)
	shown = h.Shown(t)
	click := h.Click(t, shown[len(shown)-1], "Open")
	require.NoError(t, opener.OpenForm(ctx, click, form), "a form opens in reply to a click")
	require.Equal(t, 1, h.Forms(t))

	// Typed text may not be something a form can open from: OpenForm then
	// says so, and the caller falls back to the text.
	typed := h.Redeliver(t, "open the form")[0]
	if err := opener.OpenForm(ctx, typed, form); err != nil {
		require.Equal(t, 1, h.Forms(t), "the error says no form opened: %v", err)
		n := len(h.Shown(t))
		_, err := a.Send(ctx, bot.Message{To: h.To(), Text: fallback, Form: &form})
		require.NoError(t, err)
		shown = h.Shown(t)
		require.Len(t, shown, n+1)
		require.Contains(t, shown[n].Text, fallback)
	} else {
		require.Equal(t, 2, h.Forms(t), "no error: the form opened")
	}
}

func texts(shown []Shown) string {
	var b strings.Builder
	for _, s := range shown {
		b.WriteString(s.Text + "\n")
	}
	return b.String()
}
