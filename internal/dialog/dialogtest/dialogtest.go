// Package dialogtest is the conformance suite every [dialog.Store] passes.
//
// An implementation's tests call [Run] with a function that opens a fresh,
// empty store for one test, and [BenchmarkSet] from a benchmark. The store
// open returns must also implement [Advancer], so the suite can let TTLs run
// out without sleeping; [Clock] is a fake clock for stores that take one.
package dialogtest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog"
)

// Advancer is implemented by the store under test (usually a test wrapper
// around it): Advance makes d pass for the store, so entries whose TTL ran
// out within d are gone afterwards and the others live on.
type Advancer interface {
	Advance(t *testing.T, d time.Duration)
}

// Clock is a fake clock, safe for concurrent use. Pass its Now to a store.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const ttl = time.Hour

// Run runs the conformance suite. open is called once per subtest and must
// return an empty store that implements [Advancer]; closing it is open's
// job (t.Cleanup). Subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) dialog.Store) {
	t.Helper()

	// opened returns the store and its Advancer, failing when it has none.
	opened := func(t *testing.T) (dialog.Store, Advancer) {
		t.Helper()
		s := open(t)
		adv, ok := s.(Advancer)
		require.Truef(t, ok, "dialogtest: %T does not implement dialogtest.Advancer", s)
		return s, adv
	}

	tests := []struct {
		name string
		fn   func(t *testing.T, s dialog.Store, adv Advancer)
	}{
		{"GetMissing", testGetMissing},
		{"SetGet", testSetGet},
		{"ValuesAreCopied", testValuesAreCopied},
		{"EmptyValueIsKept", testEmptyValueIsKept},
		{"StaleVersionConflicts", testStaleVersionConflicts},
		{"VersionZeroOnExistingKeyConflicts", testVersionZeroOnExistingKeyConflicts},
		{"NilValueClearsAndVersionGrows", testNilValueClearsAndVersionGrows},
		{"KeysAreIndependent", testKeysAreIndependent},
		{"StateExpires", testStateExpires},
		{"SetRefreshesTTL", testSetRefreshesTTL},
		{"ClearedStateExpires", testClearedStateExpires},
		{"NonPositiveTTL", testNonPositiveTTL},
		{"ClaimTwice", testClaimTwice},
		{"ReleaseThenClaim", testReleaseThenClaim},
		{"ReleaseUnclaimed", testReleaseUnclaimed},
		{"ClaimExpires", testClaimExpires},
		{"CanceledContext", testCanceledContext},
		{"ConcurrentIncrements", testConcurrentIncrements},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, adv := opened(t)
			tt.fn(t, s, adv)
		})
	}
}

func testGetMissing(t *testing.T, s dialog.Store, _ Advancer) {
	value, version, err := s.Get(t.Context(), "missing")
	require.NoError(t, err)
	require.Nil(t, value)
	require.Zero(t, version)
}

func testSetGet(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	v1, err := s.Set(ctx, "k", 0, []byte("one"), ttl)
	require.NoError(t, err)
	require.Equal(t, int64(1), v1)

	v2, err := s.Set(ctx, "k", v1, []byte("two"), ttl)
	require.NoError(t, err)
	require.Equal(t, int64(2), v2)

	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("two"), value)
	require.Equal(t, v2, version)
}

func testValuesAreCopied(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	in := []byte("abc")
	_, err := s.Set(ctx, "k", 0, in, ttl)
	require.NoError(t, err)
	in[0] = 'X'

	out, _, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), out)
	out[0] = 'Y'

	again, _, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), again)
}

// An empty value is a value: only nil clears.
func testEmptyValueIsKept(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	_, err := s.Set(ctx, "k", 0, []byte{}, ttl)
	require.NoError(t, err)

	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.NotNil(t, value)
	require.Empty(t, value)
	require.Equal(t, int64(1), version)
}

func testStaleVersionConflicts(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	v1, err := s.Set(ctx, "k", 0, []byte("one"), ttl)
	require.NoError(t, err)
	_, err = s.Set(ctx, "k", v1, []byte("two"), ttl)
	require.NoError(t, err)

	_, err = s.Set(ctx, "k", v1, []byte("stale"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)
	_, err = s.Set(ctx, "k", v1+5, []byte("future"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)

	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("two"), value, "a conflicting Set must not write")
	require.Equal(t, int64(2), version)
}

func testVersionZeroOnExistingKeyConflicts(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	_, err := s.Set(ctx, "k", 0, []byte("one"), ttl)
	require.NoError(t, err)

	_, err = s.Set(ctx, "k", 0, []byte("again"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)

	// A version on a missing key conflicts too.
	_, err = s.Set(ctx, "other", 1, []byte("x"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)
}

func testNilValueClearsAndVersionGrows(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	v1, err := s.Set(ctx, "k", 0, []byte("one"), ttl)
	require.NoError(t, err)

	v2, err := s.Set(ctx, "k", v1, nil, ttl)
	require.NoError(t, err)
	require.Greater(t, v2, v1)

	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Nil(t, value)
	require.Equal(t, v2, version, "a cleared key keeps its version")

	// The old writer, and a writer starting over at 0, both lose.
	_, err = s.Set(ctx, "k", v1, []byte("stale"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)
	_, err = s.Set(ctx, "k", 0, []byte("fresh"), ttl)
	require.ErrorIs(t, err, dialog.ErrConflict)

	v3, err := s.Set(ctx, "k", v2, []byte("three"), ttl)
	require.NoError(t, err)
	require.Greater(t, v3, v2)
}

func testKeysAreIndependent(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	_, err := s.Set(ctx, "a", 0, []byte("A"), ttl)
	require.NoError(t, err)
	vb, err := s.Set(ctx, "b", 0, []byte("B"), ttl)
	require.NoError(t, err)
	require.Equal(t, int64(1), vb)

	// Claims live apart from states, even under the same key.
	ok, err := s.Claim(ctx, "a", ttl)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.Release(ctx, "a"))

	value, version, err := s.Get(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, []byte("A"), value)
	require.Equal(t, int64(1), version)
}

func testStateExpires(t *testing.T, s dialog.Store, adv Advancer) {
	ctx := t.Context()
	_, err := s.Set(ctx, "k", 0, []byte("one"), time.Minute)
	require.NoError(t, err)

	adv.Advance(t, 50*time.Second)
	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("one"), value, "alive before its TTL")
	require.Equal(t, int64(1), version)

	adv.Advance(t, 11*time.Second)
	value, version, err = s.Get(ctx, "k")
	require.NoError(t, err)
	require.Nil(t, value)
	require.Zero(t, version, "an expired key reads as missing")

	v, err := s.Set(ctx, "k", 0, []byte("new"), time.Minute)
	require.NoError(t, err)
	require.Equal(t, int64(1), v, "an expired key starts over")
}

func testSetRefreshesTTL(t *testing.T, s dialog.Store, adv Advancer) {
	ctx := t.Context()
	v1, err := s.Set(ctx, "k", 0, []byte("one"), time.Minute)
	require.NoError(t, err)
	adv.Advance(t, 50*time.Second)
	_, err = s.Set(ctx, "k", v1, []byte("two"), time.Minute)
	require.NoError(t, err)

	adv.Advance(t, 50*time.Second)
	value, _, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, []byte("two"), value, "each Set restarts the TTL")
}

func testClearedStateExpires(t *testing.T, s dialog.Store, adv Advancer) {
	ctx := t.Context()
	v1, err := s.Set(ctx, "k", 0, []byte("one"), time.Minute)
	require.NoError(t, err)
	_, err = s.Set(ctx, "k", v1, nil, time.Minute)
	require.NoError(t, err)

	adv.Advance(t, 61*time.Second)
	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Nil(t, value)
	require.Zero(t, version)
}

func testNonPositiveTTL(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	for _, d := range []time.Duration{0, -time.Second} {
		_, err := s.Set(ctx, "k", 0, []byte("x"), d)
		require.Errorf(t, err, "Set with ttl %v", d)
		_, err = s.Claim(ctx, "c", d)
		require.Errorf(t, err, "Claim with ttl %v", d)
	}
	value, version, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Nil(t, value)
	require.Zero(t, version)
}

func testClaimTwice(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	ok, err := s.Claim(ctx, "event-1", ttl)
	require.NoError(t, err)
	require.True(t, ok)

	ok, err = s.Claim(ctx, "event-1", ttl)
	require.NoError(t, err)
	require.False(t, ok, "the second claim is a duplicate")

	ok, err = s.Claim(ctx, "event-2", ttl)
	require.NoError(t, err)
	require.True(t, ok)
}

func testReleaseThenClaim(t *testing.T, s dialog.Store, _ Advancer) {
	ctx := t.Context()
	ok, err := s.Claim(ctx, "event", ttl)
	require.NoError(t, err)
	require.True(t, ok)

	require.NoError(t, s.Release(ctx, "event"))

	ok, err = s.Claim(ctx, "event", ttl)
	require.NoError(t, err)
	require.True(t, ok)
}

func testReleaseUnclaimed(t *testing.T, s dialog.Store, _ Advancer) {
	require.NoError(t, s.Release(t.Context(), "never-claimed"))
}

func testClaimExpires(t *testing.T, s dialog.Store, adv Advancer) {
	ctx := t.Context()
	ok, err := s.Claim(ctx, "event", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)

	adv.Advance(t, 50*time.Second)
	ok, err = s.Claim(ctx, "event", time.Minute)
	require.NoError(t, err)
	require.False(t, ok, "still claimed before its TTL")

	adv.Advance(t, 11*time.Second)
	ok, err = s.Claim(ctx, "event", time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "claimable again once the TTL ran out")
}

func testCanceledContext(t *testing.T, s dialog.Store, _ Advancer) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	_, _, err := s.Get(ctx, "k")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Set(ctx, "k", 0, []byte("x"), ttl)
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Claim(ctx, "c", ttl)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, s.Release(ctx, "c"), context.Canceled)
}

// testConcurrentIncrements has workers increment one counter by
// read-modify-write, retrying on conflict: no increment may be lost.
func testConcurrentIncrements(t *testing.T, s dialog.Store, _ Advancer) {
	const (
		workers    = 8
		increments = 50
	)
	ctx := t.Context()

	increment := func() error {
		for {
			value, version, err := s.Get(ctx, "counter")
			if err != nil {
				return err
			}
			n := 0
			if value != nil {
				if n, err = strconv.Atoi(string(value)); err != nil {
					return err
				}
			}
			_, err = s.Set(ctx, "counter", version, strconv.AppendInt(nil, int64(n+1), 10), ttl)
			if errors.Is(err, dialog.ErrConflict) {
				continue
			}
			return err
		}
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range increments {
				if !assert.NoError(t, increment()) {
					return
				}
			}
		})
	}
	wg.Wait()

	value, version, err := s.Get(ctx, "counter")
	require.NoError(t, err)
	require.Equal(t, strconv.Itoa(workers*increments), string(value))
	require.Equal(t, int64(workers*increments), version)
}

// BenchmarkSet measures one read-modify-write cycle (Get, then Set with the
// version read) on s, which must be empty.
func BenchmarkSet(b *testing.B, s dialog.Store) {
	ctx := b.Context()
	value := []byte(`{"flow":"checkin","step":3,"answers":["shipped the export","none"]}`)
	b.ReportAllocs()
	for b.Loop() {
		_, version, err := s.Get(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Set(ctx, "bench", version, value, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
