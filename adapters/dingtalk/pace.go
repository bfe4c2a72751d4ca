package dingtalk

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultQPS is the calls a second perfbot makes to each DingTalk API: the
// published per-API limit of the lowest edition (20; higher editions 40 and
// 60). Going faster only earns QpsLimit refusals and their backoff.
const DefaultQPS = 20

// pacer keeps the calls to each API path under DingTalk's per-API limit on
// the client, so a broadcast runs at the limit instead of into it. Calls go
// evenly, without a burst: the gateway's own bucket then always has room
// for calls that arrive bunched by the network. Without a burst a slot
// nobody was waiting for is lost: a caller making one call after another,
// each after the answer to the last, runs at the limit only while answer
// and caller take under 1/qps (50 ms) together. The broadcaster keeps
// several calls waiting here instead (scheduler.BroadcasterOptions.Fanout),
// so each slot has a call to take it. It is safe for concurrent use. The limit is per app, so each replica paces at qps alone: replicas
// broadcasting at once share it (set DINGTALK_QPS to the limit divided by
// them).
type pacer struct {
	qps   rate.Limit
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	mu    sync.Mutex
	paths map[string]*rate.Limiter
}

func newPacer(qps int, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	return &pacer{qps: rate.Limit(qps), now: now, sleep: sleep, paths: map[string]*rate.Limiter{}}
}

// wait returns when a call to path may go, or when ctx ends.
func (p *pacer) wait(ctx context.Context, path string) error {
	p.mu.Lock()
	l, ok := p.paths[path]
	if !ok {
		l = rate.NewLimiter(p.qps, 1)
		p.paths[path] = l
	}
	p.mu.Unlock()
	now := p.now()
	r := l.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d == 0 {
		return nil
	}
	if err := p.sleep(ctx, d); err != nil {
		r.CancelAt(p.now()) // the slot goes back to the next caller
		return err
	}
	return nil
}
