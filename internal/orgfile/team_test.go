package orgfile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

func TestParseChannel(t *testing.T) {
	tenants := map[bot.Platform]string{bot.WeCom: "ww1"}
	a, err := orgfile.ParseChannel("wecom:wrkSFfCg", tenants)
	require.NoError(t, err)
	require.Equal(t, bot.Address{Identity: bot.Identity{Platform: bot.WeCom, Tenant: "ww1"}, Channel: "wrkSFfCg"}, a)
	a, err = orgfile.ParseChannel("slack:T01:C0123", tenants)
	require.NoError(t, err)
	require.Equal(t, bot.Address{Identity: bot.Identity{Platform: bot.Slack, Tenant: "T01"}, Channel: "C0123"}, a)
	for _, bad := range []string{"C0123", "teams:C1", "slack:", "a:b:c:d"} {
		_, err := orgfile.ParseChannel(bad, tenants)
		require.ErrorIs(t, err, orgfile.ErrTeamSetting, bad)
	}
}

func TestParseDeadlineAndCadence(t *testing.T) {
	d, err := orgfile.ParseDeadline(" fri  18:00 ")
	require.NoError(t, err)
	require.Equal(t, "FRI 18:00", d)
	for _, bad := range []string{"FRI", "18:00", "FRI 24:00", "FRIDAY 18:00", "FRI 9:00"} {
		_, err := orgfile.ParseDeadline(bad)
		require.ErrorIs(t, err, orgfile.ErrTeamSetting, bad)
	}
	c, err := orgfile.ParseCadence("0 16 * * FRI")
	require.NoError(t, err)
	require.Equal(t, "0 16 * * FRI", c)
	for _, bad := range []string{"every friday", "0 16 * *", "CRON_TZ=Asia/Shanghai 0 16 * * FRI"} {
		_, err := orgfile.ParseCadence(bad)
		require.ErrorIs(t, err, orgfile.ErrTeamSetting, bad)
	}
}

func TestReadQuestions(t *testing.T) {
	qs, err := orgfile.ReadQuestions(strings.NewReader(`
- key: done
- key: demo
  en: What did you demo this week?
  zh-CN: 本周演示了什么？
`))
	require.NoError(t, err)
	require.Equal(t, []store.Question{
		{Key: "done"},
		{Key: "demo", Text: map[string]string{"en": "What did you demo this week?", "zh-CN": "本周演示了什么？"}},
	}, qs)

	for name, bad := range map[string]string{
		"empty":          ``,
		"not a list":     `key: done`,
		"bad key":        "- key: Demo Day\n  en: a\n  zh-CN: b",
		"twice":          "- key: done\n- key: done",
		"one language":   "- key: demo\n  en: What did you demo?",
		"unknown field":  "- key: demo\n  en: a\n  zh-CN: b\n  fr: c",
		"built-in, half": "- key: done\n  en: Wins?",
		"no key":         "- en: a\n  zh-CN: b",
	} {
		_, err := orgfile.ReadQuestions(strings.NewReader(bad))
		require.True(t, errors.Is(err, orgfile.ErrTeamSetting), "%s: %v", name, err)
	}
}
