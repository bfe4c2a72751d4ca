package slack

import (
	"sync"
	"time"
)

// rate is how often calls may go: one every Every, with bursts of Burst.
type rate struct {
	Every time.Duration
	Burst int
}

// Slack's published limits: chat.postMessage is special (about one message
// per second per channel, and several hundred a minute per workspace); the
// others follow their tier (Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min).
var (
	perChannel = rate{Every: time.Second, Burst: 3}
	perMethod  = map[string]rate{
		"chat.postMessage":   {Every: 200 * time.Millisecond, Burst: 20},
		"chat.update":        {Every: 1200 * time.Millisecond, Burst: 10},
		"conversations.open": {Every: 1200 * time.Millisecond, Burst: 10},
		"users.list":         {Every: 3 * time.Second, Burst: 3},
		// Tier 4, and a trigger lives 3 s: a burst must not queue behind it.
		"views.open": {Every: 600 * time.Millisecond, Burst: 20},
		// The external file upload's two methods are Tier 4; the POST of the
		// bytes between them is no Web API method, paced the same.
		"files.getUploadURLExternal":   {Every: 600 * time.Millisecond, Burst: 20},
		"files.upload":                 {Every: 600 * time.Millisecond, Burst: 20},
		"files.completeUploadExternal": {Every: 600 * time.Millisecond, Burst: 20},
	}
	tier2 = rate{Every: 3 * time.Second, Burst: 3}
)

// limiter paces calls per key with the generic cell rate algorithm: each key
// remembers when its next call would be on schedule, and a call may run up
// to Burst-1 intervals ahead of it. It is safe for concurrent use.
type limiter struct {
	now func() time.Time
	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time of each key's next call
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, tat: map[string]time.Time{}}
}

// reserve books a call on key and returns how long it must wait first. The
// booking stands even if the caller gives up, which only errs on the side
// of calling less.
func (l *limiter) reserve(key string, r rate) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat := l.tat[key]
	if tat.Before(now) {
		tat = now
	}
	wait := tat.Add(-time.Duration(r.Burst-1) * r.Every).Sub(now)
	l.tat[key] = tat.Add(r.Every)
	l.prune(now)
	return max(wait, 0)
}

// hold makes every call on key wait at least d from now: Slack said so
// with a Retry-After.
func (l *limiter) hold(key string, r rate, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d + time.Duration(r.Burst-1)*r.Every)
	if until.After(l.tat[key]) {
		l.tat[key] = until
	}
}

// prune forgets keys that are back to a full burst, so one key per channel
// ever written to does not pile up. It runs only when the map is large.
func (l *limiter) prune(now time.Time) {
	if len(l.tat) < 4096 {
		return
	}
	for k, t := range l.tat {
		if t.Before(now) {
			delete(l.tat, k)
		}
	}
}

func methodRate(method string) rate {
	if r, ok := perMethod[method]; ok {
		return r
	}
	return tier2
}
