package platformtest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Slack's limits, as the fake enforces them. Slack publishes no exact
// workspace figure for chat.postMessage ("several hundred a minute"); the
// fake takes 300 a minute, in bursts of up to 20.
const (
	// SlackPostEvery and SlackPostBurst are the workspace's rate for
	// chat.postMessage.
	SlackPostEvery = 200 * time.Millisecond
	SlackPostBurst = 20
	// slackChannelEvery and slackChannelBurst are the per-channel rate:
	// about one a second, with short bursts.
	slackChannelEvery = time.Second
	slackChannelBurst = 3
	// SlackOpenEvery and SlackOpenBurst are conversations.open's: Tier 3,
	// 50 a minute.
	SlackOpenEvery = 1200 * time.Millisecond
	SlackOpenBurst = 10
)

// Slack is a fake of Slack's Web API: conversations.open and
// chat.postMessage. A person's direct-message channel is "D" and their
// user id; chat.postMessage to a user id posts there, as Slack does. Over
// a limit it answers HTTP 429 with a Retry-After, as Slack does.
type Slack struct {
	*server
	post, open *bucket

	mu       sync.Mutex
	channels map[string]*bucket
	pruneAt  int // len(channels) at which those at rest are forgotten
	opened   int
}

// slackPruneAt is the least number of channel buckets before the fake
// forgets those at rest: a broadcast writes to a channel per person, and
// 100,000 buckets kept for nothing would weigh on the heap a benchmark
// samples.
const slackPruneAt = 256

// NewSlack starts a fake Slack; Close it when done. Its API URL is URL().
func NewSlack(o Options) *Slack {
	mux := http.NewServeMux()
	f := &Slack{
		post:     newBucket(o.now, SlackPostEvery, SlackPostBurst),
		open:     newBucket(o.now, SlackOpenEvery, SlackOpenBurst),
		channels: map[string]*bucket{},
		pruneAt:  slackPruneAt,
	}
	f.server = newServer(o, mux)
	mux.HandleFunc("POST /api/conversations.open", f.conversationsOpen)
	mux.HandleFunc("POST /api/chat.postMessage", f.postMessage)
	mux.HandleFunc("POST /api/chat.update", f.update)
	return f
}

// URL is the Web API's base, for slack.Config.APIURL.
func (f *Slack) URL() string { return f.srv.URL + "/api/" }

// Opened is how many conversations.open calls were answered.
func (f *Slack) Opened() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opened
}

// AllowedPerSecond is how many recipients a second Slack allows:
// chat.postMessage's rate, which opens a direct-message channel not open
// yet itself (conversations.open, slower, is needed only where a
// workspace refuses that).
func (f *Slack) AllowedPerSecond() float64 { return f.post.perSecond() }

// limited answers 429 with the whole seconds to wait.
func (f *Slack) limited(w http.ResponseWriter, wait time.Duration) {
	f.rec.refuse()
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	answer(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
}

// authed checks for a bot token, which slack-go sends as a form field.
func authed(w http.ResponseWriter, r *http.Request) bool {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = r.FormValue("token")
	}
	if !strings.HasPrefix(token, "xoxb-") {
		answer(w, http.StatusOK, map[string]any{"ok": false, "error": "not_authed"})
		return false
	}
	return true
}

func (f *Slack) conversationsOpen(w http.ResponseWriter, r *http.Request) {
	if !authed(w, r) {
		return
	}
	users := r.FormValue("users")
	if users == "" || strings.Contains(users, ",") {
		answer(w, http.StatusOK, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	if ok, wait := f.open.allow(); !ok {
		f.limited(w, wait)
		return
	}
	f.mu.Lock()
	f.opened++
	f.mu.Unlock()
	answer(w, http.StatusOK, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + users}})
}

func (f *Slack) postMessage(w http.ResponseWriter, r *http.Request) {
	if !authed(w, r) {
		return
	}
	channel := r.FormValue("channel")
	if channel == "" {
		answer(w, http.StatusOK, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	if strings.HasPrefix(channel, "U") {
		channel = "D" + channel // Slack opens the direct conversation
	}
	if ok, wait := f.post.allow(); !ok {
		f.limited(w, wait)
		return
	}
	if ok, wait := f.perChannel(channel); !ok {
		f.limited(w, wait)
		return
	}
	f.deliver(r.Context(), []string{strings.TrimPrefix(channel, "D")}, r.FormValue("text"))
	answer(w, http.StatusOK, map[string]any{"ok": true, "channel": channel, "ts": "1700000000.000100"})
}

// perChannel admits a call to channel by its own limit. The bucket is
// looked up and used under f.mu, so prune never forgets one a call is
// about to use.
func (f *Slack) perChannel(channel string) (ok bool, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	per, ok := f.channels[channel]
	if !ok {
		f.prune()
		per = newBucket(f.o.now, slackChannelEvery, slackChannelBurst)
		f.channels[channel] = per
	}
	return per.allow()
}

// prune forgets the channel buckets at rest, once there are pruneAt of
// them, and waits for twice as many as remain before the next time, so the
// work is a constant per channel. f.mu is held.
func (f *Slack) prune() {
	if len(f.channels) < f.pruneAt {
		return
	}
	for ch, b := range f.channels {
		if b.atRest() {
			delete(f.channels, ch)
		}
	}
	f.pruneAt = max(slackPruneAt, 2*len(f.channels))
}

// update answers chat.update (Tier 3, far above what replacing a clicked
// message needs) without delivering anything new.
func (f *Slack) update(w http.ResponseWriter, r *http.Request) {
	if !authed(w, r) {
		return
	}
	answer(w, http.StatusOK, map[string]any{"ok": true, "channel": r.FormValue("channel"), "ts": r.FormValue("ts")})
}
