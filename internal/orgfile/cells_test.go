package orgfile

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

func TestParseEmail(t *testing.T) {
	got, err := parseEmail("Li.Wei@Example.COM")
	require.NoError(t, err)
	require.Equal(t, "li.wei@example.com", got)
	for _, bad := range []string{"li.wei", "Li Wei <li.wei@example.com>", "li wei@example.com", "@example.com"} {
		_, err := parseEmail(bad)
		require.Error(t, err, bad)
	}
}

func TestParseLocale(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "en": bot.LocaleEN, "EN-us": bot.LocaleEN,
		"zh": bot.LocaleZH, "zh-cn": bot.LocaleZH, "zh_CN": bot.LocaleZH, "zh-CN": bot.LocaleZH, "zh-Hans": bot.LocaleZH,
	} {
		got, err := parseLocale(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"fr", "zh-TW", "english"} {
		_, err := parseLocale(bad)
		require.ErrorContains(t, err, "use en or zh-CN", bad)
	}
}

func TestParseTimeZone(t *testing.T) {
	for _, ok := range []string{"", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"} {
		got, err := parseTimeZone(ok)
		require.NoError(t, err, ok)
		require.Equal(t, ok, got)
	}
	for _, bad := range []string{"Asia/Shangai", "Local", "../../etc/passwd", "CST+8"} {
		_, err := parseTimeZone(bad)
		require.Error(t, err, bad)
	}
	_, err := parseTimeZone("Asia/Shangai")
	require.EqualError(t, err, `unknown time zone "Asia/Shangai"`)
}

func TestParseRoles(t *testing.T) {
	for in, want := range map[string][]bot.Role{
		"":                 {bot.RoleEmployee},
		"manager":          {bot.RoleManager},
		"Manager, HR":      {bot.RoleManager, bot.RoleHR},
		"hr;admin;hr":      {bot.RoleHR, bot.RoleAdmin},
		"employee；manager": {bot.RoleEmployee, bot.RoleManager}, // full-width semicolon
		"manager，admin、hr": {bot.RoleManager, bot.RoleAdmin, bot.RoleHR},
		" ; employee ; ":   {bot.RoleEmployee},
		"manager hr":       {bot.RoleManager, bot.RoleHR},
	} {
		got, err := parseRoles(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := parseRoles("manager;ceo")
	require.ErrorContains(t, err, `unknown role "ceo"`)
}

func TestParseGoals(t *testing.T) {
	got, err := parseGoals("Ship v2;Close deals=10 ; ;  Cut p95 latency = 0.2；发布新版本＝3")
	require.NoError(t, err)
	require.Equal(t, []goalSpec{
		{title: "Ship v2"},
		{title: "Close deals", target: 10},
		{title: "Cut p95 latency", target: 0.2},
		{title: "发布新版本", target: 3},
	}, got)

	got, err = parseGoals("")
	require.NoError(t, err)
	require.Empty(t, got)

	for _, bad := range []string{"Close deals=ten", "Close deals=0", "Close deals=-3", "=10", "Ship;ship", "Close deals=Inf"} {
		_, err := parseGoals(bad)
		require.Error(t, err, bad)
	}
}

func TestParseIdentity(t *testing.T) {
	for _, tc := range []struct {
		platform     bot.Platform
		cell, tenant string
		want         bot.Identity
	}{
		{bot.Slack, "U024BE7LH", "T0001", bot.Identity{Platform: bot.Slack, Tenant: "T0001", UserID: "U024BE7LH"}},
		{bot.Slack, "T0002:U024BE7LH", "T0001", bot.Identity{Platform: bot.Slack, Tenant: "T0002", UserID: "U024BE7LH"}},
		{bot.WeCom, "ww1234： LiWei", "", bot.Identity{Platform: bot.WeCom, Tenant: "ww1234", UserID: "LiWei"}},
		{bot.Simulator, "li.wei", "", bot.Identity{Platform: bot.Simulator, UserID: "li.wei"}},
		// Tools have no tenant; GitHub and GitLab ignore case; a Jira
		// accountId keeps its colon.
		{bot.GitHub, " Codertocat ", "T0001", bot.Identity{Platform: bot.GitHub, UserID: "codertocat"}},
		{bot.GitLab, "User1", "", bot.Identity{Platform: bot.GitLab, UserID: "user1"}},
		{bot.Jira, "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "", bot.Identity{Platform: bot.Jira, UserID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"}},
		{bot.HubSpot, "74322246", "", bot.Identity{Platform: bot.HubSpot, UserID: "74322246"}},
	} {
		got, err := parseIdentity(tc.platform, tc.cell, tc.tenant)
		require.NoError(t, err, tc.cell)
		require.Equal(t, tc.want, got)
	}
	_, err := parseIdentity(bot.DingTalk, "manager1234", "")
	require.ErrorContains(t, err, "no tenant", "a real platform needs a tenant")
	_, err = parseIdentity(bot.GitHub, "ada lovelace", "")
	require.ErrorContains(t, err, "has a space")
	_, err = parseIdentity(bot.Slack, "T0001:", "")
	require.ErrorContains(t, err, "no user id")
}
