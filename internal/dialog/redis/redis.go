// Package redisdialog is the Redis [dialog.Store], for running several
// replicas of perfbot against one state.
//
// Each state is a hash holding the value ("d") and its version ("v"). Set is
// one Lua script, so the version check and the write are atomic on the
// server; clearing a state deletes "d" but keeps "v", so versions only grow
// while the key lives. A claim is a plain key set with SET NX and a TTL;
// Release deletes it. TTLs are Redis's own, in milliseconds.
//
// Keys are laid out as PREFIX "dialog:" KEY and PREFIX "claim:" KEY, with the
// prefix "perfbot:" unless [WithPrefix] says otherwise.
package redisdialog

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/perfbot/perfbot/internal/dialog"
)

// DefaultPrefix starts every key unless [WithPrefix] says otherwise.
const DefaultPrefix = "perfbot:"

// setScript compares the stored version with ARGV[1] and, if equal, writes
// the next version, the value ARGV[3] (or clears it when ARGV[4] is "1") and
// a TTL of ARGV[2] milliseconds. It returns the new version, or -1 on a
// conflict. A missing key is version 0; HGET gives false for it.
var setScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if cur ~= tonumber(ARGV[1]) then
	return -1
end
cur = cur + 1
if ARGV[4] == '1' then
	redis.call('HDEL', KEYS[1], 'd')
	redis.call('HSET', KEYS[1], 'v', cur)
else
	redis.call('HSET', KEYS[1], 'v', cur, 'd', ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return cur
`)

// Store is a Redis [dialog.Store].
type Store struct {
	client    redis.UniversalClient
	ownClient bool // Close closes client only when Open made it
	prefix    string
}

var _ dialog.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithPrefix starts every key with prefix instead of [DefaultPrefix], so
// several deployments, or tests, can share one Redis.
func WithPrefix(prefix string) Option {
	return func(s *Store) { s.prefix = prefix }
}

// Open connects to the Redis at rawURL (redis://[[user]:password@]host:port/db
// or rediss:// for TLS) and checks that it answers. Close closes the
// connection.
//
// When Redis cannot be reached, or refuses perfbot (a wrong password), the
// error is one line for a person: "cannot reach Redis at URL: why" or
// "cannot use Redis at URL: it answered: why", the URL's password hidden.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes the URL, password included: do not wrap it.
		return nil, errors.New("redisdialog: invalid Redis URL")
	}
	options, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisdialog: Redis URL %s: %w", u.Redacted(), err)
	}
	client := redis.NewClient(options)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		if _, answered := errors.AsType[redis.Error](err); answered {
			return nil, fmt.Errorf("cannot use Redis at %s: it answered: %w", u.Redacted(), err)
		}
		return nil, fmt.Errorf("cannot reach Redis at %s: %w", u.Redacted(), err)
	}
	s := New(client, opts...)
	s.ownClient = true
	return s, nil
}

// New returns a Store using client, which stays the caller's to close.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{client: client, prefix: DefaultPrefix}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Get implements [dialog.Store].
func (s *Store) Get(ctx context.Context, key string) ([]byte, int64, error) {
	fields, err := s.client.HMGet(ctx, s.stateKey(key), "d", "v").Result()
	if err != nil {
		return nil, 0, fmt.Errorf("redisdialog: get %q: %w", key, err)
	}
	// HMGET gives nil for a missing field, and for every field of a
	// missing key.
	vs, ok := fields[1].(string)
	if !ok {
		return nil, 0, nil
	}
	version, err := strconv.ParseInt(vs, 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("redisdialog: get %q: bad version: %w", key, err)
	}
	var value []byte
	if d, ok := fields[0].(string); ok {
		value = []byte(d)
	}
	return value, version, nil
}

// Set implements [dialog.Store].
func (s *Store) Set(ctx context.Context, key string, version int64, value []byte, ttl time.Duration) (int64, error) {
	ms, err := milliseconds(ttl)
	if err != nil {
		return 0, err
	}
	clearValue := "0"
	if value == nil {
		clearValue = "1"
	}
	next, err := setScript.Run(ctx, s.client, []string{s.stateKey(key)}, version, ms, value, clearValue).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisdialog: set %q: %w", key, err)
	}
	if next < 0 {
		return 0, dialog.ErrConflict
	}
	return next, nil
}

// Claim implements [dialog.Store].
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ms, err := milliseconds(ttl)
	if err != nil {
		return false, err
	}
	ok, err := s.client.SetNX(ctx, s.claimKey(key), 1, time.Duration(ms)*time.Millisecond).Result()
	if err != nil {
		return false, fmt.Errorf("redisdialog: claim %q: %w", key, err)
	}
	return ok, nil
}

// Release implements [dialog.Store].
func (s *Store) Release(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.claimKey(key)).Err(); err != nil {
		return fmt.Errorf("redisdialog: release %q: %w", key, err)
	}
	return nil
}

// Close closes the connection if [Open] made it; a client passed to [New]
// is left open.
func (s *Store) Close() error {
	if !s.ownClient {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("redisdialog: close: %w", err)
	}
	return nil
}

func (s *Store) stateKey(key string) string { return s.prefix + "dialog:" + key }
func (s *Store) claimKey(key string) string { return s.prefix + "claim:" + key }

// milliseconds converts ttl for PEXPIRE, rounding up so a positive TTL
// below a millisecond does not become "no TTL" or an error.
func milliseconds(ttl time.Duration) (int64, error) {
	if ttl <= 0 {
		return 0, fmt.Errorf("redisdialog: ttl must be positive, got %v", ttl)
	}
	return int64((ttl + time.Millisecond - 1) / time.Millisecond), nil
}

// Ping reports whether Redis answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisdialog: ping: %w", err)
	}
	return nil
}
