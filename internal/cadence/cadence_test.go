package cadence_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/cadence"
)

// wall is a wall time as the package takes it: the clock's fields, in UTC.
func wall(t *testing.T, s string) time.Time {
	t.Helper()
	w, err := time.Parse("2006-01-02 15:04", s)
	require.NoError(t, err)
	return w
}

func TestSyntax(t *testing.T) {
	for _, c := range []string{
		"every 0 weeks: 0 16 * * FRI",
		"every two weeks: 0 16 * * FRI",
		"every 2 weeks from 20-11-2026: 0 16 * * FRI",
		"every 2 weeks: 0 16 * *",
		"every 2 weeks since 2026-11-20: 0 16 * * FRI",
		"last workday 4pm",
		"TZ=Asia/Shanghai 0 16 * * FRI",
	} {
		_, err := cadence.Parse(c)
		require.Error(t, err, c)
		require.ErrorContains(t, err, "cadence", c)
		require.NotErrorIs(t, err, cadence.ErrNone, c)
	}
	for _, c := range []string{"0 16 * * FRI", " 0 16 * * FRI ", "every 1 week: 0 9 * * MON", "Every 3 Weeks: 0 9 * * MON", "LAST WORKDAY 17:30"} {
		_, err := cadence.Parse(c)
		require.NoError(t, err, c)
	}
	_, err := cadence.Parse("  ")
	require.ErrorIs(t, err, cadence.ErrNone)
}

func TestNext(t *testing.T) {
	c, err := cadence.Parse("0 16 * * FRI")
	require.NoError(t, err)
	require.Equal(t, wall(t, "2026-11-20 16:00"), c.Next(wall(t, "2026-11-16 00:00")))
	require.Equal(t, wall(t, "2026-11-27 16:00"), c.Next(wall(t, "2026-11-20 16:00")), "after, not at")
	_, ok := c.LastWorkday()
	require.False(t, ok)
}

func TestEveryTwoWeeks(t *testing.T) {
	// Anchored on the week of Friday 2026-11-20: that Friday, then every
	// other one.
	c, err := cadence.Parse("every 2 weeks from 2026-11-20: 0 16 * * FRI")
	require.NoError(t, err)
	first := c.Next(wall(t, "2026-11-16 00:00"))
	require.Equal(t, wall(t, "2026-11-20 16:00"), first)
	require.Equal(t, wall(t, "2026-12-04 16:00"), c.Next(first))

	// Before the anchor, the weeks count backwards the same way.
	c, err = cadence.Parse("every 2 weeks from 2026-12-04: 0 16 * * FRI")
	require.NoError(t, err)
	require.Equal(t, wall(t, "2026-11-20 16:00"), c.Next(wall(t, "2026-11-14 00:00")))

	// Without a date, from the week of 1970-01-05: the week of 2026-11-16
	// is the 2967th after it, an odd one, so the Monday after.
	c, err = cadence.Parse("every 2 weeks: 0 9 * * MON")
	require.NoError(t, err)
	require.Equal(t, wall(t, "2026-11-23 09:00"), c.Next(wall(t, "2026-11-10 00:00")))
}

func TestLastWorkday(t *testing.T) {
	c, err := cadence.Parse("last workday 16:30")
	require.NoError(t, err)
	at, ok := c.LastWorkday()
	require.True(t, ok)
	require.Equal(t, cadence.TimeOfDay(16*60+30), at)
	require.True(t, c.Next(wall(t, "2026-11-16 00:00")).IsZero(), "which day is the calendar's to say")

	var none cadence.Cadence
	_, ok = none.LastWorkday()
	require.False(t, ok)
	require.True(t, none.Next(wall(t, "2026-11-16 00:00")).IsZero())
}

func TestParseTimeOfDay(t *testing.T) {
	tod, err := cadence.ParseTimeOfDay("09:05")
	require.NoError(t, err)
	require.Equal(t, cadence.TimeOfDay(9*60+5), tod)
	require.Equal(t, "09:05", tod.String())
	for _, bad := range []string{"9:05", "24:00", "09:60", "0905", ""} {
		_, err := cadence.ParseTimeOfDay(bad)
		require.Error(t, err, bad)
	}
}
