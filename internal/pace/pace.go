// Package pace keeps an adapter's calls to each API of a platform under
// the platform's published rate on the client, so that sending runs at the
// limit instead of into it: a refusal costs a platform's backoff (WeCom
// blocks an app for a minute), a call paced here costs only its wait.
package pace

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/perfbot/perfbot/bot"
)

// Pacer spaces the calls to each API evenly at its rate, without a burst:
// the platform's own bucket then always has room for calls that arrive
// bunched by the network. The limits are per app, so each replica paces at
// the whole rate alone; replicas sending at once share it (configure the
// limit divided by them). A Pacer is safe for concurrent use.
type Pacer struct {
	perSecond rate.Limit
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	mu        sync.Mutex
	apis      map[string]*rate.Limiter
}

// New returns a Pacer allowing perSecond calls a second to each API, with
// the clock and sleep the adapter uses (tests move a fake clock).
func New(perSecond float64, now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) *Pacer {
	return &Pacer{perSecond: rate.Limit(perSecond), now: now, sleep: sleep, apis: map[string]*rate.Limiter{}}
}

// CallRoom is what a call is left of its caller's deadline at least, after
// its wait: a call cut off by the deadline may have reached the platform
// before its answer came back, and is then sent twice.
const CallRoom = 10 * time.Second

// Wait returns when a call to api may go, or when ctx ends. A call that
// could go only later than CallRoom before ctx's deadline is not waited
// for: Wait returns a *bot.BusyError at once, saying when it could, and the
// caller hands the call to someone who can wait that long (a reply to the
// outbox job).
func (p *Pacer) Wait(ctx context.Context, api string) error {
	p.mu.Lock()
	l, ok := p.apis[api]
	if !ok {
		l = rate.NewLimiter(p.perSecond, 1)
		p.apis[api] = l
	}
	p.mu.Unlock()
	now := p.now()
	r := l.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d == 0 {
		return nil
	}
	// A deadline is on the wall clock, whatever clock the pacer keeps.
	if deadline, ok := ctx.Deadline(); ok && d > time.Until(deadline)-CallRoom {
		r.CancelAt(now) // the slot goes to a caller who can wait for it
		return &bot.BusyError{At: now.Add(d)}
	}
	if err := p.sleep(ctx, d); err != nil {
		r.CancelAt(p.now())
		return err
	}
	return nil
}
