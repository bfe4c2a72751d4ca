package conversations

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

func TestParseBroadcast(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want broadcastCmd
	}{
		{"broadcasting live", false, broadcastCmd{}},
		{"hello", false, broadcastCmd{}},
		{"broadcast", true, broadcastCmd{kind: bcUsage}},
		{"/广播", true, broadcastCmd{kind: bcUsage}},
		{"broadcast status", true, broadcastCmd{kind: bcStatus}},
		{"广播 状态 #12", true, broadcastCmd{kind: bcStatus, id: 12}},
		{"broadcast everyone: Review: Monday", true, broadcastCmd{kind: bcSend, audience: store.Audience{Everyone: true}, text: "Review: Monday"}},
		{"broadcast team Platform, role manager ack: Read it", true, broadcastCmd{kind: bcSend, ack: true,
			audience: store.Audience{Teams: []string{"Platform"}, Roles: []bot.Role{bot.RoleManager}}, text: "Read it"}},
		{"广播 所有人确认：下周一", true, broadcastCmd{kind: bcSend, ack: true, audience: store.Audience{Everyone: true}, text: "下周一"}},
		{"broadcast everyone", true, broadcastCmd{kind: bcSend, err: errNoColon}},
		{"broadcast everyone:   ", true, broadcastCmd{kind: bcSend, audience: store.Audience{Everyone: true}, err: errNoText}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseBroadcast(tt.in)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

// An acknowledgment names its broadcast: one that exists is recorded and
// thanked for, one that does not is answered so, and nothing is written.
func TestAckOfMissingBroadcast(t *testing.T) {
	cat, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	for _, locale := range []string{bot.LocaleEN, bot.LocaleZH} {
		in := Input{Event: bot.Event{Kind: bot.KindAction, Action: "ack:12:0"}, Person: bot.Person{ID: 7, Locale: locale}, Texts: cat}
		res := Step(in)
		require.Empty(t, res.Effects)
		require.Len(t, res.Out, 1)
		require.Equal(t, cat.For(locale).T("broadcast.ack_missing"), res.Out[0].Message.Text)

		in.Acked = &store.Broadcast{ID: 12}
		res = Step(in)
		require.Equal(t, []Effect{AckBroadcast{Broadcast: 12, Person: 7}}, res.Effects)
		require.Equal(t, cat.For(locale).T("broadcast.acked"), res.Out[0].Message.Text)
	}
	require.NotEqual(t, cat.For(bot.LocaleEN).T("broadcast.ack_missing"), cat.For(bot.LocaleZH).T("broadcast.ack_missing"))
}
