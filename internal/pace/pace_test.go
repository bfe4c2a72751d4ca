package pace_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/pace"
)

// clock is a fake clock that sleeping moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func TestPacerSpacesCallsEvenly(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	start := c.now()
	p := pace.New(10, c.now, c.sleep)
	for range 21 {
		require.NoError(t, p.Wait(t.Context(), "message/send"))
	}
	// The first call goes at once, each of the next 20 a tenth of a second later.
	require.Equal(t, 2*time.Second, c.now().Sub(start))
	// Another API has its own rate.
	at := c.now()
	require.NoError(t, p.Wait(t.Context(), "appchat/send"))
	require.Equal(t, at, c.now())
}

func TestPacerIsBusyPastTheDeadline(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	p := pace.New(1, c.now, c.sleep)
	require.NoError(t, p.Wait(t.Context(), "send"))
	// The next slot is a second away; this caller leaves less than that
	// and the call's room.
	ctx, cancel := context.WithTimeout(t.Context(), pace.CallRoom+500*time.Millisecond)
	defer cancel()
	err := p.Wait(ctx, "send")
	busy, ok := errors.AsType[*bot.BusyError](err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, c.now().Add(time.Second), busy.At)
	require.ErrorIs(t, err, bot.ErrTemporary)

	// The refused slot was handed back: a caller who can wait takes it.
	before := c.now()
	ctx, cancel = context.WithTimeout(t.Context(), pace.CallRoom+2*time.Second)
	defer cancel()
	require.NoError(t, p.Wait(ctx, "send"))
	require.Equal(t, time.Second, c.now().Sub(before), "the slot a second on, not two")
}
