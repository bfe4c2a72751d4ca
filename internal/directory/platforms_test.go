package directory_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// The tests below sync what each adapter lists for its fake platform (its
// TestMembers asserts the same listing), so each platform's shape of
// directory is shown end to end.

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Slack gives locales and time zones, no managers or departments, and hides
// emails from apps without users:read.email.
func TestSyncSlackWorkspace(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		user := func(uid string) bot.Identity {
			return bot.Identity{Platform: bot.Slack, Tenant: "T0PERFBOT", UserID: uid}
		}
		known := f.Add("anna", bot.LocaleEN, "UTC", 0, bot.RoleEmployee)                       // matched by email
		byID := f.Add("ben", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, user("UBEN")) // by identity
		workspace := listing{platform: bot.Slack, members: []bot.Member{
			{Identity: user("USLACKBOT"), Name: "Slackbot"},
			{Identity: user("UBOT"), Name: "Deploy Bot"},
			{Identity: user("UANNA"), Name: "Anna", Email: "ANNA@example.com", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Active: true},
			{Identity: user("UGONE"), Name: "Gone", Email: "gone@example.com"},
			{Identity: user("UBEN"), Name: "Ben", Email: "ben.new@example.com", Locale: "en-GB", TimeZone: "Europe/Berlin", Active: true},
			{Identity: user("UCHEN"), Name: "陈晨", Email: "chen@example.com", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Active: true},
			{Identity: user("UNOMAIL"), Name: "No Mail", Locale: "en-US", TimeZone: "America/New_York", Active: true},
		}}
		opt := directory.Options{DefaultLocale: "en", DefaultTimeZone: "UTC", RequireEmail: true, Clock: f.Clock.Now}

		res, err := directory.Sync(ctx, f.Store, workspace, opt)
		require.NoError(t, err)
		noMail := []directory.Unplaced{{UserID: "UNOMAIL", Reason: directory.NoEmail}}
		// Slackbot, the bot and the deactivated user are skipped.
		require.Equal(t, directory.Result{Created: 1, Updated: 2, Skipped: 3, Unplaced: noMail}, res)

		anna := person(t, f.Store, known.ID)
		require.Equal(t, "Asia/Shanghai", anna.TimeZone)
		require.Equal(t, bot.LocaleZH, anna.Locale)
		require.Equal(t, []bot.Identity{user("UANNA")}, anna.Identities)

		ben := person(t, f.Store, byID.ID)
		require.Equal(t, "ben@example.com", ben.Email, "matched by identity, email kept")
		require.Equal(t, "Ben", ben.Name, "Slack's name")

		chen, err := f.Store.PersonByIdentity(ctx, user("UCHEN"))
		require.NoError(t, err)
		require.Equal(t, "陈晨", chen.Name)
		require.Equal(t, "chen@example.com", chen.Email)
		require.Equal(t, bot.LocaleZH, chen.Locale)
		require.Equal(t, "Asia/Shanghai", chen.TimeZone)
		require.Equal(t, []bot.Role{bot.RoleEmployee}, chen.Roles)

		log, err := f.Store.AuditLog(ctx, "person:"+itoa(chen.ID), 10)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "sync:slack", log[0].Actor)
		require.Equal(t, "org.sync", log[0].Action)

		// Again: nothing to do.
		res, err = directory.Sync(ctx, f.Store, workspace, opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 3, Skipped: 3, Unplaced: noMail}, res)
	})
}

// WeCom gives main departments and direct leaders, no locale or time zone.
func TestSyncWeComCorp(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		corp := func(uid string) bot.Identity { return bot.Identity{Platform: bot.WeCom, Tenant: "wwcorp", UserID: uid} }
		rd := "研发 R&D"
		members := listing{platform: bot.WeCom, members: []bot.Member{
			{Identity: corp("Anna"), Name: "Anna Schmidt", Email: "anna@example.com", Department: rd, Manager: corp("LiWei"), Active: true},
			{Identity: corp("Gone"), Name: "Gone", Department: rd},
			{Identity: corp("LiWei"), Name: "李伟", Department: rd, Manager: corp("WangFang"), Active: true},
			{Identity: corp("New"), Name: "Not Yet Active", Department: rd, Manager: corp("LiWei"), Active: true},
			{Identity: corp("Off"), Name: "Off", Email: "off@example.com", Department: rd},
			{Identity: corp("WangFang"), Name: "王芳", Email: "Wang.Fang@example.com", Department: "Acme", Active: true},
		}}
		// Already known: Wang Fang by email (from an import), Li Wei by his
		// WeCom identity.
		known := f.Add("Fang W.", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleHR)
		known.Email = "wang.fang@example.com"
		require.NoError(t, f.Store.SavePerson(ctx, &known))
		li := f.Add("Li", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, corp("LiWei"))

		opt := directory.Options{DefaultLocale: "zh_CN", DefaultTimeZone: "Asia/Shanghai", Clock: f.Clock.Now}
		res, err := directory.Sync(ctx, f.Store, members, opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 2, Updated: 2, Skipped: 2}, res, "disabled and left skipped")

		wang := person(t, f.Store, known.ID)
		require.Equal(t, "王芳", wang.Name)
		require.Equal(t, "Acme", wang.Department)
		require.Contains(t, wang.Identities, corp("WangFang"))
		require.True(t, wang.Has(bot.RoleManager), "a direct leader manages")
		require.True(t, wang.Has(bot.RoleHR), "and keeps what she was")

		liNow := person(t, f.Store, li.ID)
		require.Equal(t, wang.ID, liNow.ManagerID)
		require.Equal(t, rd, liNow.Department)
		require.Equal(t, "Europe/Berlin", liNow.TimeZone, "what WeCom does not know is kept")

		anna, err := f.Store.PersonByEmail(ctx, "anna@example.com")
		require.NoError(t, err)
		require.Equal(t, li.ID, anna.ManagerID)
		require.Equal(t, bot.LocaleZH, anna.Locale)
		require.Equal(t, "Asia/Shanghai", anna.TimeZone)
		require.Equal(t, []bot.Role{bot.RoleEmployee}, anna.Roles)

		_, err = f.Store.PersonByIdentity(ctx, corp("Gone"))
		require.ErrorIs(t, err, store.ErrNotFound, "people who left are not created")
		_, err = f.Store.PersonByEmail(ctx, "off@example.com")
		require.ErrorIs(t, err, store.ErrNotFound, "disabled members are not created")
		newbie, err := f.Store.PersonByIdentity(ctx, corp("New"))
		require.NoError(t, err, "members not yet activated are people")
		require.Equal(t, li.ID, newbie.ManagerID, "the first direct leader manages")

		log, err := f.Store.AuditLog(ctx, "person:"+itoa(anna.ID), 10)
		require.NoError(t, err)
		require.NotEmpty(t, log)
		require.Equal(t, "sync:wecom", log[0].Actor)
		require.Equal(t, "org.sync", log[0].Action)

		// Again: nothing to change.
		res, err = directory.Sync(ctx, f.Store, members, opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 4, Skipped: 2}, res)
	})
}

// DingTalk gives first departments and managers, no locale or time zone.
func TestSyncDingTalkOrganisation(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		user := func(uid string) bot.Identity {
			return bot.Identity{Platform: bot.DingTalk, Tenant: "dingcorp", UserID: uid}
		}
		members := listing{platform: bot.DingTalk, members: []bot.Member{
			{Identity: user("boss"), Name: "王芳", Email: "wang.fang@example.com", Active: true},
			{Identity: user("lei"), Name: "李雷", Department: "研发 Engineering", Manager: user("anna1"), Active: true},
			{Identity: user("anna1"), Name: "Anna Schmidt", Email: "anna@example.com", Department: "研发 Engineering", Manager: user("boss"), Active: true},
		}}
		// Known already: Anna by email (no DingTalk id yet).
		anna := f.Add("anna", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee)

		opt := directory.Options{DefaultLocale: bot.LocaleZH, DefaultTimeZone: "Asia/Shanghai", Clock: f.Clock.Now}
		res, err := directory.Sync(ctx, f.Store, members, opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 2, Updated: 1}, res)

		boss, err := f.Store.PersonByIdentity(ctx, user("boss"))
		require.NoError(t, err)
		require.Equal(t, "wang.fang@example.com", boss.Email)
		require.Equal(t, bot.LocaleZH, boss.Locale)
		require.Equal(t, "Asia/Shanghai", boss.TimeZone)
		require.Equal(t, []bot.Role{bot.RoleEmployee, bot.RoleManager}, boss.Roles, "a manager gets the role")
		got := person(t, f.Store, anna.ID)
		require.Equal(t, "Anna Schmidt", got.Name)
		require.Equal(t, "研发 Engineering", got.Department)
		require.Equal(t, boss.ID, got.ManagerID)
		require.Equal(t, "Europe/Berlin", got.TimeZone, "what DingTalk does not give is kept")
		require.Contains(t, got.Identities, user("anna1"))
		lei, err := f.Store.PersonByIdentity(ctx, user("lei"))
		require.NoError(t, err)
		require.Equal(t, anna.ID, lei.ManagerID)

		log, err := f.Store.AuditLog(ctx, "person:"+itoa(lei.ID), 10)
		require.NoError(t, err)
		require.NotEmpty(t, log)
		require.Equal(t, "sync:dingtalk", log[0].Actor)
		require.True(t, f.Clock.Now().Equal(log[0].At), "the clock given")

		res, err = directory.Sync(ctx, f.Store, members, opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 3}, res, "a second sync changes nothing")
	})
}
