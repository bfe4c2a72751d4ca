package platformtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a hand-moved clock for the fakes' limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// post sends chat.postMessage to channel and returns the HTTP status.
func post(t *testing.T, f *Slack, channel string) int {
	t.Helper()
	resp, err := http.PostForm(f.URL()+"chat.postMessage", url.Values{"token": {"xoxb-t"}, "channel": {channel}, "text": {"hi"}})
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// A broadcast writes to one channel per person: the fake forgets the
// channels' buckets once at rest, so they do not pile up, and still holds
// a busy channel to its limit.
func TestSlackForgetsChannelsAtRestAndKeepsLimitingBusyOnes(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	f := NewSlack(Options{Now: c.now})
	t.Cleanup(f.Close)
	admits := func(channel string) bool {
		ok, _ := f.perChannel(channel)
		return ok
	}
	channels := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.channels)
	}

	for range slackChannelBurst {
		require.True(t, admits("DBUSY"))
	}
	require.False(t, admits("DBUSY"), "over the channel's burst")
	for i := range slackPruneAt - 1 {
		require.True(t, admits(fmt.Sprintf("DU%05d", i)))
	}
	require.Equal(t, slackPruneAt, channels())
	// The people's channels are at rest a second later; DBUSY, three calls
	// ahead, is not.
	c.add(1500 * time.Millisecond)
	require.True(t, admits("DNEW"))
	require.Equal(t, 2, channels(), "the channels at rest were forgotten, DBUSY and DNEW kept")
	require.True(t, admits("DBUSY"), "room for one more by now")
	require.False(t, admits("DBUSY"), "but not for a new bucket's burst: DBUSY was not forgotten")
}

// End to end, with TotalOnly: a broadcast to thousands keeps few buckets
// and no recipient's count, and the total is right.
func TestSlackBroadcastKeepsLittle(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	f := NewSlack(Options{Now: c.now, TotalOnly: true})
	t.Cleanup(f.Close)
	people := 2 * slackPruneAt
	for i := range people {
		require.Equal(t, http.StatusOK, post(t, f, fmt.Sprintf("U%05d", i)))
		c.add(SlackPostEvery) // the workspace's rate
	}
	f.mu.Lock()
	kept := len(f.channels)
	f.mu.Unlock()
	require.Less(t, kept, slackPruneAt)
	require.Equal(t, people, f.Received().Total())
	require.Zero(t, f.Received().Distinct(), "TotalOnly keeps no recipient's count")
}

// Without TotalOnly the fake counts each recipient.
func TestReceivedCountsEachRecipient(t *testing.T) {
	f := NewSlack(Options{})
	t.Cleanup(f.Close)
	require.Equal(t, http.StatusOK, post(t, f, "UA"))
	require.Equal(t, http.StatusOK, post(t, f, "UB"))
	require.Equal(t, map[string]int{"UA": 1, "UB": 1}, f.Received().Counts())
	require.True(t, strings.HasPrefix(f.URL(), "http://127.0.0.1"))
}
