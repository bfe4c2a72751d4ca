// Package bottest helps test adapters: a Handler that records the events
// an adapter hands on, as the engine would receive them, and can fail on
// demand to test what an adapter does when handling fails.
package bottest

import (
	"context"
	"sync"

	"github.com/perfbot/perfbot/bot"
)

// Recorder is a bot.Handler that keeps every event it is given. It is safe
// for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	events   []bot.Event
	err      error
	failures int
}

// NewFailing returns a Recorder whose every Handle returns err.
func NewFailing(err error) *Recorder { return &Recorder{err: err} }

// Handle records ev and answers with the failure set, if any.
func (r *Recorder) Handle(_ context.Context, ev bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if r.failures > 0 {
		r.failures--
		return errFailing
	}
	return r.err
}

// Fail makes every later Handle return err; nil makes them succeed.
func (r *Recorder) Fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

// FailNext makes the next n Handle calls fail.
func (r *Recorder) FailNext(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = n
}

// Events returns the events recorded so far, oldest first.
func (r *Recorder) Events() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// errFailing is what FailNext's failures return.
var errFailing = failing("bottest: handler failing on purpose")

type failing string

func (f failing) Error() string { return string(f) }
