package slack

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// A broadcast to more people than dmMemory leaves at most dmMemory of their
// channels in memory; the shared store keeps them all, and a channel
// forgotten in memory is read from it again.
func TestDMCacheKeepsABoundedNumberInMemory(t *testing.T) {
	ctx := t.Context()
	shared := memory.New(time.Now)
	t.Cleanup(func() { shared.Close() })
	c := &dmCache{store: shared, mem: map[string]string{}}
	user := func(i int) string { return fmt.Sprintf("U%06d", i) }
	const n = 3 * dmMemory
	for i := range n {
		c.put(ctx, "T1", user(i), "D"+user(i))
	}
	require.Equal(t, dmMemory, len(c.mem), "memory holds dmMemory channels, not one per person")
	last, ok := c.mem[dmKey("T1", user(n-1))]
	require.True(t, ok, "the latest channel is kept")
	require.Equal(t, "D"+user(n-1), last)
	for i := range n {
		ch, ok := c.get(ctx, "T1", user(i))
		require.True(t, ok, "%s is in the shared store", user(i))
		require.Equal(t, "D"+user(i), ch)
	}
	require.Equal(t, dmMemory, len(c.mem), "reading them back keeps the bound")

	// Without a shared store a forgotten channel is a miss: the next
	// message posts to the user id.
	alone := &dmCache{mem: map[string]string{}}
	for i := range n {
		alone.put(ctx, "T1", user(i), "D"+user(i))
	}
	require.Equal(t, dmMemory, len(alone.mem))
	missed := 0
	for i := range n {
		if _, ok := alone.get(ctx, "T1", user(i)); !ok {
			missed++
		}
	}
	require.Equal(t, n-dmMemory, missed)
}
