package slack

import (
	"context"
	"sync"
	"time"

	"github.com/perfbot/perfbot/internal/dialog"
)

// dmTTL is how long a user's direct-message channel is remembered in the
// shared store. The channel never changes; the TTL only lets it be forgotten.
const dmTTL = 30 * 24 * time.Hour

// dmCache remembers the direct-message channel of each user, in memory and,
// when there is one, in the store replicas share, so a person's messages go
// to the channel Slack answered the first one with.
type dmCache struct {
	store dialog.Store // may be nil
	mu    sync.Mutex
	mem   map[string]string
}

func dmKey(team, user string) string { return "slack:dm:" + team + ":" + user }

func (c *dmCache) get(ctx context.Context, team, user string) (string, bool) {
	key := dmKey(team, user)
	c.mu.Lock()
	ch, ok := c.mem[key]
	c.mu.Unlock()
	if ok || c.store == nil {
		return ch, ok
	}
	v, _, err := c.store.Get(ctx, key)
	if err != nil || len(v) == 0 {
		return "", false // a miss posts to the user id
	}
	c.mu.Lock()
	c.mem[key] = string(v)
	c.mu.Unlock()
	return string(v), true
}

func (c *dmCache) put(ctx context.Context, team, user, channel string) {
	key := dmKey(team, user)
	c.mu.Lock()
	known := c.mem[key] == channel
	c.mem[key] = channel
	c.mu.Unlock()
	if known || c.store == nil {
		return
	}
	old, version, err := c.store.Get(ctx, key)
	if err != nil || string(old) == channel {
		return
	}
	// Losing this race to another replica is fine: it wrote the same channel.
	_, _ = c.store.Set(ctx, key, version, []byte(channel), dmTTL)
}
