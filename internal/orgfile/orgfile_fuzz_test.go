package orgfile

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// cellsOf is a table's header and rows as text, without trailing empty
// cells, which neither format keeps.
func cellsOf(t table) [][]string {
	out := [][]string{trimTrailing(t.header)}
	for _, r := range t.rows {
		out = append(out, trimTrailing(r.cells))
	}
	return out
}

func trimTrailing(cells []string) []string {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n]
}

// xmlChar is r as an XLSX cell keeps it: XML has no place for most
// control characters, which the writer replaces.
func xmlChar(r rune) rune {
	switch {
	case r == '\t', r == '\n', r == '\r', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000:
		return r
	}
	return utf8.RuneError
}

// FuzzReadCSV reads an organisation file as HR might upload it: the table
// is trimmed text, the file's rows are checked without a store, and the
// table written as CSV or XLSX reads back as itself.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"Name,EMAIL,Manager Email,roles,slack,simulator,goals,team\n李伟,li.wei@example.com,,manager,U01,li.wei,平台迁移;Ship v2=2,Platform\n" +
			"张敏,ZHANG.min@example.com,li.wei@example.com,,T02:U02,zhang.min,,Platform\n",
		"\xef\xbb\xbfname;email;manager_email\nAda;ada@example.com;\nBob;bob@example.com;ada@example.com\n",
		"name,email\n\"Ada\nLovelace\",ada@example.com\n,,\n  ,\u3000\nBob,=HYPERLINK(\"x\")\n",
		"name,email,email\nAda,a@x,b@x\n", "email,away_until,locale,time_zone\na@x,2026-13-01,fr,Mars/Olympus\n",
		"name,email\n\"unclosed,a@x\n", "\xff\xfe", "", "\n\n", "email\nA@X\na@x\n",
	} {
		f.Add([]byte(s))
	}
	opt := ImportOptions{Tenants: map[bot.Platform]string{bot.Slack: "T01", bot.WeCom: "ww1"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := readTable(bytes.NewReader(data), FormatCSV)
		if err != nil {
			require.Equal(t, table{}, tab)
			return
		}
		line := tab.headerLine
		require.Positive(t, line)
		for _, r := range append([]row{{line: 0, cells: tab.header}}, tab.rows...) {
			require.True(t, slices.ContainsFunc(r.cells, func(c string) bool { return c != "" }), "blank rows are dropped")
			for _, c := range r.cells {
				require.Equal(t, strings.TrimSpace(c), c)
				require.True(t, utf8.ValidString(c))
			}
		}
		for _, r := range tab.rows {
			require.Greater(t, r.line, line, "rows keep their lines, in order")
			line = r.line
		}

		var p problems
		file := parseFile(tab, opt, &p)
		for _, e := range file.entries {
			require.NotEmpty(t, e.email)
			require.Equal(t, strings.ToLower(e.email), e.email)
			require.Same(t, e, file.byEmail[e.email])
			require.Equal(t, e.line, file.lines[e.email])
		}
		for _, pr := range p.list {
			require.NotEmpty(t, pr.Message)
		}

		var csvOut bytes.Buffer
		require.NoError(t, writeTable(&csvOut, FormatCSV, tab))
		first, _, _ := bytes.Cut(csvOut.Bytes(), []byte("\n"))
		// A header of one cell holding a ';' reads as ';'-separated: the
		// export's headers are perfbot's own column names, which have none.
		if bytes.Contains(first, []byte(",")) || !bytes.Contains(first, []byte(";")) {
			back, err := readTable(&csvOut, FormatCSV)
			require.NoError(t, err)
			want := cellsOf(tab)
			for _, r := range want {
				for i, c := range r {
					r[i] = strings.TrimSpace(escapeFormula(c)) // CSV defuses formulas
				}
			}
			require.Equal(t, want, cellsOf(back), "CSV written reads back")
		}

		tab.name = "org"
		var xlsxOut bytes.Buffer
		require.NoError(t, writeTable(&xlsxOut, FormatXLSX, tab))
		back, err := readTable(&xlsxOut, FormatXLSX)
		require.NoError(t, err)
		want := cellsOf(tab)
		for _, r := range want {
			for i, c := range r {
				r[i] = strings.Map(xmlChar, c)
			}
		}
		require.Equal(t, want, cellsOf(back), "XLSX written reads back")
	})
}

// FuzzTeamSettings checks the team columns: what is accepted comes back in
// a spelling that is accepted as itself.
func FuzzTeamSettings(f *testing.F) {
	for _, s := range []string{"slack:C0123ABC", "wecom:ww1a2b:wrkSFfCg", "simulator:platform-team", "slack:", "jira:x", "a:b:c:d",
		"FRI 18:00", "fri  18:00", "FRI 24:00", "0 16 * * FRI", "every 2 weeks: 0 16 * * FRI", "every 2 weeks from 2026-01-07: 0 9 * * MON",
		"last workday 16:00", "CRON_TZ=Asia/Shanghai 0 16 * * FRI", "*/0 * * * *", "every 0 weeks: * * * * *", "@every 1h", "0 0 31 2 *"} {
		f.Add(s)
	}
	tenants := map[bot.Platform]string{bot.Slack: "T01"}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ParseChannel(s, tenants); err == nil {
			require.NotEmpty(t, a.Channel)
			require.Contains(t, []bot.Platform{bot.Slack, bot.WeCom, bot.DingTalk, bot.Simulator}, a.Platform)
			again, err := ParseChannel(string(a.Platform)+":"+a.Tenant+":"+a.Channel, nil)
			if a.Tenant != "" {
				require.NoError(t, err)
				require.Equal(t, a, again)
			}
		} else {
			require.ErrorIs(t, err, ErrTeamSetting)
		}
		if d, err := ParseDeadline(s); err == nil {
			again, err := ParseDeadline(d)
			require.NoError(t, err)
			require.Equal(t, d, again)
		} else {
			require.ErrorIs(t, err, ErrTeamSetting)
		}
		if c, err := ParseCadence(s); err == nil {
			require.NotEmpty(t, c)
			again, err := ParseCadence(c)
			require.NoError(t, err)
			require.Equal(t, c, again)
		} else {
			require.ErrorIs(t, err, ErrTeamSetting)
		}
	})
}
