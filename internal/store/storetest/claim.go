package storetest

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

var claimTests = []suiteTest{
	{"ClaimKeyOnce", testClaimKeyOnce},
	{"ClaimKeyConcurrent", testClaimKeyConcurrent},
	{"ClaimKeyPurge", testClaimKeyPurge},
}

// errRollback makes InTx roll back.
var errRollback = errors.New("storetest: roll back")

var claimAt = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// A key is taken once until its claim runs out or is released; keys are
// apart from each other.
func testClaimKeyOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	until := claimAt.Add(10 * time.Minute)
	ok, err := s.ClaimKey(ctx, "hook:jira:sig1", claimAt, until)
	require.NoError(t, err)
	require.True(t, ok, "a new key is taken")

	ok, err = s.ClaimKey(ctx, "hook:jira:sig1", claimAt.Add(time.Minute), until.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, ok, "a key claimed is not taken again")

	ok, err = s.ClaimKey(ctx, "hook:jira:sig2", claimAt, until)
	require.NoError(t, err)
	require.True(t, ok, "another key is another claim")

	ok, err = s.ClaimKey(ctx, "hook:jira:sig1", until.Add(-time.Microsecond), until.Add(time.Hour))
	require.NoError(t, err)
	require.False(t, ok, "until the very end of the claim")
	ok, err = s.ClaimKey(ctx, "hook:jira:sig1", until, until.Add(time.Hour))
	require.NoError(t, err)
	require.True(t, ok, "a claim that ran out is taken over")
	ok, err = s.ClaimKey(ctx, "hook:jira:sig1", until.Add(time.Minute), until.Add(2*time.Hour))
	require.NoError(t, err)
	require.False(t, ok, "the new claim holds for its own time")

	require.NoError(t, s.ReleaseKey(ctx, "hook:jira:sig1"))
	ok, err = s.ClaimKey(ctx, "hook:jira:sig1", until.Add(time.Minute), until.Add(2*time.Hour))
	require.NoError(t, err)
	require.True(t, ok, "a released key is taken again")
	require.NoError(t, s.ReleaseKey(ctx, "never-claimed"), "releasing nothing is no error")

	// Inside a transaction that rolls back, the claim goes with it.
	err = s.InTx(ctx, func(tx store.Store) error {
		ok, err := tx.ClaimKey(ctx, "in-tx", claimAt, until)
		require.NoError(t, err)
		require.True(t, ok)
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	ok, err = s.ClaimKey(ctx, "in-tx", claimAt, until)
	require.NoError(t, err)
	require.True(t, ok, "a rolled back claim was never kept")
}

// Of replicas claiming one key at once, exactly one gets it.
func testClaimKeyConcurrent(t *testing.T, s store.Store) {
	const n = 8
	var won atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			ok, err := s.ClaimKey(t.Context(), "hook:crm:race", claimAt, claimAt.Add(time.Minute))
			require.NoError(t, err)
			if ok {
				won.Add(1)
			}
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), won.Load())
}

// Purging deletes only the claims that ran out before the time given.
func testClaimKeyPurge(t *testing.T, s store.Store) {
	ctx := t.Context()
	for i, key := range []string{"a", "b", "c"} {
		ok, err := s.ClaimKey(ctx, key, claimAt, claimAt.Add(time.Duration(i+1)*time.Hour))
		require.NoError(t, err)
		require.True(t, ok)
	}
	n, err := s.PurgeClaims(ctx, claimAt.Add(2*time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, n, "only a ran out before then")
	ok, err := s.ClaimKey(ctx, "b", claimAt.Add(time.Hour), claimAt.Add(3*time.Hour))
	require.NoError(t, err)
	require.False(t, ok, "b is still claimed")
	ok, err = s.ClaimKey(ctx, "a", claimAt, claimAt.Add(time.Hour))
	require.NoError(t, err)
	require.True(t, ok, "a was purged")
}
