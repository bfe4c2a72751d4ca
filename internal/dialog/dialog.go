// Package dialog keeps where each person is in a conversation, and which
// inbound events have already been handled.
//
// [Store] has two implementations: in-process memory for the embedded
// default, and Redis for several replicas. Writes are versioned
// compare-and-set, so two events for the same person arriving at once never
// lose an update: the loser gets [ErrConflict], reads again and retries.
// dialogtest holds the conformance suite both pass.
package dialog

import (
	"context"
	"errors"
	"time"
)

// ErrConflict is returned by Set when the stored version is not the one the
// caller read.
var ErrConflict = errors.New("dialog: version conflict")

// Store holds dialog state by key, with a time to live. States and claims
// are separate: a claim never hides or replaces a state under the same key.
// A ttl must be positive; Set and Claim return an error otherwise.
type Store interface {
	// Get returns the value under key and its version. A missing or expired
	// key is (nil, 0, nil); a cleared one is (nil, version, nil).
	Get(ctx context.Context, key string) (value []byte, version int64, err error)
	// Set stores value under key if the stored version is still version
	// (0: the key must be missing), and returns the new version. Versions
	// only grow while a key lives, so a stale writer cannot win. A nil value
	// clears the state but keeps the version counting; an empty non-nil
	// value is a value. Each Set restarts the key's ttl.
	Set(ctx context.Context, key string, version int64, value []byte, ttl time.Duration) (int64, error)
	// Claim marks key (an inbound event id) as taken for ttl. It returns
	// false when the key was already claimed: the event is a duplicate.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release gives up a claim, so a failed event can be handled when the
	// platform delivers it again.
	Release(ctx context.Context, key string) error
	Close() error
}
