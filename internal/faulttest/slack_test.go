package faulttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
)

const (
	slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	slackTeam   = "T0FAULT"
)

// fakeSlack is Slack's Web API on 127.0.0.1 as far as perfbot calls it;
// it keeps every message posted.
type fakeSlack struct {
	srv *httptest.Server

	mu    sync.Mutex
	seq   int
	posts []slackPost
	calls map[string]int

	// Until downUntil, calls fail in turn with a 500 and with a timeout
	// (held, then the connection dropped), counted in failed and hung.
	downUntil    time.Time
	failed, hung int
}

// slackPost is a chat.postMessage or chat.update as Slack received it.
type slackPost struct {
	Method, Channel, Text string
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	if time.Now().Before(f.downUntil) {
		f.fail(w, method, r)
		return
	}
	answer := map[string]any{"ok": true}
	switch method {
	case "auth.test":
		answer["user_id"], answer["team_id"], answer["bot_id"] = "UBOT", slackTeam, "BBOT"
	case "conversations.open":
		// Slack would create a conversation; its id names the user.
		answer["channel"] = map[string]any{"id": "D" + r.Form.Get("users")}
	case "chat.postMessage", "chat.update":
		f.seq++
		ts := r.Form.Get("ts")
		if method == "chat.postMessage" {
			ts = fmt.Sprintf("1795766400.%06d", f.seq)
		}
		channel := r.Form.Get("channel")
		if strings.HasPrefix(channel, "U") {
			channel = "D" + channel // a user id: Slack opens the direct conversation
		}
		f.posts = append(f.posts, slackPost{Method: method, Channel: channel, Text: r.Form.Get("text")})
		answer["channel"], answer["ts"] = channel, ts
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(answer)
}

// down makes the API fail for d.
func (f *fakeSlack) down(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.downUntil = time.Now().Add(d)
}

// outage is how many calls failed with a 500 and with a timeout.
func (f *fakeSlack) outage() (failed, hung int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed, f.hung
}

// hangFor is how long a timed-out call is held before its connection is
// dropped: longer than a platform answers, shorter than perfbot's send
// timeout, so the send fails rather than ends.
const hangFor = 5 * time.Second

// fail answers a call during the outage, f.mu held: every other one with
// a 500, the rest by holding it and dropping the connection. A held
// chat.postMessage is posted first: the worst case, where Slack took the
// message and the answer was lost, so a resend shows as a duplicate.
func (f *fakeSlack) fail(w http.ResponseWriter, method string, r *http.Request) {
	if (f.failed+f.hung)%2 == 0 {
		f.failed++
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	f.hung++
	if method == "chat.postMessage" {
		f.posts = append(f.posts, slackPost{Method: method, Channel: r.Form.Get("channel"), Text: r.Form.Get("text")})
	}
	f.mu.Unlock()
	defer f.mu.Lock()
	select {
	case <-time.After(hangFor):
	case <-r.Context().Done():
	}
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
		}
	}
}

// posted returns the messages posted to channel, in order.
func (f *fakeSlack) posted(channel string) []slackPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []slackPost
	for _, p := range f.posts {
		if p.Channel == channel && p.Method == "chat.postMessage" {
			out = append(out, p)
		}
	}
	return out
}

// duplicates counts the messages posted again to the same channel with the
// same text: a reply sent twice.
func (f *fakeSlack) duplicates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[[2]string]bool{}
	n := 0
	for _, p := range f.posts {
		if p.Method != "chat.postMessage" {
			continue
		}
		k := [2]string{p.Channel, p.Text}
		if seen[k] {
			n++
		}
		seen[k] = true
	}
	return n
}

// slackEvent is one Events API delivery: its event id and signed body.
type slackEvent struct {
	ID   string
	User string
	Body []byte
}

// dm is a direct message typed by user, as the Events API delivers it.
func dm(user, eventID, text string) slackEvent {
	now := time.Now()
	body, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": slackTeam, "api_app_id": "A0FAULT",
		"event_id": eventID, "event_time": now.Unix(),
		"event": map[string]any{
			"type": "message", "channel_type": "im", "channel": "D" + user, "user": user,
			"text": text, "ts": fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000),
		},
	})
	return slackEvent{ID: eventID, User: user, Body: body}
}

// deliver posts ev to perfbot signed as Slack does, retry > 0 marking a
// redelivery, and returns the status perfbot answered.
func deliver(t *testing.T, p *perfbot, ev slackEvent, retry int) int {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, p.url("/slack/events"), bytes.NewReader(ev.Body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Sign(slackSecret, ts, ev.Body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0 // perfbot is down: Slack will retry
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// slackEnv configures Slack in HTTP mode against f.
func slackEnv(f *fakeSlack) env {
	return env{"SLACK_BOT_TOKEN": "xoxb-fault", "SLACK_SIGNING_SECRET": slackSecret,
		"SLACK_API_URL": f.apiURL(), "SLACK_TEAM_ID": slackTeam}
}
