package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A team's early warnings, which read everyone's goals, are evaluated once
// every WarnEvery, not at every tick; each team on its own.
func TestWarnDue(t *testing.T) {
	var r Runner
	t0 := time.Date(2026, 12, 3, 9, 1, 0, 0, time.UTC)
	require.True(t, r.warnDue(1, t0))
	require.False(t, r.warnDue(1, t0.Add(time.Minute)), "the next tick")
	require.False(t, r.warnDue(1, t0.Add(WarnEvery-time.Second)))
	require.True(t, r.warnDue(2, t0.Add(time.Minute)), "another team")
	require.True(t, r.warnDue(1, t0.Add(WarnEvery)))
	require.True(t, r.warnDue(1, t0.Add(-time.Hour)), "a clock set back looks again")
}
