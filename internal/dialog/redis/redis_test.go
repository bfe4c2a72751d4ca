package redisdialog_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/dialogtest"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/testredis"
)

// advancing is a Redis store the suite can age: Redis's clock cannot be
// moved, so Advance shortens the TTL of every key under the test's prefix
// by d, deleting those it runs out. A key without a TTL is left alone, so a
// store that forgot one fails the expiry tests.
type advancing struct {
	*redisdialog.Store
	client *redis.Client
	prefix string
}

func (a advancing) Advance(t *testing.T, d time.Duration) {
	t.Helper()
	ctx := t.Context()
	keys, err := a.client.Keys(ctx, a.prefix+"*").Result()
	require.NoError(t, err)
	for _, k := range keys {
		left, err := a.client.PTTL(ctx, k).Result()
		require.NoError(t, err)
		switch {
		case left < 0: // no TTL (-1), or gone meanwhile (-2)
		case left <= d:
			require.NoError(t, a.client.Del(ctx, k).Err())
		default:
			require.NoError(t, a.client.PExpire(ctx, k, left-d).Err())
		}
	}
}

func open(t *testing.T) dialog.Store {
	client := testredis.Client(t)
	prefix := testredis.Prefix(t)
	return advancing{Store: redisdialog.New(client, redisdialog.WithPrefix(prefix)), client: client, prefix: prefix}
}

func TestConformance(t *testing.T) {
	dialogtest.Run(t, open)
}

// The suite ages keys by hand; this checks Redis itself expires them.
func TestRealExpiry(t *testing.T) {
	ctx := t.Context()
	s := redisdialog.New(testredis.Client(t), redisdialog.WithPrefix(testredis.Prefix(t)))

	_, err := s.Set(ctx, "k", 0, []byte("x"), 100*time.Millisecond)
	require.NoError(t, err)
	ok, err := s.Claim(ctx, "c", 100*time.Millisecond)
	require.NoError(t, err)
	require.True(t, ok)

	require.EventuallyWithT(t, func(c *assert.CollectT) {
		value, version, err := s.Get(ctx, "k")
		require.NoError(c, err)
		require.Nil(c, value)
		require.Zero(c, version)
		ok, err := s.Claim(ctx, "c", time.Minute)
		require.NoError(c, err)
		require.True(c, ok)
	}, 3*time.Second, 20*time.Millisecond)
}

func TestKeysUnderPrefix(t *testing.T) {
	ctx := t.Context()
	client := testredis.Client(t)
	prefix := testredis.Prefix(t)
	s := redisdialog.New(client, redisdialog.WithPrefix(prefix))

	_, err := s.Set(ctx, "person:42", 0, []byte("x"), time.Minute)
	require.NoError(t, err)
	_, err = s.Claim(ctx, "event:7", time.Minute)
	require.NoError(t, err)

	keys, err := client.Keys(ctx, prefix+"*").Result()
	require.NoError(t, err)
	require.ElementsMatch(t, []string{prefix + "dialog:person:42", prefix + "claim:event:7"}, keys)

	ttl, err := client.PTTL(ctx, prefix+"dialog:person:42").Result()
	require.NoError(t, err)
	require.InDelta(t, time.Minute, ttl, float64(5*time.Second))
}

func TestDefaultPrefix(t *testing.T) {
	ctx := t.Context()
	client := testredis.Client(t)
	s := redisdialog.New(client)
	key := "testdefaultprefix-" + testredis.Prefix(t) // unique, under perfbot:
	t.Cleanup(func() { client.Del(context.Background(), redisdialog.DefaultPrefix+"claim:"+key) })

	ok, err := s.Claim(ctx, key, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	n, err := client.Exists(ctx, "perfbot:claim:"+key).Result()
	require.NoError(t, err)
	require.Equal(t, int64(1), n)
}

func TestOpen(t *testing.T) {
	ctx := t.Context()
	s, err := redisdialog.Open(ctx, testredis.URL(t), redisdialog.WithPrefix(testredis.Prefix(t)))
	require.NoError(t, err)
	_, err = s.Set(ctx, "k", 0, []byte("x"), time.Minute)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// Closed with the store: the client Open made is gone.
	_, _, err = s.Get(ctx, "k")
	require.ErrorIs(t, err, redis.ErrClosed)
}

func TestOpenErrorsHideThePassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for _, u := range []string{
		"redis://user:s3cret@127.0.0.1:1/0?max_retries=-1", // nothing listens on port 1
		"redis://user:s3cret@127.0.0.1:6379/abc",           // bad database
		"redis://user:s3cret@[::1/0",                       // unparsable
		"mysql://user:s3cret@127.0.0.1/0",                  // wrong scheme
	} {
		_, err := redisdialog.Open(ctx, u)
		require.Error(t, err, u)
		require.NotContains(t, err.Error(), "s3cret")
	}
}

// A client passed to New stays the caller's.
func TestCloseLeavesClientOpen(t *testing.T) {
	client := testredis.Client(t)
	s := redisdialog.New(client, redisdialog.WithPrefix(testredis.Prefix(t)))
	require.NoError(t, s.Close())
	require.NoError(t, client.Ping(t.Context()).Err())
}

func BenchmarkSet(b *testing.B) {
	s := redisdialog.New(testredis.Client(b), redisdialog.WithPrefix(testredis.Prefix(b)))
	dialogtest.BenchmarkSet(b, s)
}
