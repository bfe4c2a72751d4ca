package testredis

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// dbs are the logical databases DB hands out; tests sharing Redis by
// prefix stay in the one EnvURL names.
const (
	firstDB = 1
	lastDB  = 15
)

// DB returns the URL of a Redis logical database no other test holds, and
// a client of it, for a test that must empty Redis (as a restart without
// persistence does) without touching other tests' keys: FlushDB on the
// client. The database is held by a key in the shared one, so concurrent
// tests, and test binaries, take different ones; it is emptied and given
// back when t ends.
func DB(t testing.TB) (string, *redis.Client) {
	t.Helper()
	shared := Client(t)
	ctx := context.Background()
	for n := firstDB; n <= lastDB; n++ {
		// The hold outlasts any test, and runs out if a test binary dies.
		hold := "perfbot-test:db:" + strconv.Itoa(n)
		ok, err := shared.SetNX(ctx, hold, t.Name(), 30*time.Minute).Result()
		if err != nil {
			t.Fatalf("testredis: hold database %d: %v", n, err)
		}
		if !ok {
			continue
		}
		u := withDB(t, rawURL(), n)
		c := connect(t, u)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.FlushDB(ctx).Err(); err != nil {
				t.Errorf("testredis: empty database %d: %v", n, err)
			}
			_ = c.Close()
			_ = shared.Del(ctx, hold).Err()
		})
		if err := c.FlushDB(ctx).Err(); err != nil {
			t.Fatalf("testredis: empty database %d: %v", n, err)
		}
		return u, c
	}
	t.Fatalf("testredis: every database from %d to %d is held by another test", firstDB, lastDB)
	return "", nil
}

// withDB is rawURL with its database number set to n.
func withDB(t testing.TB, rawURL string, n int) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("testredis: %s is not a URL (%s)", redact(rawURL), EnvURL)
	}
	u.Path = "/" + strconv.Itoa(n)
	return u.String()
}
