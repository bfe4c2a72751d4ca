package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
)

var fuzzNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// refuseAll is a transport that reaches nothing: a voice clip's download
// fails at once, and the event goes on without audio.
type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in fuzzing")
}

// fuzzSlack is the adapter's HTTP endpoints, called in process.
type fuzzSlack struct {
	ad  *slack.Adapter
	mux *http.ServeMux
	rec *recorder
}

func newFuzzSlack(f *testing.F) *fuzzSlack {
	ad, err := slack.New(slack.Options{
		Config:     slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: "http://slack.invalid/"},
		Clock:      func() time.Time { return fuzzNow },
		HTTPClient: &http.Client{Transport: refuseAll{}},
		Sleep:      func(context.Context, time.Duration) error { return nil },
	})
	require.NoError(f, err)
	fs := &fuzzSlack{ad: ad, mux: http.NewServeMux(), rec: &recorder{}}
	ad.Mount(fs.mux, fs.rec)
	return fs
}

// post sends body to path with the headers given, and returns the answer
// and the events handed on once the adapter is done with them.
func (fs *fuzzSlack) post(t *testing.T, path string, body []byte, header http.Header) (*httptest.ResponseRecorder, []bot.Event) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	for k, vs := range header {
		req.Header[k] = vs
	}
	w := httptest.NewRecorder()
	before := len(fs.rec.Events())
	fs.mux.ServeHTTP(w, req)
	return w, fs.rec.Events()[before:]
}

// signed posts body as Slack does, signed now.
func (fs *fuzzSlack) signed(t *testing.T, path string, body []byte, retry bool) (*httptest.ResponseRecorder, []bot.Event) {
	t.Helper()
	ts := strconv.FormatInt(fuzzNow.Unix(), 10)
	h := http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {slack.Sign(secret, ts, body)}}
	if retry {
		h.Set("X-Slack-Retry-Num", "1")
		h.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	return fs.post(t, path, body, h)
}

var eventKinds = []bot.EventKind{bot.KindMessage, bot.KindVoice, bot.KindAction, bot.KindUnsupported}

// checkEvent checks what every event the adapter hands on must be: its
// id, the prefix naming what made it and something after it, so two
// different clicks or commands are never taken for one.
func checkEvent(t *testing.T, ev bot.Event, prefixes ...string) {
	t.Helper()
	require.NotEmpty(t, ev.ID, "the engine dedupes on the id")
	if len(prefixes) > 0 {
		rest, ok := "", false
		for _, p := range prefixes {
			if r, found := strings.CutPrefix(ev.ID, p); found {
				rest, ok = r, true
			}
		}
		require.True(t, ok, "id %q", ev.ID)
		require.NotEmpty(t, strings.Trim(rest, ":"), "id %q names no delivery", ev.ID)
	}
	require.Equal(t, bot.Slack, ev.From.Platform)
	require.NotEmpty(t, ev.From.UserID, "an event is someone's")
	require.Contains(t, eventKinds, ev.Kind)
	if ev.Kind == bot.KindVoice {
		require.NotNil(t, ev.Voice)
	}
	if ev.Group {
		require.NotEmpty(t, ev.Channel, "a group event says where to answer")
	}
}

func jsonSeed(f *testing.F, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(f, err)
	return b
}

func FuzzEvents(f *testing.F) {
	message := func(ev map[string]any) []byte {
		return jsonSeed(f, map[string]any{"type": "event_callback", "team_id": team, "api_app_id": "A0PERFBOT",
			"event_id": "Ev1", "event_time": fuzzNow.Unix(), "event": ev})
	}
	f.Add(message(map[string]any{"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1", "text": "done &lt;b&gt; &amp; more", "ts": "1795766400.000100"}))
	f.Add(message(map[string]any{"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "text": "<@U0BOT> checkin", "ts": "1.1"}))
	f.Add(message(map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "channel": "DU1", "user": "U1", "ts": "1.2",
		"files": []map[string]any{{"id": "F1", "mimetype": "audio/webm", "subtype": "slack_audio", "url_private_download": "https://files.slack.com/x.webm", "duration_ms": 4000,
			"transcription": map[string]any{"status": "complete", "preview": map[string]any{"content": "hello", "has_more": false}}}}}))
	f.Add(message(map[string]any{"type": "message", "subtype": "message_changed", "channel": "DU1"}))
	f.Add(message(map[string]any{"type": "message", "bot_id": "B1", "user": "U0BOT", "text": "echo"}))
	f.Add(message(map[string]any{"type": "app_mention", "user": "U1"}))
	f.Add(jsonSeed(f, map[string]any{"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"message","user":"U1","text":"no event id","channel_type":"im","channel":"D1"}}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"Ev2","event":"not an object"}`))
	f.Add([]byte(`not json`))
	fs := newFuzzSlack(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w, evs := fs.signed(t, "/slack/events", body, false)
		if w.Code != http.StatusOK {
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.Empty(t, evs, "a refused callback hands nothing on")
			return
		}
		if w.Body.Len() > 0 || len(evs) == 0 {
			require.Empty(t, evs, "a url_verification is answered, not handed on")
			return
		}
		require.Len(t, evs, 1)
		checkEvent(t, evs[0])

		_, again := fs.signed(t, "/slack/events", body, true)
		require.Equal(t, evs, again, "Slack's retry of the event is the same event")
	})
}

func FuzzInteractions(f *testing.F) {
	form := func(v any) []byte {
		return []byte(url.Values{"payload": {string(jsonSeed(f, v))}}.Encode())
	}
	f.Add(form(map[string]any{"type": "block_actions", "trigger_id": "trigger-1", "team": map[string]any{"id": team},
		"user": map[string]any{"id": "U1", "team_id": team}, "container": map[string]any{"type": "message", "channel_id": "DU1", "message_ts": "1.1"},
		"channel": map[string]any{"id": "DU1"}, "message": map[string]any{"ts": "1.1", "type": "message"},
		"actions": []map[string]any{{"type": "button", "action_id": "b0", "block_id": "k", "value": "start:12:3", "action_ts": "1795766400.000200"}}}))
	f.Add(form(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"}, "actions": []map[string]any{{"type": "button", "block_id": "k", "value": "skip:1:0"}}}))
	f.Add(form(map[string]any{"type": "block_actions", "trigger_id": "t", "user": map[string]any{"id": "U1"}, "container": map[string]any{"channel_id": "C1"},
		"actions": []map[string]any{{"type": "button", "block_id": "k", "value": "mood:1:2:4", "action_ts": "1.2"}}}))
	f.Add(form(map[string]any{"type": "view_submission", "trigger_id": "trigger-form", "team": map[string]any{"id": team}, "user": map[string]any{"id": "U1", "team_id": team},
		"view": map[string]any{"id": "V1", "hash": "h1", "callback_id": "perfbot_form", "private_metadata": `{"v":"fsub:12:0","r":"DU1:1.1"}`,
			"state": map[string]any{"values": map[string]any{"done": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "shipped"}},
				"mood": map[string]any{"value": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "4"}}}}}}}))
	f.Add(form(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U1"}, "view": map[string]any{"id": "V1", "callback_id": "perfbot_form", "private_metadata": "not json"}}))
	f.Add(form(map[string]any{"type": "view_closed", "user": map[string]any{"id": "U1"}}))
	f.Add([]byte("payload=%7Bnot+json"))
	f.Add([]byte("%zz"))
	fs := newFuzzSlack(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w, evs := fs.signed(t, "/slack/interactions", body, false)
		if w.Code != http.StatusOK {
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.Empty(t, evs, "a refused payload hands nothing on")
			return
		}
		require.Empty(t, w.Body.String(), "an empty 200 acknowledges, and closes a modal")
		if len(evs) == 0 {
			return
		}
		require.Len(t, evs, 1)
		ev := evs[0]
		checkEvent(t, ev, "action:", "view:")
		require.Equal(t, bot.KindAction, ev.Kind)

		_, again := fs.signed(t, "/slack/interactions", body, false)
		require.Equal(t, evs, again, "a redelivered click is the same event")
	})
}

func FuzzCommands(f *testing.F) {
	command := func(cmd, text, trigger string) []byte {
		return []byte(url.Values{"team_id": {team}, "user_id": {"U1"}, "channel_id": {"C0GENERAL"}, "command": {cmd},
			"text": {text}, "trigger_id": {trigger}}.Encode())
	}
	f.Add(command("/checkin", "", "trigger-1"))
	f.Add(command("/checkin", " help ", "trigger-2"))
	f.Add(command("/kudos", "<@U2|ann> great demo &amp; docs", "trigger-3"))
	f.Add(command("/feedback", "", "trigger-4"))
	f.Add(command("/weather", "x", "trigger-5"))
	f.Add(command("/checkin", "", ""))
	f.Add([]byte(docsBody))
	f.Add([]byte("command=%2Fcheckin&user_id=U1&user_id=U2&trigger_id=t;x"))
	f.Add([]byte("%"))
	fs := newFuzzSlack(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w, evs := fs.signed(t, "/slack/commands", body, false)
		if w.Code != http.StatusOK {
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.Empty(t, evs, "a refused command hands nothing on")
			return
		}
		require.Empty(t, w.Body.String(), "the answer comes as a direct message")
		if len(evs) == 0 {
			return
		}
		require.Len(t, evs, 1)
		ev := evs[0]
		checkEvent(t, ev, "command:")
		require.Equal(t, bot.KindMessage, ev.Kind)
		require.NotEmpty(t, ev.Text, "a command is typed as text")
		require.False(t, ev.Group, "a command is answered in the sender's direct conversation")
	})
}

// FuzzVerify checks the request signature: what Sign made is taken, and a
// change to any byte of the body or the signature, or to the timestamp,
// is refused.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(docsBody), int64(0), uint16(0), byte(1))
	f.Add([]byte(`{"type":"event_callback","event_id":"Ev1"}`), int64(-299), uint16(17), byte(0x80))
	f.Add([]byte(""), int64(301), uint16(3), byte(0xff))
	fs := newFuzzSlack(f)
	f.Fuzz(func(t *testing.T, body []byte, offset int64, at uint16, flip byte) {
		sent := fuzzNow.Unix() + offset%900
		ts := strconv.FormatInt(sent, 10)
		sig := slack.Sign(secret, ts, body)
		post := func(ts, sig string, body []byte) int {
			w, _ := fs.post(t, "/slack/commands", body, http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {sig}})
			return w.Code
		}
		fresh := time.Unix(sent, 0).Sub(fuzzNow).Abs() <= 5*time.Minute
		if code := post(ts, sig, body); fresh {
			require.NotEqual(t, http.StatusUnauthorized, code, "what Sign made is taken")
		} else {
			require.Equal(t, http.StatusUnauthorized, code, "too far from the clock: a replay")
		}
		if flip == 0 {
			flip = 1
		}
		bad := []byte(sig)
		bad[int(at)%len(bad)] ^= flip
		require.Equal(t, http.StatusUnauthorized, post(ts, string(bad), body), "a changed signature")
		if len(body) > 0 {
			changed := []byte(string(body))
			changed[int(at)%len(changed)] ^= flip
			require.Equal(t, http.StatusUnauthorized, post(ts, sig, changed), "a changed body")
		}
		require.Equal(t, http.StatusUnauthorized, post(strconv.FormatInt(sent+1, 10), sig, body), "a changed timestamp")
		require.Equal(t, http.StatusUnauthorized, post(ts, "", body), "no signature")
	})
}
