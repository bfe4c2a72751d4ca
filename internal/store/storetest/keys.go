package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

var keyTests = []suiteTest{
	{"SigningKey", testSigningKey},
	{"SigningKeyConcurrent", testSigningKeyConcurrent},
}

func testSigningKey(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := []byte("first\x00secret\xff bytes of any kind")
	got, err := s.SigningKey(ctx, "button", first)
	require.NoError(t, err)
	require.Equal(t, first, got, "none was kept: the fresh one is")

	got, err = s.SigningKey(ctx, "button", []byte("second secret"))
	require.NoError(t, err)
	require.Equal(t, first, got, "the kept one wins over a fresh one")

	other, err := s.SigningKey(ctx, "other", []byte("other secret"))
	require.NoError(t, err)
	require.Equal(t, []byte("other secret"), other, "names are kept apart")

	_, err = s.SigningKey(ctx, "empty", nil)
	require.Error(t, err, "a missing secret is not kept")
}

func testSigningKeyConcurrent(t *testing.T, s store.Store) {
	const n = 8
	got := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			secret, err := s.SigningKey(t.Context(), "button", fmt.Appendf(nil, "secret of replica %d", i))
			require.NoError(t, err)
			got[i] = secret
		})
	}
	wg.Wait()
	for i := range n {
		require.Equal(t, got[0], got[i], "every replica gets the one secret")
	}
}
