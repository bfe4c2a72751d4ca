package bot

import (
	"context"
	"sync"
	"time"
)

// keeper keeps the events that come in at the same moment in one write,
// when the inbox can ([BatchKeeper]): each caller queues its event, and at
// most keepLeaders of them at a time write what is queued, up to
// keepBatch events, and hand out the outcomes. While one write is under
// way the next events queue behind it, so the batches grow with the load
// and a lone event is written at once.
type keeper struct {
	inbox BatchKeeper
	mu    sync.Mutex
	queue []keepCall
	// leaders are the callers writing batches now.
	leaders int
}

type keepCall struct {
	keep Keep
	done chan Kept
}

const (
	// keepLeaders lets one batch be written while the next is gathered.
	keepLeaders = 2
	// keepBatch bounds a batch: one statement, well under any database's
	// limit on its parameters.
	keepBatch = 64
	// keepTimeout bounds a batch's write; the callers' requests may end
	// as soon as their events are kept, so it is not theirs.
	keepTimeout = 10 * time.Second
)

// keep keeps ev as Inbox.KeepEvent does, in a batch with the events
// queued beside it.
func (k *keeper) keep(ev Event, until time.Time) (Envelope, bool, error) {
	c := keepCall{keep: Keep{Event: ev, Until: until}, done: make(chan Kept, 1)}
	k.mu.Lock()
	k.queue = append(k.queue, c)
	lead := k.leaders < keepLeaders
	if lead {
		k.leaders++
	}
	k.mu.Unlock()
	if lead {
		k.lead(c.done)
	}
	kept := <-c.done
	return kept.Envelope, kept.Kept, kept.Err
}

// lead writes batches until mine is answered; when events are still
// queued then, a goroutine goes on writing them, so no caller waits for
// more than the batches ahead of it.
func (k *keeper) lead(mine chan Kept) {
	for {
		k.mu.Lock()
		n := min(len(k.queue), keepBatch)
		if n == 0 {
			k.leaders--
			k.mu.Unlock()
			return
		}
		if len(mine) > 0 {
			k.mu.Unlock()
			go k.lead(nil)
			return
		}
		batch := make([]keepCall, n)
		copy(batch, k.queue)
		k.queue = append(k.queue[:0:0], k.queue[n:]...)
		k.mu.Unlock()
		keeps := make([]Keep, n)
		for i, c := range batch {
			keeps[i] = c.keep
		}
		ctx, cancel := context.WithTimeout(context.Background(), keepTimeout)
		out := k.inbox.KeepEvents(ctx, keeps)
		cancel()
		for i, c := range batch {
			c.done <- out[i]
		}
	}
}
