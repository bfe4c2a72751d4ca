package calendar

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	require.NoError(t, err)
	return d
}

// statutoryDays returns the days of y by date, as "name" in Chinese.
func statutoryDays(t *testing.T, y int) map[string]string {
	t.Helper()
	data, err := statutoryCN(y)
	require.NoError(t, err)
	require.True(t, data.provisional)
	days := map[string]string{}
	for d, e := range data.days {
		require.False(t, e.workday, "no adjusted working day is computed: %s", d)
		days[d.String()] = e.name.ZH
	}
	return days
}

// The provisional 2027, checked by hand. Each date is the law's day (article 2 of the revised
// 《全国年节及纪念日放假办法》, see lawCN) put on the 2027 calendar:
//   - 元旦: January 1st, a Friday (2026-01-01 was a Thursday, and 2026 has 365 days).
//   - 春节: 正月初一 of 丁未 is Saturday 2027-02-06, the day of the new moon in Beijing time
//     (computed, and the date almanacs give Chinese New Year 2027). 腊月 of 丙午 begins on
//     2027-01-08 and has 29 days, so 除夕 is 腊月廿九, Friday 2027-02-05, and the four days
//     run to 初三, Monday 02-08.
//   - 清明节: the sun reaches 15° on 2027-04-05 at about 08:17 Beijing time, a Monday
//     (January 1st + 94 days, 94 = 13 weeks + 3).
//   - 劳动节: May 1st and 2nd, a Saturday and a Sunday (+120 days: 17 weeks + 1).
//   - 端午节: 五月初五 is Wednesday 2027-06-09 (+159: 22 weeks + 5).
//   - 中秋节: 八月十五 is Wednesday 2027-09-15 (+257: 36 weeks + 5).
//   - 国庆节: October 1st to 3rd, a Friday to a Sunday (+273: 39 weeks).
//
// Six of the 13 fall on a weekend. The notice will give weekdays for them (补假) and move
// days around weekends (调休); none of that is guessed, so 2027-02-09 and 05-03 are working days
// here, and no Saturday or Sunday is.
func TestStatutoryCN2027(t *testing.T) {
	want := map[string]string{
		"2027-01-01": "元旦",
		"2027-02-05": "春节", "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节",
		"2027-04-05": "清明节",
		"2027-05-01": "劳动节", "2027-05-02": "劳动节",
		"2027-06-09": "端午节",
		"2027-09-15": "中秋节",
		"2027-10-01": "国庆节", "2027-10-02": "国庆节", "2027-10-03": "国庆节",
	}
	require.Equal(t, want, statutoryDays(t, 2027))
	weekdays := map[string]time.Weekday{
		"2027-01-01": time.Friday, "2027-02-05": time.Friday, "2027-02-06": time.Saturday, "2027-02-08": time.Monday,
		"2027-04-05": time.Monday, "2027-05-01": time.Saturday, "2027-06-09": time.Wednesday,
		"2027-09-15": time.Wednesday, "2027-10-01": time.Friday, "2027-10-03": time.Sunday,
	}
	for d, wd := range weekdays {
		require.Equal(t, wd, mustDate(t, d).Weekday(), d)
	}

	c, err := Load("")
	require.NoError(t, err)
	require.Equal(t, []int{2026, 2027}, c.Years("CN"))
	require.True(t, c.Provisional("CN", 2027))
	require.False(t, c.Provisional("CN", 2026))
	require.False(t, c.Provisional("CN", 2028), "no data is not provisional data")
	src, ok := c.Source("CN", 2027)
	require.True(t, ok)
	require.Contains(t, src, "provisional")
	require.Contains(t, src, "国务院令第795号")
	for d, name := range want {
		day, err := c.Lookup("CN", mustDate(t, d))
		require.NoError(t, err, d)
		require.True(t, day.Holiday, d)
		require.True(t, day.Provisional, d)
		require.Equal(t, name, day.Name.ZH, d)
		require.NotEmpty(t, day.Name.EN, d)
	}
	for _, tt := range []struct {
		day     string
		workday bool
	}{
		{"2027-02-04", true},  // Thursday before 除夕
		{"2027-02-09", true},  // Tuesday: the 补假 the notice will likely give is not guessed
		{"2027-02-13", false}, // Saturday: no 调休 guessed either
		{"2027-05-03", true},  // Monday after the weekend 劳动节
		{"2027-10-04", true},  // Monday after 国庆节's weekend
		{"2027-10-09", false}, // a Saturday
	} {
		day, err := c.Lookup("CN", mustDate(t, tt.day))
		require.NoError(t, err, tt.day)
		require.Equal(t, tt.workday, day.Workday, tt.day)
		require.False(t, day.Holiday, tt.day)
		require.True(t, day.Provisional, "a day of a provisional year is provisional, holiday or not: %s", tt.day)
	}
	require.Equal(t, "2027-02-09", c.NextWorkday("CN", mustDate(t, "2027-02-04")).String())
}

// The computation against the dates of earlier years as published: 正月初一, 清明, 端午 and
// 中秋 of each year from 2020 to 2026, the festivals the State Council's notice of each year
// gives days off for (its holidays contain these dates: for 2026 see data/CN-2026.yaml, for
// 2025 testdata/CN-2025.yaml). 除夕 is the day before 初一: the 2025 notice names 1月28日
// 农历除夕, the 2026 one 2月15日 腊月二十八 (so 除夕 is 2月16日, 腊月廿九).
func TestLunarDatesAsPublished(t *testing.T) {
	published := []struct {
		year                                     int
		newYear, qingming, dragonBoat, midAutumn string
	}{
		{2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"},
		{2021, "2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21"},
		{2022, "2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10"},
		{2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29"},
		{2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"},
		{2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"},
		{2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"},
	}
	for _, p := range published {
		require.Equal(t, p.newYear, lunarDate(p.year, 1, 1).String(), "%d 正月初一", p.year)
		require.Equal(t, p.qingming, qingming(p.year).String(), "%d 清明", p.year)
		require.Equal(t, p.dragonBoat, lunarDate(p.year, 5, 5).String(), "%d 端午", p.year)
		require.Equal(t, p.midAutumn, lunarDate(p.year, 8, 15).String(), "%d 中秋", p.year)
	}
	for y, eve := range map[int]string{2025: "2025-01-28", 2026: "2026-02-16"} {
		days := statutoryDays(t, y)
		require.Equal(t, "春节", days[eve], "%d 除夕", y)
		require.Empty(t, days[mustDate(t, eve).AddDays(-1).String()], "%d: one day of 春节 before 初一", y)
	}
}

// Every statutory day the law gives in 2025 and 2026 is a day off in the year's published
// notice: the shipped 2026, and the 2025 notice in testdata. The computation is what a notice
// starts from, and the law is the same.
func TestStatutoryDaysOffInPublishedYears(t *testing.T) {
	c, err := Load("testdata/CN-2025.yaml")
	require.NoError(t, err)
	for _, y := range []int{2025, 2026} {
		require.False(t, c.Provisional("CN", y))
		days := statutoryDays(t, y)
		require.Len(t, days, 13, "%d: the law's 13 days", y)
		for _, d := range slices.Sorted(maps.Keys(days)) {
			day, err := c.Lookup("CN", mustDate(t, d))
			require.NoError(t, err)
			require.True(t, day.Holiday, "%s (%s) is a day off in the published %d", d, days[d], y)
		}
	}
	_, err = statutoryCN(2024)
	require.Error(t, err, "2024 was under the old article 2 (春节 without 除夕, 劳动节 one day)")
}

// A published year replaces the provisional one whole, whether perfbot ships it or an admin
// loads it: none of the computed days is left, and its own 调休 counts.
func TestPublishedYearReplacesProvisional(t *testing.T) {
	cn2026, err := shipped.ReadFile("data/CN-2026.yaml")
	require.NoError(t, err)
	official := []byte(`region: CN
year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知 (a test's)
holidays:
  - name: {en: Spring Festival, zh-CN: 春节}
    from: 2027-02-06
    to: 2027-02-12
workdays:
  - date: 2027-02-20
    name: {en: Spring Festival, zh-CN: 春节}
`)
	check := func(t *testing.T, c *Calendar) {
		t.Helper()
		require.Equal(t, []int{2026, 2027}, c.Years("CN"))
		require.False(t, c.Provisional("CN", 2027))
		src, _ := c.Source("CN", 2027)
		require.Contains(t, src, "a test's")
		require.True(t, c.IsWorkday("CN", mustDate(t, "2027-01-01")), "the computed 元旦 is gone with the rest")
		require.True(t, c.IsWorkday("CN", mustDate(t, "2027-02-05")), "and so is the computed 除夕")
		require.False(t, c.IsWorkday("CN", mustDate(t, "2027-02-09")))
		require.True(t, c.IsWorkday("CN", mustDate(t, "2027-02-20")))
		day, err := c.Lookup("CN", mustDate(t, "2027-02-10"))
		require.NoError(t, err)
		require.False(t, day.Provisional)
		require.True(t, c.IsWorkday("CN", mustDate(t, "2026-02-14")), "the shipped 2026 is kept")
	}
	t.Run("shipped", func(t *testing.T) {
		c, err := load(fstest.MapFS{
			"data/CN-2026.yaml": {Data: cn2026},
			"data/CN-2027.yaml": {Data: official},
		}, "")
		require.NoError(t, err)
		check(t, c)
	})
	t.Run("override", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cn-2027.yaml")
		require.NoError(t, os.WriteFile(path, official, 0o600))
		c, err := Load(path)
		require.NoError(t, err)
		check(t, c)
	})
}

// Load computes the provisional years each time it runs: at start and per schedule preview.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatutoryCN(b *testing.B) {
	for b.Loop() {
		if _, err := statutoryCN(2027); err != nil {
			b.Fatal(err)
		}
	}
}
