package memory_test

import (
	"testing"
	"time"

	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/dialogtest"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// clocked is a memory store with the fake clock the suite advances.
type clocked struct {
	*memory.Store
	clock *dialogtest.Clock
}

func (c clocked) Advance(_ *testing.T, d time.Duration) { c.clock.Advance(d) }

func open(t *testing.T) dialog.Store {
	clock := dialogtest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := memory.New(clock.Now)
	t.Cleanup(func() { _ = s.Close() })
	return clocked{Store: s, clock: clock}
}

func TestConformance(t *testing.T) {
	dialogtest.Run(t, open)
}

func BenchmarkSet(b *testing.B) {
	dialogtest.BenchmarkSet(b, memory.New(time.Now))
}
