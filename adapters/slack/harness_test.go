package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// Slack's documented signing example uses this secret; the tests sign with it too.
const (
	secret = "8f742231b10e8888abcd99yyyzzz85a5"
	team   = "T0PERFBOT"
)

// harness is perfbot's engine on a backend, the Slack adapter mounted on an
// HTTP server, and a fake Slack Web API behind it.
type harness struct {
	*wire
	f        *enginetest.Fixture
	registry *prometheus.Registry
	mu       sync.Mutex
	sleeps   []time.Duration
}

// wire plays Slack calling perfbot: signed requests to the adapter mounted
// on srv, about the messages the fake holds.
type wire struct {
	t    *testing.T
	fake *fakeSlack
	ad   *slack.Adapter
	srv  *httptest.Server
	now  func() time.Time
	seq  int
}

// newWire mounts ad on a test server delivering to h.
func newWire(t *testing.T, fake *fakeSlack, ad *slack.Adapter, h bot.Handler, now func() time.Time) *wire {
	mux := http.NewServeMux()
	ad.Mount(mux, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &wire{t: t, fake: fake, ad: ad, srv: srv, now: now}
}

func newHarness(t *testing.T, b enginetest.Backend) *harness {
	h := &harness{registry: prometheus.NewRegistry()}
	fake := newFakeSlack(t)
	h.f = enginetest.New(t, b)
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: fake.GetAPIURL()},
		Clock:  h.f.Clock.Now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.sleeps = append(h.sleeps, d)
			return nil
		},
		Registerer: h.registry,
		Dialog:     h.f.Dialog,
	})
	require.NoError(t, err)
	h.f.Engine.Register(ad)
	h.wire = newWire(t, fake, ad, h.f.Engine, h.f.Clock.Now)
	return h
}

// user is someone on Slack in team.
func user(id string) bot.Identity { return bot.Identity{Platform: bot.Slack, Tenant: team, UserID: id} }

// signed posts body to path as Slack would, signed now by the fixture's
// clock, then waits until the adapter handled what it acknowledged.
func (h *wire) signed(path, contentType string, body []byte, header http.Header) (int, string) {
	h.t.Helper()
	ts := strconv.FormatInt(h.now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	require.NoError(h.t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Sign(secret, ts, body))
	return h.send(req)
}

// send makes req; the adapter answers once the handler took the event.
func (h *wire) send(req *http.Request) (int, string) {
	h.t.Helper()
	resp, err := h.srv.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp.StatusCode, string(out)
}

// say delivers a direct message as the Events API does. text is as Slack
// sends it: &, < and > typed by the person arrive escaped.
func (h *wire) say(userID, text, eventID string, retry int) int {
	h.t.Helper()
	h.seq++
	body, err := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": team, "api_app_id": "A0PERFBOT",
		"event_id": eventID, "event_time": h.now().Unix(),
		"event": map[string]any{
			"type": "message", "channel_type": "im", "channel": "D" + userID, "user": userID,
			"text": text, "ts": fmt.Sprintf("%d.%06d", h.now().Unix(), h.seq),
		},
	})
	require.NoError(h.t, err)
	header := http.Header{}
	if retry > 0 {
		header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	code, _ := h.signed("/slack/events", "application/json", body, header)
	return code
}

// click presses the button labelled label on the newest message in the
// user's direct conversation, as block_actions delivers it.
func (h *wire) click(userID, label string) int {
	h.t.Helper()
	msg := h.fake.last(h.t, "D"+userID)
	return h.clickOn(userID, msg, msg.button(h.t, label))
}

func (h *wire) clickOn(userID string, msg post, b button) int {
	h.t.Helper()
	h.seq++
	actionTS := fmt.Sprintf("%d.%06d", h.now().Unix(), h.seq)
	payload, err := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": fmt.Sprintf("trigger-%d", h.seq),
		"team":      map[string]any{"id": team},
		"user":      map[string]any{"id": userID, "team_id": team},
		"container": map[string]any{"type": "message", "channel_id": msg.Channel, "message_ts": msg.TS},
		"channel":   map[string]any{"id": msg.Channel},
		"message":   map[string]any{"ts": msg.TS, "type": "message"},
		"actions": []map[string]any{{
			"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value,
			"text": map[string]any{"type": "plain_text", "text": b.Label}, "action_ts": actionTS,
		}},
	})
	require.NoError(h.t, err)
	body := []byte(url.Values{"payload": {string(payload)}}.Encode())
	code, _ := h.signed("/slack/interactions", "application/x-www-form-urlencoded", body, nil)
	return code
}

// command runs a slash command.
func (h *wire) command(userID, command, text string) int {
	h.t.Helper()
	h.seq++
	body := []byte(url.Values{
		"team_id": {team}, "user_id": {userID}, "channel_id": {"C0GENERAL"}, "command": {command},
		"text": {text}, "trigger_id": {fmt.Sprintf("trigger-%d", h.seq)},
	}.Encode())
	code, _ := h.signed("/slack/commands", "application/x-www-form-urlencoded", body, nil)
	return code
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
