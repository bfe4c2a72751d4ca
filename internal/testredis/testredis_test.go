package testredis_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/testredis"
)

func TestPrefixIsolatesAndCleansUp(t *testing.T) {
	c := testredis.Client(t)
	var a, b string
	t.Run("a", func(t *testing.T) {
		a = testredis.Prefix(t)
		b = testredis.Prefix(t)
		require.NotEqual(t, a, b)
		for i := range 3 {
			require.NoError(t, c.Set(t.Context(), a+string(rune('x'+i)), "v", 0).Err())
		}
		require.NoError(t, c.Set(t.Context(), b+"k", "v", 0).Err())
	})
	// The subtest's cleanup ran: nothing is left under either prefix.
	for _, p := range []string{a, b} {
		keys, err := c.Keys(t.Context(), p+"*").Result()
		require.NoError(t, err)
		require.Empty(t, keys)
	}
	require.Contains(t, a, "TestPrefixIsolatesAndCleansUp_a")
}

func TestURL(t *testing.T) {
	require.NotEmpty(t, testredis.URL(t))
}

// Two tests at once get two databases, each empty, and the keys of one are
// not seen from the other or from the shared database.
func TestDB(t *testing.T) {
	shared := testredis.Client(t)
	prefix := testredis.Prefix(t)
	require.NoError(t, shared.Set(t.Context(), prefix+"k", "shared", 0).Err())

	urlA, a := testredis.DB(t)
	urlB, b := testredis.DB(t)
	require.NotEqual(t, urlA, urlB)
	require.NoError(t, a.Set(t.Context(), "k", "a", 0).Err())
	n, err := b.Exists(t.Context(), "k").Result()
	require.NoError(t, err)
	require.Zero(t, n, "b is another database")

	require.NoError(t, a.FlushDB(t.Context()).Err())
	v, err := shared.Get(t.Context(), prefix+"k").Result()
	require.NoError(t, err)
	require.Equal(t, "shared", v, "flushing a database leaves the shared one alone")
}
