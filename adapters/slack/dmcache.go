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

// dmMemory is how many users' channels a replica keeps in memory. It is
// a cache in front of the shared store, and without one a miss only posts
// to the user id, which Slack answers in the same channel: remembering
// every user a broadcast reaches (100,000 of them, about 100 bytes each)
// would grow the heap with the workspace for nothing. The people in a
// conversation now are far fewer than this.
const dmMemory = 1024

// dmCache remembers the direct-message channel of each user, in memory (the
// last dmMemory or so) and, when there is one, in the store replicas share,
// so a person's messages go to the channel Slack answered the first one with.
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
	c.remember(key, string(v))
	c.mu.Unlock()
	return string(v), true
}

// remember keeps key's channel in memory, forgetting another user's if
// dmMemory are kept already: whichever the map's iteration gives first.
// Which one matters little: a miss costs a read of the shared store, or a
// post to the user id. c.mu is held.
func (c *dmCache) remember(key, channel string) {
	if _, ok := c.mem[key]; !ok && len(c.mem) >= dmMemory {
		for k := range c.mem {
			delete(c.mem, k)
			break
		}
	}
	c.mem[key] = channel
}

func (c *dmCache) put(ctx context.Context, team, user, channel string) {
	key := dmKey(team, user)
	c.mu.Lock()
	known := c.mem[key] == channel
	c.remember(key, channel)
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
