package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

func TestRenderEscapesEverythingTyped(t *testing.T) {
	blocks, fallback := render(bot.Message{
		Title:   "Check-in from <@U1> @here",
		Text:    "Hi <!channel> & @everyone",
		Fields:  []bot.Field{{Label: "Done <b>", Value: "a <https://evil|click> b"}, {Label: "Mood", Value: ""}},
		Buttons: []bot.Button{{Label: "Submit", Value: "submit:1:2", Style: bot.StylePrimary}, {Label: "Cancel", Value: "cancel:1:2", Style: bot.StyleDanger}},
	})
	raw, err := json.Marshal(blocks)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	got := b.String()

	require.Contains(t, got, `"text":"Check-in from <@U1> @`+"\u2060"+`here","type":"plain_text"`, "plain_text is not parsed; @here is defused")
	require.Contains(t, got, `Hi &lt;!channel&gt; &amp; @`+"\u2060"+`everyone`)
	require.Contains(t, got, `*Done &lt;b&gt;*\na &lt;https://evil|click&gt; b`)
	require.Contains(t, got, `*Mood*\n—`)
	require.Contains(t, got, `"verbatim":true`)
	require.Contains(t, got, `"style":"primary"`)
	require.Contains(t, got, `"style":"danger"`)
	require.Contains(t, got, `"value":"submit:1:2"`)
	require.NotContains(t, got, "<!channel>")
	require.Equal(t, "Check-in from &lt;@U1&gt; @\u2060here", fallback)
}

func TestLongTextIsSplitWithinLimits(t *testing.T) {
	long := strings.Repeat("word & ", 1000) // 7000 characters, 9000 escaped
	blocks, _ := render(bot.Message{Text: long, Fields: []bot.Field{{Label: "L", Value: long}}})
	require.Greater(t, len(blocks), 4)
	var joined strings.Builder
	for _, chunk := range split(escape(long), maxSectionText) {
		require.LessOrEqual(t, len([]rune(chunk)), maxSectionText)
		require.False(t, strings.HasSuffix(chunk, "&am"), "an escape is never cut")
		joined.WriteString(chunk)
	}
	require.Equal(t, escape(long), joined.String())
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(func() time.Time { return now })
	r := rate{Every: time.Second, Burst: 3}
	var waits []time.Duration
	for range 5 {
		waits = append(waits, l.reserve("k", r))
	}
	require.Equal(t, []time.Duration{0, 0, 0, time.Second, 2 * time.Second}, waits)
	require.Zero(t, l.reserve("other", r), "keys are independent")

	now = now.Add(10 * time.Second)
	require.Zero(t, l.reserve("k", r), "the burst refills")
	l.hold("k", r, 30*time.Second)
	require.Equal(t, 30*time.Second, l.reserve("k", r), "Retry-After holds everyone")
}

func TestRefRoundTrip(t *testing.T) {
	ch, ts, ok := parseRef(makeRef("D123", "1700000000.000100"))
	require.True(t, ok)
	require.Equal(t, "D123", ch)
	require.Equal(t, "1700000000.000100", ts)
	for _, bad := range []bot.MessageRef{"", "D123", "/1.2", "D123/"} {
		_, _, ok := parseRef(bad)
		require.False(t, ok, bad)
	}
}
