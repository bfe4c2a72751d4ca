package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
)

func TestDashboardLink(t *testing.T) {
	for _, c := range []struct{ locale, say, want string }{
		{bot.LocaleEN, "dashboard", "Your dashboard: https://perfbot.test/dashboard/login?t=link-for-7\n"},
		{bot.LocaleZH, "看板", "你的看板：https://perfbot.test/dashboard/login?t=link-for-7\n"},
		{bot.LocaleEN, " /Dashboard! ", "Your dashboard: "},
		{bot.LocaleZH, "ｄａｓｈｂｏａｒｄ", "你的看板："},
	} {
		t.Run(c.say, func(t *testing.T) {
			w := newWorld(t, c.locale)
			res := w.say(c.say)
			require.NotEmpty(t, res.Out)
			require.Contains(t, res.Out[0].Message.Text, c.want)
			require.Empty(t, res.Effects, "asking for the link writes nothing")
			require.Equal(t, w.state, res.State)
		})
	}
}

func TestDashboardWordInsideAnAnswer(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	res := w.say("dashboard")
	require.NotContains(t, dump(res), "login?t=", "an answer to a check-in question is kept as the answer")
}

func TestDashboardButton(t *testing.T) {
	w := newWorld(t, bot.LocaleZH)
	res := w.clickValue(conversations.DashboardButton())
	require.Contains(t, dump(res), "你的看板：https://perfbot.test/dashboard/login?t=link-for-7")
	require.Empty(t, res.Effects)
}
