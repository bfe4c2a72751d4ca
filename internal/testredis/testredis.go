// Package testredis connects tests to the real Redis that make test starts.
//
// Tests share one Redis server and stay apart by key prefix: [Prefix] gives
// each test its own and deletes the test's keys when it ends; [DB] gives a
// test that must empty Redis a logical database of its own. A Redis that
// does not answer fails the test rather than skipping it, so a broken setup
// cannot pass as green.
package testredis

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the variable that overrides [DefaultURL].
const EnvURL = "PERFBOT_TEST_REDIS"

// DefaultURL is the Redis tests use unless EnvURL is set.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL returns the URL of the test Redis, failing t if it does not answer.
func URL(t testing.TB) string {
	t.Helper()
	u := rawURL()
	_ = connect(t, u).Close()
	return u
}

// Client returns a client of the test Redis, closed when t ends.
func Client(t testing.TB) *redis.Client {
	t.Helper()
	c := connect(t, rawURL())
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func rawURL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// Prefix returns a key prefix no other test uses, ending in ":". Every key
// under it is deleted when t ends.
func Prefix(t testing.TB) string {
	t.Helper()
	prefix := "perfbot-test:" + sanitize(t.Name()) + ":" + strings.ToLower(rand.Text()[:10]) + ":"
	c := Client(t)
	// Registered after Client's cleanup, so it runs first, while c is open.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := DeletePrefix(ctx, c, prefix); err != nil {
			t.Errorf("testredis: delete keys under %q: %v", prefix, err)
		}
	})
	return prefix
}

// DeletePrefix deletes every key that starts with prefix. The prefix must
// hold no glob characters (Prefix's never do).
func DeletePrefix(ctx context.Context, c *redis.Client, prefix string) error {
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := c.Del(ctx, batch...).Err(); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return c.Del(ctx, batch...).Err()
	}
	return nil
}

func connect(t testing.TB, rawURL string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("testredis: %s is not a Redis URL (%s)", redact(rawURL), EnvURL)
	}
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		t.Fatalf("testredis: Redis at %s does not answer: %v\n"+
			"Run the tests with make test, which starts Redis (apt-get install redis-server), "+
			"or point %s at a running Redis.", redact(rawURL), err, EnvURL)
	}
	return c
}

// sanitize keeps a test name usable in a key and free of glob characters.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}

func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)" // may hold a password: do not echo
	}
	return u.Redacted()
}
