package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const scheduleCSV = "email,name,locale,timezone,roles,manager_email,team\n" +
	"boss@example.com,Boss,en,America/New_York,manager,,\n" +
	"li@example.com,Li Wei,zh-CN,Asia/Shanghai,employee,boss@example.com,Core\n" +
	"ann@example.com,Ann,en,America/New_York,employee,boss@example.com,Core\n" +
	"eva@example.com,Eva,en,Europe/Berlin,employee,,Idle\n"

// rows returns the preview's table rows for person, as "EVENT | LOCAL | UTC".
func rows(out, person string) []string {
	var rs []string
	for _, line := range strings.Split(out, "\n") {
		f := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		if len(f) == 6 && f[1] == person {
			rs = append(rs, f[3]+" | "+f[4]+" | "+f[5])
		}
	}
	return rs
}

func TestSchedulePreview(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(scheduleCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--cadence", "0 16 * * FRI", "--deadline", "FRI 18:00")
	require.Equal(t, 0, code, stderr)

	// The week of 国庆节 2026 (October 1st-7th, a Thursday to a Wednesday): Friday the 2nd is a
	// holiday in Shanghai, an ordinary Friday in New York.
	code, out, stderr := perfbot(t, vars, "schedule", "preview", "--from", "2026-09-28", "--days", "7")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "Idle  -       -         no cadence set")

	require.Equal(t, []string{
		"prompt | Fri 2026-10-02 16:00 EDT | 2026-10-02 20:00",
		"deadline, manager digest | Fri 2026-10-02 18:00 EDT | 2026-10-02 22:00",
		"nudge | Mon 2026-10-05 09:00 EDT | 2026-10-05 13:00",
		"review reminder* | Mon 2026-10-05 09:00 EDT | 2026-10-05 13:00",
		"nudge | Tue 2026-10-06 09:00 EDT | 2026-10-06 13:00",
		// A working day after the reminder, not in the same minute.
		"escalation* | Tue 2026-10-06 09:00 EDT | 2026-10-06 13:00",
	}, rows(out, "Ann"), out)
	// Shanghai: Friday 09-25 (中秋节) moved to Monday 09-28, none on the holiday Friday 10-02;
	// the deadline, Friday 10-02, is in 国庆节 and moves to the end of Thursday 10-08.
	require.Equal(t, []string{
		"prompt | Mon 2026-09-28 16:00 CST | 2026-09-28 08:00",
		"nudge | Tue 2026-09-29 16:00 CST | 2026-09-29 08:00",
		"nudge | Wed 2026-09-30 16:00 CST | 2026-09-30 08:00",
		"deadline, manager digest | Thu 2026-10-08 18:00 CST | 2026-10-08 10:00",
		"review reminder* | Fri 2026-10-09 09:00 EDT | 2026-10-09 13:00",
		"escalation* | Mon 2026-10-12 09:00 EDT | 2026-10-12 13:00",
	}, rows(out, "Li Wei"), out)

	code, out, stderr = perfbot(t, vars, "schedule", "preview", "--team", "Core", "--from", "2026-W41", "--days", "5")
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, out, "Idle")
	require.Equal(t, []string{
		// Friday 10-02's prompt, moved from 国庆节 to its first working day. Friday 10-09's own
		// is in the same week, whose round is then open already: not planned twice.
		"prompt | Thu 2026-10-08 16:00 CST | 2026-10-08 08:00",
		"nudge | Fri 2026-10-09 16:00 CST | 2026-10-09 08:00",
		"deadline, manager digest | Fri 2026-10-09 18:00 CST | 2026-10-09 10:00",
		// Saturday the 10th is a 调休 working day in China: nudged.
		"nudge | Sat 2026-10-10 16:00 CST | 2026-10-10 08:00",
		// The manager is in New York, where Saturday is off; the escalation a working day later.
		"review reminder* | Mon 2026-10-12 09:00 EDT | 2026-10-12 13:00",
		"escalation* | Tue 2026-10-13 09:00 EDT | 2026-10-13 13:00",
	}, rows(out, "Li Wei"), out)
	require.Contains(t, out, "Li Wei  CN")
	require.Contains(t, out, "Ann     weekends")

	// Into 2027, for which no CN notice is shipped: planned on the provisional 2027 of the
	// statutory days, which the rows and a note in both languages say.
	code, out, stderr = perfbot(t, vars, "schedule", "preview", "--from", "2026-12-28", "--days", "14")
	require.Equal(t, 0, code, stderr)
	li := rows(out, "Li Wei")
	require.NotEmpty(t, li, out)
	// Friday 2027-01-01, 元旦, is a statutory day off: the prompt moves to Monday the 4th.
	require.Equal(t, "prompt | Mon 2027-01-04 16:00 CST | 2027-01-04 08:00", li[0], out)
	require.Contains(t, out, "Li Wei  CN provisional  prompt")
	require.Contains(t, out, "Ann     weekends        prompt", "New York's Friday the 1st is planned as before")
	require.Contains(t, out, "note: CN 2027 is provisional: only the statutory days off of 《全国年节及纪念日放假办法》")
	require.Contains(t, out, "no 调休 working days and no 补假")
	require.Contains(t, out, "注：CN 2027 年的日历是暂定的：只计入《全国年节及纪念日放假办法》规定的法定假日")
	require.NotContains(t, out, "no holiday data for CN 2027")
	require.NotContains(t, out, "CN 2026 is provisional")

	// The notice loaded as the calendar file replaces the provisional year: here one with no
	// 元旦, so Friday the 1st is a working day again, and nothing is provisional.
	notice := filepath.Join(t.TempDir(), "cn-2027.yaml")
	require.NoError(t, os.WriteFile(notice, []byte("region: CN\nyear: 2027\nsource: a test's notice\nholidays:\n"+
		"  - name: {en: Spring Festival, zh-CN: 春节}\n    from: 2027-02-06\n    to: 2027-02-12\n"), 0o600))
	code, out, stderr = perfbot(t, vars, "schedule", "preview", "--from", "2026-12-28", "--days", "14", "--calendar", notice)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "prompt | Fri 2027-01-01 16:00 CST | 2027-01-01 08:00", rows(out, "Li Wei")[0], out)
	require.NotContains(t, out, "provisional")
	require.NotContains(t, out, "暂定")

	code, _, stderr = perfbot(t, vars, "schedule", "preview", "--team", "Nope")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, `no team named "Nope" (teams: Core, Idle)`)
	code, _, stderr = perfbot(t, vars, "schedule", "preview", "--from", "tomorrow")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `"tomorrow" is not a date`)
	code, out, stderr = perfbot(t, vars, "schedule", "preview")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "(14 days)")

	bad := filepath.Join(t.TempDir(), "cal.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("region: CN\nyear: 2027\nsource: x\nholidays:\n  - name: {en: A}\n    from: 2027-01-01\n"), 0o600))
	code, _, stderr = perfbot(t, vars, "schedule", "preview", "--calendar", bad)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "cal.yaml:5: holidays[0].name.zh-CN: missing")
}

// Team rules are set, listed, checked and used; the log shows what the
// scheduler sent.
func TestTeamRulesAndScheduleLog(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(scheduleCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--cadence", "every 2 weeks from 2026-10-02: 0 16 * * FRI",
		"--nudge-hours", "10:00-18:00", "--nudge-after", "4h", "--max-nudges", "1")
	require.Equal(t, 0, code, stderr)
	code, out, stderr := perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "nudges every 4h, at most 1, 10:00-18:00 local; review reminder after 24h, escalation after 48h")

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--review-after", "72h")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "must come before the escalation")
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--max-nudges", "lots")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `--max-nudges "lots"`)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--cadence", "fortnightly")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `cadence "fortnightly"`)

	// Every other Friday from 10-02: 10-16 is planned, 10-09 is not.
	code, out, stderr = perfbot(t, vars, "schedule", "preview", "--team", "Core", "--from", "2026-10-05", "--days", "14")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, []string{
		"prompt | Fri 2026-10-16 16:00 EDT | 2026-10-16 20:00",
		"nudge | Mon 2026-10-19 10:00 EDT | 2026-10-19 14:00",
	}, rows(out, "Ann")[:2], out)

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--max-nudges", "default", "--nudge-hours", "default",
		"--nudge-after", "default", "--cadence", "last workday 17:00")
	require.Equal(t, 0, code, stderr)
	code, out, stderr = perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "nudges every 24h, at most 2, 09:00-20:00 local")
	require.Contains(t, out, "last workday 17:00")

	code, out, stderr = perfbot(t, vars, "schedule", "log")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "nothing sent yet")
	code, _, stderr = perfbot(t, vars, "schedule", "log", "--since", "soon")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "--since")
}

// Someone away: the preview shows nothing of theirs before they are back,
// and says why.
func TestSchedulePreviewAway(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	csv := "email,name,timezone,team,away_until\n" +
		"ann@example.com,Ann,America/New_York,Core,2026-10-12\n" +
		"bo@example.com,Bo,America/New_York,Core,\n"
	require.NoError(t, os.WriteFile(org, []byte(csv), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--cadence", "0 16 * * FRI")
	require.Equal(t, 0, code, stderr)

	code, out, stderr := perfbot(t, vars, "schedule", "preview", "--from", "2026-10-05", "--days", "14")
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `Core\s+Ann\s+weekends\s+away until 2026-10-12: nothing before`, out)
	require.Equal(t, "prompt | Fri 2026-10-16 16:00 EDT | 2026-10-16 20:00", rows(out, "Ann")[0], out)
	require.Equal(t, "prompt | Fri 2026-10-09 16:00 EDT | 2026-10-09 20:00", rows(out, "Bo")[0], out)
}
