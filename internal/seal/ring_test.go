package seal_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/seal"
)

var (
	anna  = bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}
	bert  = bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U2"}
	start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
)

func key(t testing.TB, id byte) seal.Key {
	t.Helper()
	k, err := seal.NewKey(id, []byte(strings.Repeat(string(id), 32)))
	require.NoError(t, err)
	return k
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func ring(t testing.TB, c *clock, keys ...seal.Key) *seal.Ring {
	t.Helper()
	r, err := seal.NewRing(24*time.Hour, c.now, keys...)
	require.NoError(t, err)
	return r
}

func TestSignOpen(t *testing.T) {
	c := &clock{start}
	r := ring(t, c, key(t, '1'))
	for _, v := range []string{"bpraise:4:0:deal_won", "x", "", "中文:1:2", "a.b.c", strings.Repeat("v", 300)} {
		s := r.Sign(seal.Person(anna), v)
		require.Len(t, s, len(v)+seal.Overhead)
		require.True(t, strings.HasPrefix(s, v))
		got, err := r.Open(s, seal.Person(anna))
		require.NoError(t, err, v)
		require.Equal(t, v, got)
	}
	require.Equal(t, 24, seal.Overhead, "kept small for platform limits")
}

func TestOpenRefusesForgeries(t *testing.T) {
	c := &clock{start}
	r := ring(t, c, key(t, '1'))
	good := r.Sign(seal.Person(anna), "bpraise:4:0:deal_won")
	v, _, _ := strings.Cut(good, ".")
	for name, s := range map[string]string{
		"raw value":          "bpraise:4:0:deal_won",
		"altered value":      "bpraise:5" + good[len("bpraise:4"):],
		"value swapped":      "bpraise:4:0:launch" + good[len(v):],
		"altered tag":        flipLast(good),
		"unknown key":        good[:len(v)+1] + "9" + good[len(v)+2:],
		"empty":              "",
		"only a seal":        good[len(v):],
		"truncated":          good[:len(good)-1],
		"other key, same id": ring(t, c, mustKey(t, '1', "another secret, just as long....")).Sign(seal.Person(anna), v),
	} {
		_, err := r.Open(s, seal.Person(anna))
		require.ErrorIs(t, err, seal.ErrForged, name)
	}
}

// flipLast changes the last character of s.
func flipLast(s string) string {
	last := byte('A')
	if s[len(s)-1] == last {
		last = 'B'
	}
	return s[:len(s)-1] + string(last)
}

func mustKey(t testing.TB, id byte, secret string) seal.Key {
	t.Helper()
	k, err := seal.NewKey(id, []byte(secret))
	require.NoError(t, err)
	return k
}

func TestOpenIsBoundToTheAudience(t *testing.T) {
	c := &clock{start}
	r := ring(t, c, key(t, '1'))
	forAnna := r.Sign(seal.Person(anna), "thanks:7:0")

	_, err := r.Open(forAnna, seal.Person(bert), seal.Tenant(bot.Slack, "T1"))
	require.ErrorIs(t, err, seal.ErrForged, "a value sent to Anna, clicked by Bert")
	_, err = r.Open(forAnna, seal.Person(bot.Identity{Platform: bot.WeCom, Tenant: "T1", UserID: "U1"}))
	require.ErrorIs(t, err, seal.ErrForged, "the same user id on another platform")

	got, err := r.Open(forAnna, seal.Person(bert), seal.Person(anna))
	require.NoError(t, err, "any of the audiences may match")
	require.Equal(t, "thanks:7:0", got)

	everyone := r.Sign(seal.Tenant(bot.Slack, "T1"), "ack:3:0")
	_, err = r.Open(everyone, seal.Person(bert), seal.Tenant(bot.Slack, "T1"))
	require.NoError(t, err, "a button sent to a whole tenant")
	_, err = r.Open(everyone, seal.Person(bot.Identity{Platform: bot.Slack, Tenant: "T2", UserID: "U2"}), seal.Tenant(bot.Slack, "T2"))
	require.ErrorIs(t, err, seal.ErrForged, "another tenant")

	room := bot.Address{Identity: bot.Identity{Platform: bot.Slack, Tenant: "T1"}, Channel: "C1"}
	inRoom := r.Sign(seal.Channel(room), "thanks:7:0")
	_, err = r.Open(inRoom, seal.Channel(room))
	require.NoError(t, err)
	_, err = r.Open(inRoom, seal.Person(bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "C1"}))
	require.ErrorIs(t, err, seal.ErrForged, "a channel is not a person of the same id")
}

func TestRotationKeepsLiveButtons(t *testing.T) {
	c := &clock{start}
	old := ring(t, c, key(t, '1'))
	before := old.Sign(seal.Person(anna), "start:12:3")

	rotated := ring(t, c, key(t, '2'), key(t, '1'))
	got, err := rotated.Open(before, seal.Person(anna))
	require.NoError(t, err, "a button signed before the rotation")
	require.Equal(t, "start:12:3", got)

	after := rotated.Sign(seal.Person(anna), "start:12:3")
	require.NotEqual(t, before, after, "the new key signs")
	_, err = old.Open(after, seal.Person(anna))
	require.ErrorIs(t, err, seal.ErrForged, "the old ring does not know the new key")

	retired := ring(t, c, key(t, '2'))
	_, err = retired.Open(before, seal.Person(anna))
	require.ErrorIs(t, err, seal.ErrForged, "once the old key is dropped")
}

func TestOpenExpires(t *testing.T) {
	c := &clock{start}
	r := ring(t, c, key(t, '1'))
	s := r.Sign(seal.Person(anna), "start:12:3")

	c.t = start.Add(24 * time.Hour)
	_, err := r.Open(s, seal.Person(anna))
	require.NoError(t, err, "good for its whole lifetime")

	c.t = start.Add(24*time.Hour + time.Second)
	_, err = r.Open(s, seal.Person(anna))
	require.ErrorIs(t, err, seal.ErrExpired)
	_, err = r.Open(s, seal.Person(bert))
	require.ErrorIs(t, err, seal.ErrForged, "expiry is only told of genuine seals")
}

func TestNewRing(t *testing.T) {
	c := &clock{start}
	_, err := seal.NewRing(time.Hour, c.now)
	require.Error(t, err)
	_, err = seal.NewRing(0, c.now, key(t, '1'))
	require.Error(t, err)
	_, err = seal.NewRing(time.Hour, c.now, key(t, '1'), key(t, '1'))
	require.Error(t, err)
	_, err = seal.NewRing(time.Hour, c.now, seal.Key{})
	require.Error(t, err)
}

func TestParseKeys(t *testing.T) {
	secret := strings.Repeat("s", 20) + "=="
	keys, err := seal.ParseKeys(" b=" + secret + " , a=" + strings.Repeat("t", 16))
	require.NoError(t, err)
	require.Len(t, keys, 2)
	require.Equal(t, byte('b'), keys[0].ID())
	require.Equal(t, secret, string(keys[0].Secret()))

	keys, err = seal.ParseKeys("  ")
	require.NoError(t, err)
	require.Empty(t, keys)

	for _, bad := range []string{"1", "12=" + secret, "1=tiny", "-=" + secret, "1=" + secret + ",1=" + secret} {
		_, err := seal.ParseKeys(bad)
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "tiny", "no secret in the error")
		require.NotContains(t, err.Error(), secret)
	}
}

func TestKeyHidesItsSecret(t *testing.T) {
	k := key(t, '1')
	secret := string(k.Secret())
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("keys", "key", k, "keys", []seal.Key{k})
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k), b.String()} {
		require.NotContains(t, s, secret)
		require.Contains(t, s, "seal.Key(1")
	}
}

func BenchmarkSignOpen(b *testing.B) {
	c := &clock{start}
	r := ring(b, c, key(b, '2'), key(b, '1'))
	to := []seal.Audience{seal.Person(bert), seal.Tenant(bot.Slack, "T1"), seal.Person(anna)}
	for b.Loop() {
		if _, err := r.Open(r.Sign(seal.Person(anna), "bpraise:4:0:deal_won — ACME renewal"), to...); err != nil {
			b.Fatal(err)
		}
	}
}
