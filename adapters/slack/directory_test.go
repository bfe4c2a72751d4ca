package slack_test

import (
	"context"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/enginetest"
)

func member(id, name, email, tz, locale string) slackapi.User {
	u := slackapi.User{ID: id, TeamID: team, Name: strings.ToLower(name), RealName: name, TZ: tz, Locale: locale}
	u.Profile.Email = email
	u.Profile.RealName = name
	return u
}

func TestSyncDirectory(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, b)
			ctx := context.Background()
			known := h.f.Add("anna", bot.LocaleEN, "UTC", 0, bot.RoleEmployee)                       // matched by email
			byID := h.f.Add("ben", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, user("UBEN")) // by identity

			bot1 := member("UBOT", "Deploy Bot", "", "", "")
			bot1.IsBot = true
			gone := member("UGONE", "Gone", "gone@example.com", "", "")
			gone.Deleted = true
			h.fake.pages = [][]slackapi.User{
				{member("USLACKBOT", "Slackbot", "", "", ""), bot1, member("UANNA", "Anna", "ANNA@example.com", "Asia/Shanghai", "zh-CN")},
				{gone, member("UBEN", "Ben", "ben.new@example.com", "Europe/Berlin", "en-GB"),
					member("UCHEN", "陈晨", "chen@example.com", "Asia/Shanghai", "zh-CN"),
					member("UNOMAIL", "No Mail", "", "America/New_York", "en-US")},
			}

			res, err := h.ad.SyncDirectory(ctx, h.f.Store, directory.Options{DefaultLocale: "en", DefaultTimeZone: "UTC"})
			require.NoError(t, err)
			noMail := []directory.Unplaced{{UserID: "UNOMAIL", Reason: directory.NoEmail}}
			// Slackbot, the bot and the deactivated user are skipped.
			require.Equal(t, directory.Result{Created: 1, Updated: 2, Skipped: 3, Unplaced: noMail}, res)
			require.Equal(t, 2, h.fake.called("users.list"), "both pages read")

			anna, err := h.f.Store.Person(ctx, known.ID)
			require.NoError(t, err)
			require.Equal(t, "Asia/Shanghai", anna.TimeZone)
			require.Equal(t, bot.LocaleZH, anna.Locale)
			require.Equal(t, []bot.Identity{user("UANNA")}, anna.Identities)

			ben, err := h.f.Store.Person(ctx, byID.ID)
			require.NoError(t, err)
			require.Equal(t, "ben@example.com", ben.Email, "matched by identity, email kept")
			require.Equal(t, "Ben", ben.Name, "Slack's name")

			chen, err := h.f.Store.PersonByIdentity(ctx, user("UCHEN"))
			require.NoError(t, err)
			require.Equal(t, "陈晨", chen.Name)
			require.Equal(t, "chen@example.com", chen.Email)
			require.Equal(t, bot.LocaleZH, chen.Locale)
			require.Equal(t, "Asia/Shanghai", chen.TimeZone)
			require.Equal(t, []bot.Role{bot.RoleEmployee}, chen.Roles)

			log, err := h.f.Store.AuditLog(ctx, "person:"+itoa(chen.ID), 10)
			require.NoError(t, err)
			require.Len(t, log, 1)
			require.Equal(t, "sync:slack", log[0].Actor)
			require.Equal(t, "org.sync", log[0].Action)

			// Again: nothing to do.
			res, err = h.ad.SyncDirectory(ctx, h.f.Store, directory.Options{})
			require.NoError(t, err)
			require.Equal(t, directory.Result{Unchanged: 3, Skipped: 3, Unplaced: noMail}, res)
		})
	}
}
