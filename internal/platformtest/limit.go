package platformtest

import (
	"context"
	"sync"
	"time"
)

// bucket admits calls at a rate with bursts (the generic cell rate
// algorithm): over a window of n·every it admits at most n+burst-1 calls.
type bucket struct {
	mu    sync.Mutex
	now   func() time.Time
	every time.Duration
	burst int
	tat   time.Time // when the next call would be on schedule
}

func newBucket(now func() time.Time, every time.Duration, burst int) *bucket {
	return &bucket{now: now, every: every, burst: burst}
}

// allow admits a call now, or refuses it without counting it and says
// how long until one would be admitted.
func (b *bucket) allow() (ok bool, retryAfter time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	if early := tat.Sub(now) - time.Duration(b.burst-1)*b.every; early > 0 {
		return false, early
	}
	b.tat = tat.Add(b.every)
	return true, 0
}

// atRest reports whether the bucket is as a new one would be: its last
// call is so long ago that it admits a whole burst again. A fake may then
// forget it without changing what it admits.
func (b *bucket) atRest() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.tat.After(b.now())
}

// perSecond is how many calls a second the bucket admits in the long run.
func (b *bucket) perSecond() float64 { return float64(time.Second) / float64(b.every) }

// Scaled is a clock that runs Factor times faster than the real one, so a
// limit of so many calls a minute can be benchmarked in seconds: a fake and
// an adapter sharing it see the same minutes.
type Scaled struct {
	start  time.Time
	factor float64
}

// NewScaled returns a clock starting now and running factor times as fast.
func NewScaled(factor float64) *Scaled { return &Scaled{start: time.Now(), factor: factor} }

// Now is the scaled time.
func (s *Scaled) Now() time.Time {
	return s.start.Add(time.Duration(float64(time.Since(s.start)) * s.factor))
}

// Sleep waits d of scaled time, or until ctx ends.
func (s *Scaled) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(time.Duration(float64(d) / s.factor))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
