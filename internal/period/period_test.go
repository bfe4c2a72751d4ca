package period_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/period"
)

func TestOf(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)

	// Sunday 2026-11-29 17:30 UTC: Monday 01:30 in Shanghai, Sunday 18:30 in Berlin.
	at := time.Date(2026, 11, 29, 17, 30, 0, 0, time.UTC)
	require.Equal(t, "2026-W49", period.Of(at, shanghai))
	require.Equal(t, "2026-W48", period.Of(at, berlin))
	// ISO week-year differs from the calendar year at the edges.
	require.Equal(t, "2026-W53", period.Of(time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC))
	require.Equal(t, "2026-W01", period.Of(time.Date(2025, 12, 29, 12, 0, 0, 0, time.UTC), time.UTC))
}

func TestStart(t *testing.T) {
	start, err := period.Start("2026-W48", time.UTC)
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), start)
	start, err = period.Start("2026-W01", time.UTC)
	require.NoError(t, err)
	require.Equal(t, time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), start)

	for _, bad := range []string{"", "2026-48", "2026-W54", "2025-W53", "2026-W00", "2026-W4", "abcd-Wxx", "2026-W488"} {
		_, err := period.Start(bad, time.UTC)
		require.ErrorIs(t, err, period.ErrBad, bad)
		require.False(t, period.Valid(bad), bad)
	}
	require.True(t, period.Valid("2026-W53"))
}
