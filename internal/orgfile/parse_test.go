package orgfile

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// parseCSV reads and checks a CSV organisation file without a store.
func parseCSV(t *testing.T, in string) (*orgFile, *RowErrors) {
	t.Helper()
	tab, err := readTable(strings.NewReader(in), FormatCSV)
	require.NoError(t, err)
	var p problems
	f := parseFile(tab, ImportOptions{Tenants: map[bot.Platform]string{bot.Slack: "T01"}}, &p)
	var re *RowErrors
	if err := p.err(); err != nil {
		require.ErrorAs(t, err, &re)
	}
	return f, re
}

func TestParseFile(t *testing.T) {
	f, re := parseCSV(t, `Name,EMAIL,Manager Email,roles,slack,simulator,goals,team
李伟,li.wei@example.com,,manager,U01,li.wei,平台迁移;Ship v2=2,Platform
张敏,ZHANG.min@example.com,li.wei@example.com,,T02:U02,zhang.min,,Platform
`)
	require.Nil(t, re)
	require.Len(t, f.entries, 2)
	zhang := f.byEmail["zhang.min@example.com"]
	require.NotNil(t, zhang)
	require.Equal(t, 3, zhang.line)
	require.Equal(t, "li.wei@example.com", zhang.manager)
	require.Equal(t, []bot.Role{bot.RoleEmployee}, zhang.roles)
	require.Equal(t, []bot.Identity{
		{Platform: bot.Slack, Tenant: "T02", UserID: "U02"},
		{Platform: bot.Simulator, UserID: "zhang.min"},
	}, zhang.identities)
	li := f.byEmail["li.wei@example.com"]
	require.Equal(t, bot.Identity{Platform: bot.Slack, Tenant: "T01", UserID: "U01"}, li.identities[0], "the default tenant")
	require.Equal(t, []goalSpec{{title: "平台迁移"}, {title: "Ship v2", target: 2}}, li.goals)
	require.True(t, f.cols.has(colManager))
	require.False(t, f.cols.has(colDepartment), "a column the file lacks")
}

func TestParseFileHeader(t *testing.T) {
	_, re := parseCSV(t, "email,favourite colour,Email,phone\na@example.com,blue,,\n")
	require.NotNil(t, re)
	require.Equal(t, []RowError{
		{Line: 1, Column: "favourite colour", Message: "unknown column; the columns are " + strings.Join(importColumns(), ", ")},
		{Line: 1, Column: "email", Message: "the column appears twice"},
		{Line: 1, Column: "phone", Message: "unknown column; the columns are " + strings.Join(importColumns(), ", ")},
		{Line: 1, Column: "name", Message: "missing required column"},
	}, re.Errors, "every header problem, and no row is read under a broken header")
}

func TestParseFileRowErrors(t *testing.T) {
	_, re := parseCSV(t, `email,name,locale,timezone,roles,manager_email,goals,slack,dingtalk
a@example.com,A,en,Asia/Shanghai,,,,,
b@example.com,B,fr,,,,,,
c@example.com,C,,Asia/Shangai,ceo,,,,
"d@example.com","D
(two lines)",,,,d@example.com,,,
not-an-email,E,,,,,,,
a@example.com,,,,,,Ship=soon,U1,
f@example.com,F,,,,,,U1,123
g@example.com,G,,,,,,,,surplus
`)
	require.NotNil(t, re)
	want := []RowError{
		{3, "locale", `unknown locale "fr"; use en or zh-CN`},
		{4, "timezone", `unknown time zone "Asia/Shangai"`},
		{4, "roles", `unknown role "ceo"; the roles are employee, manager, hr, admin`},
		{5, "manager_email", "a person cannot be their own manager"},
		{7, "email", `not an email address: "not-an-email"`},
		{8, "email", "a@example.com is also on line 2"},
		{8, "name", "required"},
		{8, "goals", `goal "Ship=soon": the target after '=' must be a number above 0`},
		{9, "slack", "U1 is also on line 8"},
		{9, "dingtalk", `"123" has no tenant; write tenant:userid, or configure the default dingtalk tenant`},
		{10, "", `"surplus" in column 10, which has no name in the header`},
	}
	require.ElementsMatch(t, want, re.Errors)
	lines := make([]int, len(re.Errors))
	for i, e := range re.Errors {
		lines[i] = e.Line
	}
	require.IsNonDecreasing(t, lines)
	require.Zero(t, re.More)
}

func TestRowErrorsCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range 60 {
		fmt.Fprintf(&b, "person%d@example.com,\n", i) // no name
	}
	_, re := parseCSV(t, b.String())
	require.NotNil(t, re)
	require.Len(t, re.Errors, maxRowErrors)
	require.Equal(t, 10, re.More)
	require.Equal(t, 2, re.Errors[0].Line)
	require.True(t, strings.HasPrefix(re.Error(), "60 problems in the file:\n  line 2, column name: required\n"), re.Error())
	require.True(t, strings.HasSuffix(re.Error(), "\n  and 10 more"), re.Error())
}

func TestRowErrorsMessage(t *testing.T) {
	var err error = &RowErrors{Errors: []RowError{{Line: 7, Column: "timezone", Message: `unknown time zone "Asia/Shangai"`}}}
	require.EqualError(t, err, `line 7, column timezone: unknown time zone "Asia/Shangai"`)
	var re *RowErrors
	require.True(t, errors.As(fmt.Errorf("import: %w", err), &re))
	require.EqualError(t, RowError{Line: 3, Message: "not valid CSV"}, "line 3: not valid CSV")
}
