package slack_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot/bottest"
)

// Slack's documented signing example (docs.slack.dev, "Verifying requests
// from Slack").
const (
	docsTimestamp = "1531420618"
	docsBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docsSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestSignMatchesSlacksExample(t *testing.T) {
	require.Equal(t, docsSignature, slack.Sign(secret, docsTimestamp, []byte(docsBody)))
}

// recorder is the Handler the adapter delivers to.
type recorder = bottest.Recorder

// mounted is the adapter alone on a server, its clock at now, handing
// events to a recorder.
func mounted(t *testing.T, now time.Time) (*slack.Adapter, *httptest.Server, *recorder) {
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: "http://127.0.0.1:1/"},
		Clock:  func() time.Time { return now },
	})
	require.NoError(t, err)
	rec := &recorder{}
	mux := http.NewServeMux()
	ad.Mount(mux, rec)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return ad, srv, rec
}

func postRaw(t *testing.T, ad *slack.Adapter, url, ts, sig, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Slack-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// The documented example request is accepted at its own time (its command
// is not perfbot's, so nothing is handled) and refused five minutes later.
func TestDocumentedRequestVerifies(t *testing.T) {
	at := time.Unix(1531420618, 0)
	ad, srv, rec := mounted(t, at.Add(4*time.Minute))
	require.Equal(t, http.StatusOK, postRaw(t, ad, srv.URL+"/slack/commands", docsTimestamp, docsSignature, docsBody))
	require.Empty(t, rec.Events())

	ad, srv, _ = mounted(t, at.Add(5*time.Minute+time.Second))
	require.Equal(t, http.StatusUnauthorized, postRaw(t, ad, srv.URL+"/slack/commands", docsTimestamp, docsSignature, docsBody))
}

func TestUnverifiedRequestsAreRefused(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	ad, srv, rec := mounted(t, now)
	body := `{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"hi","ts":"1.1"}}`
	ts := strconv.FormatInt(now.Unix(), 10)
	stale := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	future := strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)
	for name, c := range map[string]struct{ ts, sig string }{
		"no signature":    {ts, ""},
		"wrong secret":    {ts, slack.Sign("not-the-secret", ts, []byte(body))},
		"other body":      {ts, slack.Sign(secret, ts, []byte(body+" "))},
		"no timestamp":    {"", slack.Sign(secret, "", []byte(body))},
		"stale timestamp": {stale, slack.Sign(secret, stale, []byte(body))},
		"future":          {future, slack.Sign(secret, future, []byte(body))},
		"v1 scheme":       {ts, strings.Replace(slack.Sign(secret, ts, []byte(body)), "v0=", "v1=", 1)},
	} {
		for _, path := range []string{"/slack/events", "/slack/interactions", "/slack/commands"} {
			require.Equal(t, http.StatusUnauthorized, postRaw(t, ad, srv.URL+path, c.ts, c.sig, body), "%s %s", name, path)
		}
	}
	require.Empty(t, rec.Events(), "nothing refused was handled")

	big := bytes.Repeat([]byte("x"), slack.MaxBody+1)
	require.Equal(t, http.StatusRequestEntityTooLarge, postRaw(t, ad, srv.URL+"/slack/events", ts, slack.Sign(secret, ts, big), string(big)))

	// The same request, signed, goes through.
	require.Equal(t, http.StatusOK, postRaw(t, ad, srv.URL+"/slack/events", ts, slack.Sign(secret, ts, []byte(body)), body))
	require.Len(t, rec.Events(), 1)
	require.Equal(t, "Ev1", rec.Events()[0].ID)
}

func TestURLVerificationChallenge(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	_, srv, rec := mounted(t, now)
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	ts := strconv.FormatInt(now.Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Sign(secret, ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var got bytes.Buffer
	_, _ = got.ReadFrom(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", got.String())
	require.Empty(t, rec.Events())
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// Found by FuzzEvents, FuzzInteractions and FuzzCommands: a callback
// without its event_id, a click without action_ts or trigger_id, and a
// command without trigger_id were handed on with an id that named no
// delivery ("", "action:", "command:"), so Slack's retries of them were
// each handled, or different ones taken for one.
func TestDeliveriesWithoutTheirIDAreNotHandedOn(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	ad, srv, rec := mounted(t, now)
	ts := strconv.FormatInt(now.Unix(), 10)
	post := func(path, body string) {
		require.Equal(t, http.StatusOK, postRaw(t, ad, srv.URL+path, ts, slack.Sign(secret, ts, []byte(body)), body), path)
	}
	post("/slack/events", `{"type":"event_callback","team_id":"T1","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"hi","ts":"1.1"}}`)
	post("/slack/interactions", url.Values{"payload": {`{"type":"block_actions","user":{"id":"U1"},"actions":[{"type":"button","block_id":"k","value":"skip:1:0"}]}`}}.Encode())
	post("/slack/commands", url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "command": {"/checkin"}}.Encode())
	// FuzzEvents, too: a group message without its channel had nowhere to
	// be answered.
	post("/slack/events", `{"type":"event_callback","team_id":"T1","event_id":"Ev3","event":{"type":"message","user":"U1","text":"hi","ts":"1.1"}}`)
	require.Empty(t, rec.Events())

	post("/slack/interactions", url.Values{"payload": {`{"type":"block_actions","trigger_id":"t1","user":{"id":"U1"},"actions":[{"type":"button","block_id":"k","value":"skip:1:0"}]}`}}.Encode())
	post("/slack/commands", url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "command": {"/checkin"}, "trigger_id": {"t2"}}.Encode())
	evs := rec.Events()
	require.Len(t, evs, 2, "the trigger_id serves when there is no action_ts")
	require.Equal(t, []string{"action:t1", "command:t2"}, []string{evs[0].ID, evs[1].ID})
}
