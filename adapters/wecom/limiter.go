package wecom

import (
	"slices"
	"sync"
	"time"
)

// memberLimiter keeps sends within WeCom's per-member limit: an app may send
// one member at most `limit` messages per `window`, and WeCom silently drops
// what goes over. Callers reserve a slot and wait until it comes rather
// than lose a message. It counts this process's sends.
type memberLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	limit  int
	window time.Duration
	sent   map[string][]time.Time // per member, sorted; may hold reserved future times
	swept  time.Time
}

func newMemberLimiter(limit int, window time.Duration, now func() time.Time) *memberLimiter {
	return &memberLimiter{now: now, limit: limit, window: window, sent: map[string][]time.Time{}}
}

// reserve books one message to each member, at the earliest time it may go
// to all of them, and returns how long to wait for that time.
func (l *memberLimiter) reserve(members ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	at := now
	for _, m := range members {
		ts := l.live(m, now)
		if len(ts) >= l.limit {
			at = later(at, ts[len(ts)-l.limit].Add(l.window))
		}
	}
	for _, m := range members {
		ts := l.sent[m]
		i, _ := slices.BinarySearchFunc(ts, at, time.Time.Compare)
		l.sent[m] = slices.Insert(ts, i, at)
	}
	return at.Sub(now)
}

// live drops member m's sends that left the window and returns the rest.
func (l *memberLimiter) live(m string, now time.Time) []time.Time {
	ts := l.sent[m]
	cut := 0
	for cut < len(ts) && !ts[cut].After(now.Add(-l.window)) {
		cut++
	}
	ts = ts[cut:]
	l.sent[m] = ts
	return ts
}

// sweep forgets members with nothing in the window, once a window, so the
// map does not grow with everyone ever messaged.
func (l *memberLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.window {
		return
	}
	l.swept = now
	for m := range l.sent {
		if len(l.live(m, now)) == 0 {
			delete(l.sent, m)
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
