// Package memory is the in-process [dialog.Store]: a map behind a mutex, for
// the embedded single-replica default.
//
// Time comes from an injected clock, so tests move it instead of sleeping.
// Expired entries read as missing at once and are removed lazily: each write
// may sweep the maps, and sweeps are spaced so their cost stays constant per
// write while the maps stay within a small multiple of the live entries.
package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/perfbot/perfbot/internal/dialog"
)

// minSweepEvery is the fewest writes between two sweeps, so a small store is
// not swept on every write.
const minSweepEvery = 1024

// Store is an in-process [dialog.Store]. The zero value is not usable; call
// [New].
type Store struct {
	now func() time.Time

	mu     sync.Mutex
	states map[string]state
	claims map[string]time.Time // key -> expiry
	// writes counts writes since the last sweep; the next sweep runs when it
	// reaches sweepEvery.
	writes     int
	sweepEvery int
}

type state struct {
	value   []byte // nil once cleared; the version lives on
	version int64
	expires time.Time
}

var _ dialog.Store = (*Store)(nil)

// New returns an empty Store that reads the time from now (time.Now when
// nil).
func New(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{
		now:        now,
		states:     make(map[string]state),
		claims:     make(map[string]time.Time),
		sweepEvery: minSweepEvery,
	}
}

// Get implements [dialog.Store]. The value returned is the caller's own copy.
func (s *Store) Get(ctx context.Context, key string) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.live(key)
	if !ok {
		return nil, 0, nil
	}
	return clone(st.value), st.version, nil
}

// Set implements [dialog.Store]. The store keeps its own copy of value.
func (s *Store) Set(ctx context.Context, key string, version int64, value []byte, ttl time.Duration) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := checkTTL(ttl); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _ := s.live(key) // a missing or expired key is version 0
	if st.version != version {
		return 0, dialog.ErrConflict
	}
	now := s.now()
	next := state{value: clone(value), version: version + 1, expires: now.Add(ttl)}
	s.states[key] = next
	s.wrote(now)
	return next.version, nil
}

// Claim implements [dialog.Store].
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := checkTTL(ttl); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if expires, ok := s.claims[key]; ok && now.Before(expires) {
		return false, nil
	}
	s.claims[key] = now.Add(ttl)
	s.wrote(now)
	return true, nil
}

// Release implements [dialog.Store].
func (s *Store) Release(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.claims, key)
	return nil
}

// Close implements [dialog.Store]; there is nothing to release.
func (s *Store) Close() error { return nil }

// live returns the state under key unless it is missing or expired, dropping
// it when expired. s.mu must be held.
func (s *Store) live(key string) (state, bool) {
	st, ok := s.states[key]
	if !ok {
		return state{}, false
	}
	if !s.now().Before(st.expires) {
		delete(s.states, key)
		return state{}, false
	}
	return st, true
}

// wrote counts a write and sweeps when enough have accumulated. Spacing
// sweeps by the number of entries left after the last one keeps the cost per
// write constant and the maps below about twice the live entries plus
// minSweepEvery. s.mu must be held.
func (s *Store) wrote(now time.Time) {
	s.writes++
	if s.writes < s.sweepEvery {
		return
	}
	for k, st := range s.states {
		if !now.Before(st.expires) {
			delete(s.states, k)
		}
	}
	for k, expires := range s.claims {
		if !now.Before(expires) {
			delete(s.claims, k)
		}
	}
	s.writes = 0
	s.sweepEvery = max(minSweepEvery, len(s.states)+len(s.claims))
}

func checkTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("memory: ttl must be positive, got %v", ttl)
	}
	return nil
}

// clone copies b, keeping nil and empty apart: nil means cleared.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
