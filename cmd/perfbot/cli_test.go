package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An administration command answers on stdout and logs only warnings, a
// readable line each; serve and demo keep their JSON log.
func TestCommandsLogOnlyWarnings(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)
	opened := "perfbot: database " + vars["PERFBOT_DATABASE_URL"] + "\n"
	require.Equal(t, opened, stderr, "no start-up record, no config")
	code, _, stderr = perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, opened, stderr)

	code, _, stderr = perfbot(t, vars, "checkin", "open", "--team", "Core", "--period", "2026-W48")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(stderr, opened)), "\n")
	require.Len(t, lines, 2, "a warning per prompt that had nowhere to go: %s", stderr)
	for _, l := range lines {
		require.Regexp(t, `^perfbot: warning: no way to reach recipient \(person=\d+ subject=\d+\)$`, l)
	}

	s := start(t, vars, "demo")
	require.Equal(t, 0, s.stop())
	first, _, _ := strings.Cut(s.stderr.String(), "\n")
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(first), &rec), "the demo logs JSON: %s", first)
	require.Contains(t, s.stderr.String(), `"msg":"perfbot started"`)
	// The provisional CN 2027 is a warning of the demo's (and serve's) log, in both languages.
	var provisional map[string]any
	for line := range strings.Lines(s.stderr.String()) {
		if strings.Contains(line, "provisional year") {
			require.NoError(t, json.Unmarshal([]byte(line), &provisional), line)
		}
	}
	require.NotNil(t, provisional, s.stderr.String())
	require.Equal(t, "WARN", provisional["level"])
	require.Equal(t, "CN", provisional["region"])
	require.EqualValues(t, 2027, provisional["year"])
	require.Contains(t, provisional["en"], "CN 2027 is provisional")
	require.Contains(t, provisional["zh-CN"], "CN 2027 年的日历是暂定的")
	require.Contains(t, provisional["source"], "国务院令第795号")
}

func TestWarningsHandler(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(newWarnings(&b)).With("platform", "slack").WithGroup("send")
	log.Info("not shown")
	log.Warn("refused", "reason", "rate limited", "n", 3, slog.Group("to", "id", "U1"))
	log.Error("gave up", "empty", "")
	require.Equal(t, "perfbot: warning: refused (platform=slack send.reason=\"rate limited\" send.n=3 send.to.id=U1)\n"+
		"perfbot: error: gave up (platform=slack send.empty=\"\")\n", b.String())
}

// Only serve, demo and migrate create a database; the other commands say
// which one they opened, and refuse, with what to do, one that is not there.
func TestCommandsDoNotCreateADatabase(t *testing.T) {
	vars := noDatabaseVars(t)
	path := strings.TrimPrefix(vars["PERFBOT_DATABASE_URL"], "sqlite:")
	for _, cmd := range [][]string{{"team", "list"}, {"org", "unknowns"}, {"export", "checkins"}, {"broadcast", "list"}} {
		code, stdout, stderr := perfbot(t, vars, cmd...)
		require.Equal(t, 1, code, cmd)
		require.Empty(t, stdout, cmd)
		require.Equal(t, "perfbot "+strings.Join(cmd, " ")+": no database at "+path+" (PERFBOT_DATABASE_URL=sqlite:"+path+")\n"+
			"run perfbot in the folder perfbot demo or serve runs in, set PERFBOT_DATABASE_URL to the database, or create one with `perfbot migrate`\n", stderr)
		require.NoFileExists(t, path, cmd)
		require.NoDirExists(t, filepath.Dir(path), cmd)
	}
	code, lines, out := doctorLines(t, vars)
	require.Equal(t, 1, code, out)
	require.Equal(t, "FAIL  database: no database at "+path+": perfbot migrate creates it", lines["database"])
	require.NoFileExists(t, path, "doctor changes nothing")

	code, stdout, stderr := perfbot(t, vars, "migrate")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "database is up to date\n", stdout)
	require.Equal(t, "perfbot: database sqlite:"+path+"\n", stderr, "it says which database")
	require.FileExists(t, path)

	code, stdout, stderr = perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "perfbot: database sqlite:"+path+"\n", stderr)
	require.Contains(t, stdout, "TEAM")

	// A relative path is named absolutely: it depends on the folder.
	t.Chdir(filepath.Dir(path))
	code, _, stderr = perfbot(t, map[string]string{"PERFBOT_DATABASE_URL": "sqlite:perfbot.db"}, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "perfbot: database sqlite:"+path+"\n", stderr)
}

// A name that is no team's is a typo more often than a new team: creating
// one takes --create. team delete deletes one, its members only with
// --force.
func TestTeamCreateAndDelete(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)

	code, stdout, stderr := perfbot(t, vars, "team", "set", "Croe", "--cadence", "0 16 * * FRI")
	require.Equal(t, 1, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "perfbot team set: no team named \"Croe\" (teams: Core)\n"+
		"to create a team of that name: perfbot team set \"Croe\" --create ...\n")
	_, stdout, _ = perfbot(t, vars, "team", "list")
	require.NotContains(t, stdout, "Croe", "nothing was created")

	code, stdout, stderr = perfbot(t, vars, "team", "set", "Growth", "--create", "--deadline", "FRI 18:00")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "team Growth created\n", stdout)
	code, stdout, _ = perfbot(t, vars, "team", "set", "Growth", "--create", "--deadline", "none", "--cadence", "0 16 * * FRI")
	require.Equal(t, 0, code)
	require.Equal(t, "team Growth updated: cadence, deadline\n", stdout, "--create on a team there is updates it")
	code, stdout, _ = perfbot(t, vars, "team", "set", "Growth")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "team Growth unchanged")

	code, _, stderr = perfbot(t, vars, "team", "delete", "Core")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "perfbot team delete: team Core has 2 members\n"+
		"move them to another team first (perfbot org import), or add --force to leave them without a team\n")
	code, stdout, stderr = perfbot(t, vars, "team", "delete", "Growth")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "team Growth deleted\n", stdout)
	code, stdout, stderr = perfbot(t, vars, "team", "delete", "Core", "--force")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "team Core deleted; 2 members now without a team\n", stdout)
	code, _, stderr = perfbot(t, vars, "team", "delete", "Core")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "perfbot team delete: no team named \"Core\" (there are no teams yet)\n")
	code, _, stderr = perfbot(t, vars, "team", "delete")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "run `perfbot team delete --help`")
}

// What the command line names and is not there is told as a person reads
// it, with what there is instead; the store's wording stays inside.
func TestNotFoundSaysWhatThereIs(t *testing.T) {
	vars := sqliteVars(t)
	code, _, stderr := perfbot(t, vars, "broadcast", "status", "99")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "perfbot broadcast status: no broadcast 99 (there are no broadcasts yet)\n")
	code, _, stderr = perfbot(t, vars, "checkin", "open", "--team", "Nope")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "perfbot checkin open: no team named \"Nope\" (there are no teams yet)\n")

	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV+"pm@example.com,PM,en,UTC,employee,,Growth,,pm\n"), 0o600))
	code, _, stderr = perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = perfbot(t, vars, "broadcast", "send", "--text", "hello")
	require.Equal(t, 0, code, stderr)
	code, _, stderr = perfbot(t, vars, "broadcast", "send", "--text", "again")
	require.Equal(t, 0, code, stderr)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"checkin", "open", "--team", "Nope"}, `perfbot checkin open: no team named "Nope" (teams: Core, Growth)`},
		{[]string{"schedule", "preview", "--team", "Nope"}, `perfbot schedule preview: no team named "Nope" (teams: Core, Growth)`},
		{[]string{"team", "set", "Nope", "--deadline", "none"}, `perfbot team set: no team named "Nope" (teams: Core, Growth)`},
		{[]string{"broadcast", "status", "99"}, "perfbot broadcast status: no broadcast 99 (the newest: 2, 1; perfbot broadcast list shows them)"},
		{[]string{"schedule", "log", "--person", "nobody@example.com"}, "perfbot schedule log: nobody has the email nobody@example.com (perfbot org import adds people)"},
	} {
		code, stdout, stderr := perfbot(t, vars, tc.args...)
		require.Equal(t, 1, code, tc.args)
		require.Empty(t, stdout, tc.args)
		require.Contains(t, stderr, tc.want+"\n", tc.args)
		require.NotContains(t, stderr, "store", tc.args)
		require.NotContains(t, stderr, "not found", tc.args)
	}
}

// Tables line up by the width a terminal shows: a Chinese character takes
// two columns.
func TestTableAlignsByDisplayWidth(t *testing.T) {
	var b bytes.Buffer
	tw := newTable(&b)
	fmt.Fprintln(&b) // not through the table: nothing is lost before Flush
	fmt.Fprintln(tw, "NAME\tTEAM\tMEMBERS")
	fmt.Fprintln(tw, "开发者\t增长 Growth\t3")
	fmt.Fprintln(tw, "Ada\tCore\t12")
	fmt.Fprintln(tw, "a line of its own")
	fmt.Fprintln(tw, "x\ty")
	require.NoError(t, tw.Flush())
	require.Equal(t, "\n"+
		"NAME    TEAM         MEMBERS\n"+
		"开发者  增长 Growth  3\n"+
		"Ada     Core         12\n"+
		"a line of its own\n"+
		"x  y\n", b.String())
	require.Equal(t, 6, displayWidth("开发者"))
	require.Equal(t, 4, displayWidth("ＡＢ"), "full-width forms")
	require.Equal(t, 1, displayWidth("e\u0301"), "a combining mark takes no column")
}

// team list lines up Chinese team names with the rest.
func TestTeamListAlignsChineseNames(t *testing.T) {
	vars := sqliteVars(t)
	for _, name := range []string{"增长", "Platform"} {
		code, _, stderr := perfbot(t, vars, "team", "set", name, "--create")
		require.Equal(t, 0, code, stderr)
	}
	code, stdout, stderr := perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	column := func(line, cell string) int { return displayWidth(line[:strings.Index(line, cell)]) }
	require.Equal(t, column(lines[0], "MEMBERS"), column(lines[1], "0"), stdout)
	require.Equal(t, column(lines[0], "MEMBERS"), column(lines[2], "0"), stdout)
}
