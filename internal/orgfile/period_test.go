package orgfile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/orgfile"
)

func TestPeriod(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), "2026-W48"},
		{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "2026-W02"},
		// The ISO week-year, not the calendar year, at both ends of a year.
		{time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC), "2026-W53"},
		{time.Date(2025, 12, 29, 9, 0, 0, 0, time.UTC), "2026-W01"},
		// Taken in t's own zone: Monday 01:00 in Shanghai is Sunday in UTC.
		{time.Date(2026, 11, 30, 1, 0, 0, 0, shanghai), "2026-W49"},
		{time.Date(2026, 11, 30, 1, 0, 0, 0, shanghai).UTC(), "2026-W48"},
	} {
		require.Equal(t, tc.want, orgfile.Period(tc.at), tc.at)
	}
}

func TestPeriodRange(t *testing.T) {
	for _, tc := range []struct {
		from, to         string
		wantFrom, wantTo string
	}{
		{"2026-11-01", "2026-11-30", "2026-W44", "2026-W49"},
		{"", "", "", ""},
		{"2026-11-01", "", "2026-W44", ""},
		{"", "2027-01-01", "", "2026-W53"},
	} {
		from, to, err := orgfile.PeriodRange(tc.from, tc.to)
		require.NoError(t, err, "%s..%s", tc.from, tc.to)
		require.Equal(t, tc.wantFrom, from)
		require.Equal(t, tc.wantTo, to)
	}

	from, to, err := orgfile.PeriodRange("2026-W44", " 2027-w5")
	require.NoError(t, err)
	require.Equal(t, "2026-W44", from)
	require.Equal(t, "2027-W05", to, "weeks are normalised so they order as strings")

	for _, bad := range [][2]string{
		{"2026-11-31", ""},           // no such day
		{"01/11/2026", ""},           // not ISO
		{"", "2026-W54"},             // no such week
		{"", "2025-W53"},             // 2025 has 52 weeks
		{"2026-12-01", "2026-11-01"}, // backwards
	} {
		_, _, err := orgfile.PeriodRange(bad[0], bad[1])
		require.ErrorIs(t, err, orgfile.ErrInvalidRange, "%q..%q", bad[0], bad[1])
	}
}
