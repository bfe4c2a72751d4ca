package memory

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog/dialogtest"
)

// Claims are never read again once expired, so only sweeping removes them:
// the store must stay bounded by the live entries, not by all ever written.
func TestSweepBoundsExpiredEntries(t *testing.T) {
	ctx := t.Context()
	clock := dialogtest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := New(clock.Now)

	const live = 100
	for i := range live {
		_, err := s.Set(ctx, fmt.Sprint("state-", i), 0, []byte("x"), 24*time.Hour)
		require.NoError(t, err)
	}
	for i := range 50_000 {
		ok, err := s.Claim(ctx, fmt.Sprint("event-", i), time.Second)
		require.NoError(t, err)
		require.True(t, ok)
		clock.Advance(time.Second) // each claim expires before the next
	}

	s.mu.Lock()
	n := len(s.states) + len(s.claims)
	s.mu.Unlock()
	require.LessOrEqual(t, n, 2*live+minSweepEvery+1)

	// Sweeping drops only what expired.
	for i := range live {
		value, version, err := s.Get(ctx, fmt.Sprint("state-", i))
		require.NoError(t, err)
		require.Equal(t, []byte("x"), value)
		require.Equal(t, int64(1), version)
	}
}
