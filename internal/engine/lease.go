package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const (
	// leaseTTL bounds how long a crashed replica can hold up a person,
	// unless Options.PersonLease says otherwise.
	leaseTTL = 30 * time.Second
	// leaseWait is how long an event waits for another event for the same
	// person to finish before giving up (and being retried by the platform).
	leaseWait = 15 * time.Second
)

// ErrBusy is returned when a person's other events held them for too long.
var ErrBusy = errors.New("engine: person busy")

// lease serialises the steps of one person across goroutines and replicas.
// A step writes the round and then the dialog state; the versions on both
// catch a race, but a race caught between the two writes would leave an
// answer saved for a step the state never took. One step at a time per
// person makes that race not happen; the versions stay as the backstop.
func (e *Engine) lease(ctx context.Context, personID int64) (release func(), err error) {
	key := fmt.Sprintf("lease:person:%d", personID)
	wait, cancel := context.WithTimeout(ctx, leaseWait)
	defer cancel()
	backoff := time.Millisecond
	for {
		ok, err := e.dialog.Claim(ctx, key, e.personLease)
		if err != nil {
			return nil, fmt.Errorf("engine: take lease: %w", err)
		}
		if ok {
			return func() {
				if err := e.dialog.Release(context.WithoutCancel(ctx), key); err != nil {
					e.log.WarnContext(ctx, "release lease", "person", personID, "err", err)
				}
			}, nil
		}
		e.metrics.leaseWait.Inc()
		select {
		case <-wait.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, ErrBusy
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 50*time.Millisecond)
	}
}
