package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/internal/testredis"
)

// doctorLines runs perfbot doctor and returns its exit code and its lines
// by what each checks ("database", "inbox", ...).
func doctorLines(t *testing.T, vars map[string]string, args ...string) (int, map[string]string, string) {
	t.Helper()
	code, stdout, stderr := perfbot(t, vars, append([]string{"doctor"}, args...)...)
	lines := map[string]string{}
	for line := range strings.Lines(stdout) {
		what, _, ok := strings.Cut(strings.TrimSpace(line[5:]), ":")
		require.True(t, ok, "a line names what it checks: %q", line)
		lines[what] = strings.TrimSpace(line)
	}
	return code, lines, stdout + stderr
}

// On a migrated PostgreSQL with Redis and Slack configured, every check
// passes, and no password or token is printed.
func TestDoctorHealthy(t *testing.T) {
	// Trust auth ignores the password; it is there to prove it is never printed.
	dbURL := strings.Replace(testdb.Postgres(t), "postgres://postgres@", "postgres://postgres:s3cr3t-pw@", 1)
	require.Contains(t, dbURL, "s3cr3t-pw")
	vars := map[string]string{
		"PERFBOT_DATABASE_URL": dbURL, "PERFBOT_REDIS_URL": testredis.URL(t),
		"SLACK_BOT_TOKEN": "xoxb-very-secret-token", "SLACK_SIGNING_SECRET": "signing-secret-never-shown",
	}
	code, _, _ := perfbot(t, vars, "migrate")
	require.Equal(t, 0, code)

	code, lines, out := doctorLines(t, vars)
	require.Equal(t, 0, code, out)
	require.Regexp(t, `^ok +database: reachable at postgres://postgres:xxxxx@.*, schema version \d+ \(up to date\)$`, lines["database"])
	require.Regexp(t, `^ok +redis: reachable at redis://`, lines["redis"])
	require.Equal(t, "ok    inbox: no event waiting", lines["inbox"])
	require.Equal(t, "ok    failed events: none", lines["failed events"])
	require.Equal(t, "ok    platforms: slack", lines["platforms"])
	if time.Now().Year() <= 2027 {
		// The provisional CN 2027 is to come: a warning (which fails nothing), in both languages.
		require.True(t, strings.HasPrefix(lines["calendar"], "warn  calendar: CN 2026, 2027 provisional; other regions: weekends only. CN 2027 is provisional: "), lines["calendar"])
		require.Contains(t, lines["calendar"], "no 调休 working days and no 补假")
		require.True(t, strings.HasPrefix(lines["calendar (zh-CN)"], "warn  calendar (zh-CN): CN 2027 年的日历是暂定的："), out)
	}
	for _, secret := range []string{"s3cr3t-pw", "xoxb-very-secret-token", "signing-secret-never-shown"} {
		require.NotContains(t, out, secret)
	}
}

// A database perfbot has not migrated yet fails the check and says what
// to run; the embedded default keeps dialog state in-process.
func TestDoctorNotMigrated(t *testing.T) {
	code, lines, out := doctorLines(t, sqliteVars(t))
	require.Equal(t, 1, code, out)
	require.Regexp(t, `^FAIL +database: reachable at sqlite:.*, but at schema version 0 of \d+: run perfbot migrate$`, lines["database"])
	require.Contains(t, lines["redis"], "not configured")
	require.Equal(t, "--    inbox: not checked: the database schema is not this perfbot's", lines["inbox"])
	require.Equal(t, "warn  platforms: none configured: perfbot serve would take no chat events (see SLACK_*, WECOM_*, DINGTALK_*)", lines["platforms"])
	require.Contains(t, out, "perfbot doctor: 1 check of 7 failed")
}

// The calendar file perfbot serve would refuse fails the check; one with the published CN 2027
// replaces the provisional year, and the warning goes.
func TestDoctorCalendar(t *testing.T) {
	vars := sqliteVars(t)
	code, _, _ := perfbot(t, vars, "migrate")
	require.Equal(t, 0, code)
	file := filepath.Join(t.TempDir(), "calendar.yaml")
	vars["PERFBOT_CALENDAR"] = file

	require.NoError(t, os.WriteFile(file, []byte("region: CN\nyear: 2027\nsource: x\nholidays:\n  - name: {en: A}\n    from: 2027-01-01\n"), 0o600))
	code, lines, out := doctorLines(t, vars)
	require.Equal(t, 1, code, out)
	require.Regexp(t, `^FAIL +calendar: PERFBOT_CALENDAR: .*calendar\.yaml:5: holidays\[0\]\.name\.zh-CN: missing: perfbot serve would not start$`, lines["calendar"])

	require.NoError(t, os.WriteFile(file, []byte("region: CN\nyear: 2027\nsource: the notice\nholidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2027-01-01\n"), 0o600))
	code, lines, out = doctorLines(t, vars)
	require.Equal(t, 0, code, out)
	require.Equal(t, "ok    calendar: CN 2026, 2027; other regions: weekends only", lines["calendar"])
	require.NotContains(t, out, "provisional")
	require.NotContains(t, lines, "calendar (zh-CN)")
}

// Neither the database nor Redis answering is one line each, password
// hidden, and the inbox is not checked.
func TestDoctorUnreachable(t *testing.T) {
	vars := map[string]string{
		"PERFBOT_DATABASE_URL": "postgres://perfbot:db-pw-hidden@127.0.0.1:1/perfbot?sslmode=disable&connect_timeout=2",
		"PERFBOT_REDIS_URL":    "redis://:redis-pw-hidden@127.0.0.1:1/0",
		"WECOM_CORP_ID":        "ww123",
	}
	code, lines, out := doctorLines(t, vars)
	require.Equal(t, 1, code, out)
	require.Regexp(t, `^FAIL +database: cannot reach the database at postgres://perfbot:xxxxx@127\.0\.0\.1:1/`, lines["database"])
	require.Regexp(t, `^FAIL +redis: .*cannot reach Redis at redis://:xxxxx@127\.0\.0\.1:1/0`, lines["redis"])
	require.Equal(t, "--    inbox: not checked: the database is not reachable", lines["inbox"])
	require.Equal(t, "--    failed events: not checked: the database is not reachable", lines["failed events"])
	require.Regexp(t, `^FAIL +platforms: wecom: WECOM_\w+: must be set`, lines["platforms"], "a half-configured platform is named")
	require.Equal(t, "--    outbox: not checked: the database is not reachable", lines["outbox"])
	require.Contains(t, out, "3 checks of 7 failed")
	require.NotContains(t, out, "db-pw-hidden")
	require.NotContains(t, out, "redis-pw-hidden")
}

// An event waiting longer than --max-age fails the check; events failed
// for good are a warning with their count.
func TestDoctorInbox(t *testing.T) {
	vars := sqliteVars(t)
	code, _, _ := perfbot(t, vars, "migrate")
	require.Equal(t, 0, code)

	// Kept ten minutes ago, as the store's clock says.
	ago := time.Now().Add(-10 * time.Minute)
	st, err := sqlstore.Open(t.Context(), vars["PERFBOT_DATABASE_URL"], func() time.Time { return ago })
	require.NoError(t, err)
	from := bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}
	_, _, err = st.KeepEvent(t.Context(), bot.Event{ID: "stuck", Kind: bot.KindMessage, From: from}, time.Time{})
	require.NoError(t, err)
	other := bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U2"} // not kept behind U1's
	failed, _, err := st.KeepEvent(t.Context(), bot.Event{ID: "failed", Kind: bot.KindMessage, From: other}, ago.Add(time.Minute))
	require.NoError(t, err)
	require.NoError(t, st.FailEvent(t.Context(), failed, "boom"))
	// A reply kept as long ago that no sender has taken.
	reply := store.Outgoing{Message: bot.Message{To: bot.Address{Identity: from}, Text: "hello"}}
	require.NoError(t, st.EnqueueOutbox(t.Context(), []store.Outgoing{reply}, time.Time{}))
	require.NoError(t, st.Close())

	code, lines, out := doctorLines(t, vars)
	require.Equal(t, 1, code, out)
	require.Regexp(t, `^FAIL +inbox: 1 event waiting, the oldest for 10m0s, more than 5m0s: is perfbot serve running`, lines["inbox"])
	require.Equal(t, "warn  failed events: 1 in the last 24 hours, 1 in all; the inbox table keeps each one's reason (status 'failed')", lines["failed events"])
	require.Regexp(t, `^FAIL +outbox: 1 message waiting, the oldest for 10m0s, more than 5m0s: is perfbot serve running, and is a platform refusing`, lines["outbox"])
	require.Contains(t, lines["database"], "(up to date)")

	code, lines, out = doctorLines(t, vars, "--max-age", "1h")
	require.Equal(t, 0, code, out)
	require.Equal(t, "ok    inbox: 1 event waiting, the oldest for 10m0s", lines["inbox"])
	require.Equal(t, "ok    outbox: 1 message waiting, the oldest for 10m0s", lines["outbox"])

	code, _, out = doctorLines(t, vars, "--max-age", "soon")
	require.Equal(t, 2, code, out)
}
