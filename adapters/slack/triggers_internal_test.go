package slack

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Triggers live three seconds, are taken once, and never pile up.
func TestTriggers(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1795766400, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	tr := newTriggers(clock)

	tr.put("action:1", "trig-1")
	got, ok := tr.take("action:1")
	require.True(t, ok)
	require.Equal(t, "trig-1", got.id)
	_, ok = tr.take("action:1")
	require.False(t, ok, "taken once")

	tr.put("action:2", "trig-2")
	advance(triggerTTL)
	_, ok = tr.take("action:2")
	require.False(t, ok, "expired")

	// A flood of clicks, from many goroutines: the map stays bounded and
	// the newest triggers survive.
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range maxTriggers {
				tr.put(strconv.Itoa(g)+":"+strconv.Itoa(i), "t")
			}
		})
	}
	wg.Wait()
	tr.mu.Lock()
	require.LessOrEqual(t, len(tr.m), maxTriggers)
	tr.mu.Unlock()
	advance(time.Second)
	tr.put("action:new", "trig-new")
	got, ok = tr.take("action:new")
	require.True(t, ok)
	require.Equal(t, "trig-new", got.id)
}
