package calendar_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/calendar"
)

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return d
}

func load(t *testing.T, override string) *calendar.Calendar {
	t.Helper()
	path := ""
	if override != "" {
		path = filepath.Join(t.TempDir(), "override.yaml")
		require.NoError(t, os.WriteFile(path, []byte(override), 0o600))
	}
	c, err := calendar.Load(path)
	require.NoError(t, err)
	return c
}

func TestCN2026(t *testing.T) {
	c := load(t, "")
	require.Equal(t, []int{2026, 2027}, c.Years("CN"), "2027 provisional (statutory_test.go)")
	src, ok := c.Source("CN", 2026)
	require.True(t, ok)
	require.Contains(t, src, "国办发明电〔2025〕7号")

	tests := []struct {
		day     string
		workday bool
		holiday string // zh-CN name of the holiday, if one
	}{
		{"2026-11-20", true, ""},     // an ordinary Friday
		{"2026-11-21", false, ""},    // an ordinary Saturday
		{"2026-11-22", false, ""},    // an ordinary Sunday
		{"2026-01-01", false, "元旦"},  // a Thursday holiday
		{"2026-01-04", true, ""},     // 调休: a Sunday worked
		{"2026-02-14", true, ""},     // 调休: a Saturday worked before 春节
		{"2026-02-15", false, "春节"},  // a Sunday, and the first day of 春节
		{"2026-02-23", false, "春节"},  // a Monday, the last day of 春节
		{"2026-02-24", true, ""},     // back to work
		{"2026-02-28", true, ""},     // 调休: a Saturday worked after 春节
		{"2026-05-05", false, "劳动节"}, // a Tuesday holiday
		{"2026-05-09", true, ""},     // 调休 Saturday
		{"2026-09-20", true, ""},     // 调休 Sunday before 国庆节
		{"2026-10-07", false, "国庆节"}, // a Wednesday holiday
		{"2026-10-10", true, ""},     // 调休 Saturday after 国庆节
		{"2026-06-19", false, "端午节"}, // a Friday holiday
		{"2026-09-25", false, "中秋节"}, // a Friday holiday
		{"2026-04-06", false, "清明节"}, // a Monday holiday
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			d := date(t, tt.day)
			require.Equal(t, tt.workday, c.IsWorkday("CN", d))
			name, ok := c.Holiday("CN", d)
			require.Equal(t, tt.holiday != "", ok)
			require.Equal(t, tt.holiday, name.ZH)
			if ok {
				require.NotEmpty(t, name.In("en"))
			}
			day, err := c.Lookup("CN", d)
			require.NoError(t, err)
			require.Equal(t, tt.workday, day.Workday)
		})
	}
}

func TestNextWorkday(t *testing.T) {
	c := load(t, "")
	tests := []struct{ region, from, want string }{
		{"CN", "2026-02-13", "2026-02-14"}, // Friday -> the 调休 Saturday
		{"CN", "2026-02-14", "2026-02-24"}, // across the whole 春节 week
		{"CN", "2026-09-30", "2026-10-08"}, // across 国庆节
		{"CN", "2026-10-08", "2026-10-09"},
		{"CN", "2026-10-09", "2026-10-10"}, // the 调休 Saturday
		{"CN", "2026-11-20", "2026-11-23"}, // an ordinary weekend
		{"US", "2026-11-20", "2026-11-23"}, // no data: weekends only
		{"US", "2026-12-31", "2027-01-01"}, // no data: not even New Year
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, c.NextWorkday(tt.region, date(t, tt.from)).String(), "%s after %s", tt.region, tt.from)
	}
}

func TestNoDataFallsBackToWeekends(t *testing.T) {
	c := load(t, "")
	for _, tt := range []struct{ region, day string }{{"CN", "2028-01-26"}, {"US", "2026-07-04"}, {"", "2026-11-20"}} {
		day, err := c.Lookup(tt.region, date(t, tt.day))
		require.ErrorIs(t, err, calendar.ErrNoData)
		wd := date(t, tt.day).Weekday()
		require.Equal(t, wd != time.Saturday && wd != time.Sunday, day.Workday)
		require.False(t, day.Holiday)
	}
}

func TestOverrideReplacesAndAdds(t *testing.T) {
	c := load(t, `# A company that works the whole of 春节 but the eve, and has 2027 data.
region: CN
year: 2026
source: test
holidays:
  - name: {en: Spring Festival Eve, zh-CN: 除夕}
    from: 2026-02-16
---
region: CN
year: 2027
source: test
holidays:
  - name: {en: Company day, zh-CN: 公司日}
    from: 2027-03-01
    to: 2027-03-02
workdays:
  - date: 2027-03-06
    name: {en: Company day, zh-CN: 公司日}
`)
	require.Equal(t, []int{2026, 2027}, c.Years("CN"))
	require.False(t, c.Provisional("CN", 2027), "the provisional 2027 is replaced")
	require.True(t, c.IsWorkday("CN", date(t, "2027-02-08")), "none of its days is left")
	require.True(t, c.IsWorkday("CN", date(t, "2026-02-17")), "the shipped 春节 is replaced")
	require.False(t, c.IsWorkday("CN", date(t, "2026-02-14")), "and so is its 调休 Saturday")
	name, ok := c.Holiday("CN", date(t, "2026-02-16"))
	require.True(t, ok)
	require.Equal(t, "Spring Festival Eve", name.EN)
	require.False(t, c.IsWorkday("CN", date(t, "2027-03-02")))
	require.True(t, c.IsWorkday("CN", date(t, "2027-03-06")))
	_, err := c.Lookup("CN", date(t, "2027-03-03"))
	require.NoError(t, err)
}

func TestBadFilesRejected(t *testing.T) {
	const head = "region: CN\nyear: 2026\nsource: test\n"
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "override.yaml: no region and year"},
		{"unknown field", head + "holidays: []\nholiday: []\n", "override.yaml:5: holiday: unknown field"},
		{"missing source", "region: CN\nyear: 2026\nholidays: []\n", "override.yaml:1: source: missing"},
		{"bad region", "region: China\nyear: 2026\nsource: x\nholidays: []\n", "override.yaml:1: region: \"China\" is not a region code"},
		{"bad year", "region: CN\nyear: soon\nsource: x\nholidays: []\n", "override.yaml:2: year: \"soon\" is not a year"},
		{"bad date", head + "holidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2026-02-30\n", "override.yaml:6: holidays[0].from: \"2026-02-30\" is not a date"},
		{"missing name", head + "holidays:\n  - from: 2026-02-03\n", "override.yaml:5: holidays[0].name: missing"},
		{"missing zh name", head + "holidays:\n  - name: {en: A}\n    from: 2026-02-03\n", "override.yaml:5: holidays[0].name.zh-CN: missing"},
		{"to before from", head + "holidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2026-02-03\n    to: 2026-02-01\n", "override.yaml:7: holidays[0].to: 2026-02-01 is before from"},
		{"too long", head + "holidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2026-02-01\n    to: 2026-06-01\n", "holidays[0].to: 2026-06-01 makes a holiday longer than 31 days"},
		{"far year", head + "holidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2029-02-01\n", "override.yaml:6: holidays[0].from: 2029-02-01 is not in or next to 2026"},
		{"overlap", head + "holidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2026-02-01\n    to: 2026-02-03\n  - name: {en: B, zh-CN: 乙}\n    from: 2026-02-03\n", "override.yaml:8: holidays[1]: 2026-02-03 is already listed"},
		{"weekday workday", head + "holidays: []\nworkdays:\n  - date: 2026-02-13\n    name: {en: A, zh-CN: 甲}\n", "override.yaml:6: workdays[0].date: 2026-02-13 is a Friday, a working day already"},
		{"twice", head + "holidays: []\n---\n" + head + "holidays: []\n", "override.yaml:7: year: CN 2026 is declared twice"},
		{"not yaml", "region: [", "override.yaml: yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "override.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.file), 0o600))
			_, err := calendar.Load(path)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			var fe *calendar.FileError
			require.True(t, errors.As(err, &fe))
			require.ErrorIs(t, err, calendar.ErrBadData)
		})
	}
	_, err := calendar.Load(filepath.Join(t.TempDir(), "missing.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestRegionOf(t *testing.T) {
	require.Equal(t, "CN", calendar.RegionOf("Asia/Shanghai"))
	require.Equal(t, "", calendar.RegionOf("America/New_York"))
}
