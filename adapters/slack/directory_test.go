package slack_test

import (
	"context"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

func member(id, name, email, tz, locale string) slackapi.User {
	u := slackapi.User{ID: id, TeamID: team, Name: strings.ToLower(name), RealName: name, TZ: tz, Locale: locale}
	u.Profile.Email = email
	u.Profile.RealName = name
	return u
}

// Members translates users.list, every page; internal/directory's tests
// show what a sync makes of this listing.
func TestMembers(t *testing.T) {
	h := newHarness(t, enginetest.Embedded)
	bot1 := member("UBOT", "Deploy Bot", "", "", "")
	bot1.IsBot = true
	app := member("UAPP", "Workflow", "", "", "")
	app.IsAppUser = true
	gone := member("UGONE", "Gone", "gone@example.com", "", "")
	gone.Deleted = true
	nick := member("UNICK", "", "nick@example.com", "", "")
	nick.Profile.DisplayName = "Nick"
	h.fake.pages = [][]slackapi.User{
		{member("USLACKBOT", "Slackbot", "", "", ""), bot1, app, member("UANNA", "Anna", "ANNA@example.com", "Asia/Shanghai", "zh-CN")},
		{gone, member("UBEN", "Ben", "ben.new@example.com", "Europe/Berlin", "en-GB"),
			member("UCHEN", "陈晨", "chen@example.com", "Asia/Shanghai", "zh-CN"),
			member("UNOMAIL", "No Mail", "", "America/New_York", "en-US"), nick},
	}

	members, err := h.ad.Members(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, h.fake.called("users.list"), "both pages read")
	// Slackbot, bots, app users and deactivated users are not active.
	require.Equal(t, []bot.Member{
		{Identity: user("USLACKBOT"), Name: "Slackbot"},
		{Identity: user("UBOT"), Name: "Deploy Bot"},
		{Identity: user("UAPP"), Name: "Workflow"},
		{Identity: user("UANNA"), Name: "Anna", Email: "ANNA@example.com", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Active: true},
		{Identity: user("UGONE"), Name: "Gone", Email: "gone@example.com"},
		{Identity: user("UBEN"), Name: "Ben", Email: "ben.new@example.com", Locale: "en-GB", TimeZone: "Europe/Berlin", Active: true},
		{Identity: user("UCHEN"), Name: "陈晨", Email: "chen@example.com", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Active: true},
		{Identity: user("UNOMAIL"), Name: "No Mail", Locale: "en-US", TimeZone: "America/New_York", Active: true},
		{Identity: user("UNICK"), Name: "Nick", Email: "nick@example.com", Active: true},
	}, members)
}
