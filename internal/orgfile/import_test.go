package orgfile_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

// orgCSV is a good organisation file, as Excel saves one (BOM, CRLF). Reports
// come before their managers, and the chain has two levels.
const orgCSV = "\uFEFF" + `email,name,locale,timezone,roles,manager_email,department,team,goals,slack,wecom,simulator` + "\r\n" +
	`zhang.min@example.com,张敏,zh,Asia/Shanghai,,Li.Wei@example.com,Engineering,Platform,迁移到 PostgreSQL;Close tickets=30,U02,ww01:zhangmin,zhang.min` + "\r\n" +
	`li.wei@example.com,李伟,zh_CN,Asia/Shanghai,manager,wang.fang@example.com,Engineering,platform,,T09:U01,,li.wei` + "\r\n" +
	`wang.fang@example.com,王芳,,,hr;admin,,People,,,,,wang.fang` + "\r\n" +
	`anna@example.com,"Schmidt, Anna",en,Europe/Berlin,manager,wang.fang@example.com,Growth,增长 Growth,Grow weekly active teams=500,U03,,anna` + "\r\n" +
	"\r\n"

func importOptions(format string) orgfile.ImportOptions {
	return orgfile.ImportOptions{
		Format:          format,
		Tenants:         map[bot.Platform]string{bot.Slack: "T01", bot.WeCom: "ww00"},
		DefaultLocale:   "en",
		DefaultTimeZone: "Asia/Singapore",
		Actor:           "cli",
	}
}

func importCSV(t *testing.T, st store.Store, csv string) (orgfile.ImportResult, error) {
	t.Helper()
	return orgfile.Import(context.Background(), st, strings.NewReader(csv), importOptions(orgfile.FormatCSV))
}

func personByEmail(t *testing.T, st store.Store, email string) bot.Person {
	t.Helper()
	p, err := st.PersonByEmail(context.Background(), email)
	require.NoError(t, err, email)
	return p
}

func TestImport(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		platform := store.Team{Name: "Platform"}
		require.NoError(t, st.SaveTeam(ctx, &platform))

		res, err := importCSV(t, st, orgCSV)
		require.NoError(t, err)
		require.Equal(t, orgfile.ImportResult{Created: 4, Teams: 1}, res)

		wang := personByEmail(t, st, "wang.fang@example.com")
		li := personByEmail(t, st, "li.wei@example.com")
		zhang := personByEmail(t, st, "zhang.min@example.com")
		anna := personByEmail(t, st, "anna@example.com")
		growth, err := st.TeamByName(ctx, "增长 Growth")
		require.NoError(t, err)

		require.Equal(t, bot.Person{
			ID: zhang.ID, Name: "张敏", Email: "zhang.min@example.com", Locale: bot.LocaleZH, TimeZone: "Asia/Shanghai",
			Roles: []bot.Role{bot.RoleEmployee}, ManagerID: li.ID, Department: "Engineering", TeamID: platform.ID,
		}, withoutIdentities(zhang))
		require.ElementsMatch(t, []bot.Identity{
			{Platform: bot.Slack, Tenant: "T01", UserID: "U02"},       // the default tenant
			{Platform: bot.WeCom, Tenant: "ww01", UserID: "zhangmin"}, // its own
			{Platform: bot.Simulator, UserID: "zhang.min"},
		}, zhang.Identities)
		require.Equal(t, wang.ID, li.ManagerID, "a manager further down the file")
		require.Equal(t, platform.ID, li.TeamID, "team names match without case")
		require.Equal(t, []bot.Role{bot.RoleHR, bot.RoleAdmin}, wang.Roles)
		require.Equal(t, "en", wang.Locale, "the default locale")
		require.Equal(t, "Asia/Singapore", wang.TimeZone, "the default time zone")
		require.Zero(t, wang.ManagerID)
		require.Zero(t, wang.TeamID)
		require.Equal(t, "Schmidt, Anna", anna.Name)
		require.Equal(t, growth.ID, anna.TeamID)

		found, err := st.PersonByIdentity(ctx, bot.Identity{Platform: bot.Slack, Tenant: "T09", UserID: "U01"})
		require.NoError(t, err)
		require.Equal(t, li.ID, found.ID)

		goals, err := st.Goals(ctx, zhang.ID)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"迁移到 PostgreSQL: 0", "Close tickets: 30"}, goalTargets(goals))

		log, err := st.AuditLog(ctx, fmt.Sprintf("person:%d", zhang.ID), 0)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "org.import", log[0].Action)
		require.Equal(t, "cli", log[0].Actor)
		require.Equal(t, "created from line 2", log[0].Detail)
	})
}

func TestImportAgainUpdates(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		_, err := importCSV(t, st, orgCSV)
		require.NoError(t, err)

		res, err := importCSV(t, st, orgCSV)
		require.NoError(t, err)
		require.Equal(t, orgfile.ImportResult{Unchanged: 4}, res, "the same file changes nothing")

		// Zhang Min links DingTalk in the meantime.
		zhang := personByEmail(t, st, "zhang.min@example.com")
		ding := bot.Identity{Platform: bot.DingTalk, Tenant: "ding01", UserID: "0231"}
		zhang.Identities = append(zhang.Identities, ding)
		require.NoError(t, st.SavePerson(ctx, &zhang))

		// A file of fewer columns: the others stay as they are.
		res, err = importCSV(t, st, "email,name,slack,goals\n"+
			"ZHANG.MIN@example.com,张敏 Zhang Min,U22,close TICKETS=40;Write the runbook\n"+
			"anna@example.com,\"Schmidt, Anna\",,\n")
		require.NoError(t, err)
		require.Equal(t, orgfile.ImportResult{Updated: 1, Unchanged: 1}, res)

		people, err := st.People(ctx, store.PeopleFilter{})
		require.NoError(t, err)
		require.Len(t, people, 4, "upserted by email, not duplicated")
		after := personByEmail(t, st, "zhang.min@example.com")
		require.Equal(t, "张敏 Zhang Min", after.Name)
		require.Equal(t, zhang.ManagerID, after.ManagerID)
		require.Equal(t, zhang.TeamID, after.TeamID)
		require.Equal(t, "Engineering", after.Department)
		require.Equal(t, bot.LocaleZH, after.Locale)
		require.ElementsMatch(t, []bot.Identity{
			{Platform: bot.Slack, Tenant: "T01", UserID: "U22"}, // replaced
			{Platform: bot.WeCom, Tenant: "ww01", UserID: "zhangmin"},
			{Platform: bot.Simulator, UserID: "zhang.min"},
			ding,
		}, after.Identities)

		goals, err := st.Goals(ctx, after.ID)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"迁移到 PostgreSQL: 0", "Close tickets: 40", "Write the runbook: 0"}, goalTargets(goals))

		log, err := st.AuditLog(ctx, fmt.Sprintf("person:%d", after.ID), 0)
		require.NoError(t, err)
		require.Len(t, log, 2)
		require.Equal(t, `updated from line 2: name, identities, goal "Close tickets" target, goal "Write the runbook" added`, log[0].Detail)
	})
}

// requireEmpty fails unless st holds no people, teams or audit entries.
func requireEmpty(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	people, err := st.People(ctx, store.PeopleFilter{})
	require.NoError(t, err)
	require.Empty(t, people)
	teams, err := st.Teams(ctx)
	require.NoError(t, err)
	require.Empty(t, teams)
	log, err := st.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, log)
}

func TestImportBadRowWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		var b strings.Builder
		b.WriteString("email,name,timezone,team,manager_email\n")
		b.WriteString("boss@example.com,Boss,,Leads,\n")
		for i := 3; i <= 10; i++ {
			tz := "Europe/Berlin"
			if i == 7 {
				tz = "Asia/Shangai"
			}
			fmt.Fprintf(&b, "p%d@example.com,Person %d,%s,Team %d,boss@example.com\n", i, i, tz, i)
		}

		_, err := importCSV(t, st, b.String())
		var re *orgfile.RowErrors
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{{Line: 7, Column: "timezone", Message: `unknown time zone "Asia/Shangai"`}}, re.Errors)
		require.ErrorContains(t, err, `line 7, column timezone: unknown time zone "Asia/Shangai"`)
		requireEmpty(t, st)
	})
}

func TestImportReportsEveryProblem(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		owner := bot.Person{Name: "Owner", Email: "owner@example.com", Locale: "en", TimeZone: "UTC",
			Roles:      []bot.Role{bot.RoleEmployee},
			Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T01", UserID: "U99"}}}
		require.NoError(t, st.SavePerson(ctx, &owner))

		_, err := importCSV(t, st, "email,name,manager_email,slack,locale,roles\n"+
			"a@example.com,A,owner@example.com,,,\n"+ // fine: the manager is in the store
			"b@example.com,B,nobody@example.com,,,\n"+
			"c@example.com,C,,U99,,\n"+
			"d@example.com,D,,,de,\n"+
			"e@example.com,E,,,,boss\n")
		var re *orgfile.RowErrors
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{
			{Line: 3, Column: "manager_email", Message: "no person has the email nobody@example.com, in the file or in perfbot"},
			{Line: 4, Column: "slack", Message: "U99 already belongs to owner@example.com"},
			{Line: 5, Column: "locale", Message: `unknown locale "de"; use en or zh-CN`},
			{Line: 6, Column: "roles", Message: `unknown role "boss"; the roles are employee, manager, hr, admin`},
		}, re.Errors)

		people, err := st.People(ctx, store.PeopleFilter{})
		require.NoError(t, err)
		require.Len(t, people, 1, "only the person who was there")
	})
}

func TestImportRejectsManagerCycles(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		_, err := importCSV(t, st, "email,name,manager_email\n"+
			"boss@example.com,Boss,\n"+
			"c@example.com,C,a@example.com\n"+
			"a@example.com,A,b@example.com\n"+
			"b@example.com,B,c@example.com\n")
		var re *orgfile.RowErrors
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{{Line: 3, Column: "manager_email",
			Message: "managers go round in a circle: c@example.com → a@example.com → b@example.com → c@example.com"}}, re.Errors,
			"one problem for one circle, on its first line")
		requireEmpty(t, st)

		// A circle closed through the store: x reports to y there, and the
		// file makes y report to x.
		_, err = importCSV(t, st, "email,name,manager_email\ny@example.com,Y,\nx@example.com,X,y@example.com\n")
		require.NoError(t, err)
		_, err = importCSV(t, st, "email,name,manager_email\ny@example.com,Y,x@example.com\n")
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{{Line: 2, Column: "manager_email",
			Message: "managers go round in a circle: y@example.com → x@example.com → y@example.com"}}, re.Errors)
		require.Zero(t, personByEmail(t, st, "y@example.com").ManagerID)
	})
}

func TestImportXLSX(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		f := excelize.NewFile()
		defer f.Close()
		rows := [][]any{
			{"Name", "Email", "Manager_Email", "DingTalk", "Goals", "Team"},
			{"刘洋", "liu.yang@example.com", "anna@example.com", 20231, "公众号文章=12", "增长 Growth"},
			{},
			{"Anna Schmidt", "anna@example.com", "", "ding9:anna", "", "增长 Growth"},
		}
		for i, r := range rows {
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			require.NoError(t, err)
			require.NoError(t, f.SetSheetRow("Sheet1", cell, &r))
		}
		var buf bytes.Buffer
		require.NoError(t, f.Write(&buf))

		opt := importOptions(orgfile.FormatXLSX)
		opt.Tenants[bot.DingTalk] = "ding1"
		res, err := orgfile.Import(context.Background(), st, bytes.NewReader(buf.Bytes()), opt)
		require.NoError(t, err)
		require.Equal(t, orgfile.ImportResult{Created: 2, Teams: 1}, res)

		liu := personByEmail(t, st, "liu.yang@example.com")
		anna := personByEmail(t, st, "anna@example.com")
		require.Equal(t, anna.ID, liu.ManagerID)
		require.Equal(t, anna.TeamID, liu.TeamID)
		require.Equal(t, []bot.Identity{{Platform: bot.DingTalk, Tenant: "ding1", UserID: "20231"}}, liu.Identities)
		require.Equal(t, []bot.Identity{{Platform: bot.DingTalk, Tenant: "ding9", UserID: "anna"}}, anna.Identities)
		goals, err := st.Goals(context.Background(), liu.ID)
		require.NoError(t, err)
		require.Equal(t, []string{"公众号文章: 12"}, goalTargets(goals))

		// Problems are reported by sheet row.
		require.NoError(t, f.SetCellValue("Sheet1", "C2", "nobody@example.com"))
		require.NoError(t, f.SetCellValue("Sheet1", "B4", "anna at example.com"))
		buf.Reset()
		require.NoError(t, f.Write(&buf))
		_, err = orgfile.Import(context.Background(), st, &buf, opt)
		var re *orgfile.RowErrors
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{
			{Line: 2, Column: "manager_email", Message: "no person has the email nobody@example.com, in the file or in perfbot"},
			{Line: 4, Column: "email", Message: `not an email address: "anna at example.com"`},
		}, re.Errors)
	})
}

// errInjected is the failure faultyStore injects.
var errInjected = errors.New("injected database failure")

// faultyStore is a real store whose third SavePerson fails, as a database
// can half way through an import.
type faultyStore struct {
	store.Store
	saves *int
}

func (s faultyStore) InTx(ctx context.Context, fn func(store.Store) error) error {
	return s.Store.InTx(ctx, func(tx store.Store) error { return fn(faultyStore{tx, s.saves}) })
}

func (s faultyStore) SavePerson(ctx context.Context, p *bot.Person) error {
	if *s.saves++; *s.saves == 3 {
		return errInjected
	}
	return s.Store.SavePerson(ctx, p)
}

func TestImportDatabaseFailureWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		_, err := importCSV(t, faultyStore{st, new(int)}, orgCSV)
		require.ErrorIs(t, err, errInjected)
		requireEmpty(t, st)
	})
}

func TestImportOptions(t *testing.T) {
	ctx := context.Background()
	// The options are checked before the store is touched.
	_, err := orgfile.Import(ctx, nil, strings.NewReader(orgCSV), orgfile.ImportOptions{Format: "json"})
	require.ErrorIs(t, err, orgfile.ErrUnknownFormat)
	_, err = orgfile.Import(ctx, nil, strings.NewReader(orgCSV), orgfile.ImportOptions{Format: "csv", DefaultTimeZone: "Mars/Olympus"})
	require.ErrorIs(t, err, orgfile.ErrInvalidOption)
	_, err = orgfile.Import(ctx, nil, strings.NewReader(orgCSV), orgfile.ImportOptions{Format: "csv", DefaultLocale: "fr"})
	require.ErrorIs(t, err, orgfile.ErrInvalidOption)
}

func withoutIdentities(p bot.Person) bot.Person {
	p.Identities = nil
	return p
}

// goalTargets lists goals as "Title: target".
func goalTargets(goals []store.Goal) []string {
	s := make([]string, len(goals))
	for i, g := range goals {
		s[i] = fmt.Sprintf("%s: %g", g.Title, g.Target)
	}
	return s
}

// TestFormatExample imports the example of FORMAT.md, so that the
// documentation cannot drift from what Import accepts.
func TestFormatExample(t *testing.T) {
	doc, err := os.ReadFile("FORMAT.md")
	require.NoError(t, err)
	_, example, ok := strings.Cut(string(doc), "```csv\n")
	require.True(t, ok, "FORMAT.md has a CSV example")
	example, _, ok = strings.Cut(example, "```")
	require.True(t, ok)

	st := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "perfbot.db"))
	res, err := orgfile.Import(context.Background(), st, strings.NewReader(example), orgfile.ImportOptions{Format: orgfile.FormatCSV})
	require.NoError(t, err)
	require.Equal(t, 4, res.Created)
}

func TestImportAwayUntil(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		_, err := importCSV(t, st, "email,name,away_until\nada@example.com,Ada,2026-12-01\nbob@example.com,Bob,\n")
		require.NoError(t, err)
		require.Equal(t, "2026-12-01", personByEmail(t, st, "ada@example.com").AwayUntil)
		require.Empty(t, personByEmail(t, st, "bob@example.com").AwayUntil)

		// An empty cell ends the absence; a file without the column leaves it.
		_, err = importCSV(t, st, "email,name\nada@example.com,Ada\n")
		require.NoError(t, err)
		require.Equal(t, "2026-12-01", personByEmail(t, st, "ada@example.com").AwayUntil)
		_, err = importCSV(t, st, "email,name,away_until\nada@example.com,Ada,\n")
		require.NoError(t, err)
		require.Empty(t, personByEmail(t, st, "ada@example.com").AwayUntil)

		_, err = importCSV(t, st, "email,name,away_until\ncy@example.com,Cy,next week\n")
		var rows *orgfile.RowErrors
		require.ErrorAs(t, err, &rows)
		require.Equal(t, 2, rows.Errors[0].Line)
		require.Equal(t, "away_until", rows.Errors[0].Column)
	})
}

// The github, gitlab, jira and hubspot columns give people the tool
// accounts the tools' webhooks name them by: without a tenant, GitHub and
// GitLab in lower case, a Jira accountId as it is. Importing again
// replaces an account; one someone else has is refused with its line.
func TestImportToolAccounts(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		_, err := importCSV(t, st, "email,name,github,gitlab,jira,hubspot\n"+
			"ada@example.com,Ada,Codertocat,User1,557058:f58131cb-b67d-43c7-b30d-6b58d40bd077,74322246\n"+
			"bo@example.com,Bo,octocat,,,\n")
		require.NoError(t, err)
		ada := personByEmail(t, st, "ada@example.com")
		require.ElementsMatch(t, []bot.Identity{
			{Platform: bot.GitHub, UserID: "codertocat"}, {Platform: bot.GitLab, UserID: "user1"},
			{Platform: bot.Jira, UserID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"}, {Platform: bot.HubSpot, UserID: "74322246"},
		}, ada.Identities)
		got, err := st.PersonByIdentity(ctx, bot.Identity{Platform: bot.GitHub, UserID: "codertocat"})
		require.NoError(t, err)
		require.Equal(t, ada.ID, got.ID, "found as the webhook names her")

		_, err = importCSV(t, st, "email,name,github\nada@example.com,Ada,ada-l\n")
		require.NoError(t, err)
		ada = personByEmail(t, st, "ada@example.com")
		require.Contains(t, ada.Identities, bot.Identity{Platform: bot.GitHub, UserID: "ada-l"})
		require.NotContains(t, ada.Identities, bot.Identity{Platform: bot.GitHub, UserID: "codertocat"})
		require.Len(t, ada.Identities, 4, "the other tools' accounts stay")

		_, err = importCSV(t, st, "email,name,github\ncy@example.com,Cy,OctoCat\n")
		var re *orgfile.RowErrors
		require.ErrorAs(t, err, &re)
		require.Equal(t, []orgfile.RowError{{Line: 2, Column: "github", Message: "octocat already belongs to bo@example.com"}}, re.Errors)
	})
}
