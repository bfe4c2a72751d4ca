package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// batches is a BatchKeeper that records each batch and holds the first
// ones until released.
type batches struct {
	Inbox
	mu      sync.Mutex
	sizes   []int
	hold    int // batches still to hold
	started chan struct{}
	release chan struct{}
}

func (b *batches) KeepEvents(_ context.Context, keeps []Keep) []Kept {
	b.mu.Lock()
	b.sizes = append(b.sizes, len(keeps))
	held := b.hold > 0
	b.hold--
	b.mu.Unlock()
	if held {
		b.started <- struct{}{}
		<-b.release
	}
	out := make([]Kept, len(keeps))
	for i, k := range keeps {
		id, _ := strconv.ParseInt(k.Event.ID, 10, 64)
		out[i] = Kept{Envelope: Envelope{ID: id, Event: k.Event}, Kept: true}
	}
	return out
}

func TestKeeperBatchesWhatQueuesMeanwhile(t *testing.T) {
	b := &batches{hold: keepLeaders, started: make(chan struct{}), release: make(chan struct{})}
	k := &keeper{inbox: b}
	var wg sync.WaitGroup
	got := make([]int64, 12)
	keep := func(i int) {
		wg.Go(func() {
			env, kept, err := k.keep(Event{ID: fmt.Sprint(i)}, time.Time{})
			if err == nil && kept {
				got[i] = env.ID
			}
		})
	}
	// Each leader writes alone, and is held.
	for i := range keepLeaders {
		keep(i)
		<-b.started
	}
	for i := keepLeaders; i < len(got); i++ {
		keep(i)
	}
	require.Eventually(t, func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return len(k.queue) == len(got)-keepLeaders
	}, 5*time.Second, time.Millisecond, "the others queue")
	close(b.release)
	wg.Wait()
	for i, id := range got {
		require.EqualValues(t, i, id, "each caller gets its own event's outcome")
	}
	b.mu.Lock()
	require.Equal(t, []int{1, 1, len(got) - keepLeaders}, b.sizes, "what queued meanwhile went in one batch")
	b.mu.Unlock()
	require.Eventually(t, func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return k.leaders == 0
	}, 5*time.Second, time.Millisecond, "nobody leads once the queue is empty")
}
