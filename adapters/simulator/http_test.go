package simulator_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/bottest"
)

func TestPersonas(t *testing.T) {
	srv := serve(t, newAdapter(simulator.Options{}), &recorder{})
	var got []simulator.Persona
	require.Equal(t, http.StatusOK, getJSON(t, srv.URL+"/api/personas", &got))
	require.Equal(t, []simulator.Persona{alice, wei}, got)

	// Nobody to be is an empty list, not null.
	empty := serve(t, simulator.New(simulator.Options{}), &recorder{})
	var none []simulator.Persona
	require.Equal(t, http.StatusOK, getJSON(t, empty.URL+"/api/personas", &none))
	require.NotNil(t, none)
	require.Empty(t, none)

	broken := serve(t, simulator.New(simulator.Options{Personas: func(context.Context) ([]simulator.Persona, error) {
		return nil, errors.New("directory down")
	}}), &recorder{})
	var fail map[string]string
	require.Equal(t, http.StatusInternalServerError, getJSON(t, broken.URL+"/api/personas", &fail))
	require.NotContains(t, fail["error"], "directory down", "internals stay in the log")
}

func TestMessageReachesTheHandler(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)

	for _, text := range []string{"hello", "hello"} {
		status, reply := post(t, srv.URL+"/api/conversations/alice/messages", map[string]string{"text": text})
		require.Equal(t, http.StatusOK, status)
		require.NotEmpty(t, reply["event_id"])
	}

	got := h.Events()
	require.Len(t, got, 2)
	for _, ev := range got {
		require.Equal(t, bot.KindMessage, ev.Kind)
		require.Equal(t, bot.Identity{Platform: bot.Simulator, Tenant: "demo", UserID: "alice"}, ev.From)
		require.Equal(t, "hello", ev.Text)
		require.Equal(t, now, ev.At)
		require.False(t, ev.Group)
	}
	require.NotEqual(t, got[0].ID, got[1].ID, "the same words twice are two events")

	// The transcript shows the person's side too.
	dm := a.DM("alice")
	require.Len(t, dm, 2)
	require.Equal(t, "alice", dm[0].From)
	require.Equal(t, "hello", dm[0].Text)
}

func TestActionCarriesRefAndValue(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	ref, err := a.Send(t.Context(), bot.Message{To: dm("alice"), Text: "Ready?", Buttons: []bot.Button{
		{Label: "Start", Value: "start", Style: bot.StylePrimary},
		{Label: "Skip", Value: "skip", Style: bot.StyleDanger},
	}})
	require.NoError(t, err)

	status, _ := post(t, srv.URL+"/api/conversations/alice/actions", map[string]string{"ref": string(ref), "value": "start"})
	require.Equal(t, http.StatusOK, status)

	got := h.Events()
	require.Len(t, got, 1)
	require.Equal(t, bot.KindAction, got[0].Kind)
	require.Equal(t, "start", got[0].Action)
	require.Equal(t, ref, got[0].Ref)
	require.Equal(t, "alice", got[0].From.UserID)
	require.NotEmpty(t, got[0].ID)

	transcript := a.DM("alice")
	require.Len(t, transcript, 2)
	require.Equal(t, simulator.EntryChoice, transcript[1].Kind)
	require.Equal(t, "› Start", transcript[1].Text)
	require.Equal(t, "alice", transcript[1].From)
}

func TestActionInAChannelIsAGroupEvent(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	ref, err := a.Send(t.Context(), bot.Message{To: channel("platform-team"), Text: "Summary", Buttons: []bot.Button{{Label: "Details", Value: "details"}}})
	require.NoError(t, err)

	status, _ := post(t, srv.URL+"/api/conversations/wei/actions", map[string]string{"ref": string(ref), "value": "details"})
	require.Equal(t, http.StatusOK, status)
	require.True(t, h.Events()[0].Group)
	require.Equal(t, "› Details", a.Channel("platform-team")[1].Text)
}

func TestActionOnSomeoneElsesMessageIsNotFound(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	ref, err := a.Send(t.Context(), bot.Message{To: dm("alice"), Text: "Approve Wei's goal?", Buttons: []bot.Button{{Label: "Approve", Value: "approve"}}})
	require.NoError(t, err)

	status, _ := post(t, srv.URL+"/api/conversations/wei/actions", map[string]string{"ref": string(ref), "value": "approve"})
	require.Equal(t, http.StatusNotFound, status)
	status, _ = post(t, srv.URL+"/api/conversations/alice/actions", map[string]string{"ref": "msg-never", "value": "approve"})
	require.Equal(t, http.StatusNotFound, status)
	require.Empty(t, h.Events())
}

func TestResendDeliversTheSameEvent(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)

	status, _ := post(t, srv.URL+"/api/conversations/alice/resend", nil)
	require.Equal(t, http.StatusNotFound, status, "nothing sent yet")

	status, first := post(t, srv.URL+"/api/conversations/alice/messages", map[string]string{"text": "done"})
	require.Equal(t, http.StatusOK, status)
	status, again := post(t, srv.URL+"/api/conversations/alice/resend", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, first["event_id"], again["event_id"])

	got := h.Events()
	require.Len(t, got, 2)
	require.Equal(t, got[0], got[1], "a platform's retry is the very same event")
	require.Equal(t, simulator.EntryNote, a.DM("alice")[1].Kind)
}

func TestHandlerErrorIs500(t *testing.T) {
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, bottest.NewFailing(errors.New("database is down")))

	status, reply := post(t, srv.URL+"/api/conversations/alice/messages", map[string]string{"text": "hi"})
	require.Equal(t, http.StatusInternalServerError, status)
	require.NotContains(t, reply["error"], "database is down", "internals stay in the log")
	require.Contains(t, reply["error"], "Internal Server Error")
	require.True(t, a.DM("alice")[0].Failed, "the transcript shows it was not handled")
}

func TestHandlerGetsTheRequestContext(t *testing.T) {
	type key struct{}
	a := newAdapter(simulator.Options{})
	mux := http.NewServeMux()
	var got any
	a.Mount(mux, bot.HandlerFunc(func(ctx context.Context, _ bot.Event) error {
		got = ctx.Value(key{})
		return nil
	}))
	req, err := http.NewRequestWithContext(context.WithValue(t.Context(), key{}, "mine"), http.MethodPost,
		"http://localhost/api/conversations/alice/messages", strings.NewReader(`{"text":"hi"}`))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "mine", got)
}

func TestBadRequests(t *testing.T) {
	srv := serve(t, newAdapter(simulator.Options{}), &recorder{})
	messages := srv.URL + "/api/conversations/alice/messages"
	for name, tc := range map[string]struct {
		url    string
		body   any
		status int
	}{
		"body over 64 KiB":  {messages, map[string]string{"text": strings.Repeat("x", 65<<10)}, http.StatusRequestEntityTooLarge},
		"not JSON":          {messages, "{text: hi", http.StatusBadRequest},
		"wrong shape":       {messages, `{"text": 42}`, http.StatusBadRequest},
		"empty text":        {messages, map[string]string{"text": "  \n"}, http.StatusBadRequest},
		"no ref":            {srv.URL + "/api/conversations/alice/actions", map[string]string{"value": "start"}, http.StatusBadRequest},
		"unknown persona":   {srv.URL + "/api/conversations/mallory/messages", map[string]string{"text": "hi"}, http.StatusNotFound},
		"unknown to action": {srv.URL + "/api/conversations/mallory/actions", map[string]string{"ref": "r", "value": "v"}, http.StatusNotFound},
	} {
		status, reply := post(t, tc.url, tc.body)
		require.Equal(t, tc.status, status, name)
		require.NotEmpty(t, reply["error"], name)
	}

	var reply map[string]string
	require.Equal(t, http.StatusNotFound, getJSON(t, srv.URL+"/api/conversations/mallory", &reply))
	require.Equal(t, http.StatusNotFound, getJSON(t, srv.URL+"/api/events?persona=mallory", &reply))
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	h := &recorder{}
	srv := serve(t, newAdapter(simulator.Options{}), h)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/conversations/alice/messages", strings.NewReader(`{"text":"hi"}`))
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Empty(t, h.Events())
}

// asHost sends a request to srv as a browser that reached it by the name
// host would, the Origin its own.
func asHost(t *testing.T, srv *httptest.Server, method, path, host, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Host = host
	req.Header.Set("Origin", "http://"+host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

// A page on another site that points its name at 127.0.0.1 (DNS rebinding)
// is same-origin with the simulator as far as the browser knows; its name
// is still in Host, so it reads and posts nothing.
func TestOnlyLoopbackHostsAreServed(t *testing.T) {
	h := &recorder{}
	srv := serve(t, newAdapter(simulator.Options{}), h)
	for _, host := range []string{"evil.example:8080", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.5:8080"} {
		require.Equal(t, http.StatusForbidden, asHost(t, srv, http.MethodPost, "/api/conversations/alice/messages", host, `{"text":"hi"}`), host)
		require.Equal(t, http.StatusForbidden, asHost(t, srv, http.MethodGet, "/api/conversations/alice", host, ""), host)
		require.Equal(t, http.StatusForbidden, asHost(t, srv, http.MethodGet, "/api/events", host, ""), host)
		require.Equal(t, http.StatusForbidden, asHost(t, srv, http.MethodGet, "/", host, ""), host)
	}
	require.Empty(t, h.Events())

	for _, host := range []string{"localhost:8080", "LocalHost", "localhost.", "127.0.0.1", "127.4.5.6:80", "[::1]:8080", "[::1]"} {
		require.Equal(t, http.StatusOK, asHost(t, srv, http.MethodGet, "/api/personas", host, ""), host)
	}
	require.Equal(t, http.StatusOK, asHost(t, srv, http.MethodPost, "/api/conversations/alice/messages", "localhost:8080", `{"text":"hi"}`))
	require.Len(t, h.Events(), 1)
}

func TestConfiguredHostsAreServed(t *testing.T) {
	srv := serve(t, newAdapter(simulator.Options{Hosts: []string{"demo.corp.example"}}), &recorder{})
	require.Equal(t, http.StatusOK, asHost(t, srv, http.MethodGet, "/api/personas", "demo.corp.example:8080", ""))
	require.Equal(t, http.StatusOK, asHost(t, srv, http.MethodGet, "/api/personas", "Demo.Corp.Example", ""))
	require.Equal(t, http.StatusOK, asHost(t, srv, http.MethodGet, "/api/personas", "localhost:8080", ""), "loopback stays")
	require.Equal(t, http.StatusForbidden, asHost(t, srv, http.MethodGet, "/api/personas", "evil.example", ""))
}

func TestConversations(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, &recorder{})
	_, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "for alice"})
	require.NoError(t, err)
	_, err = a.Send(ctx, bot.Message{To: dm("wei"), Text: "for wei"})
	require.NoError(t, err)
	_, err = a.Send(ctx, bot.Message{To: channel("zeta"), Text: "z"})
	require.NoError(t, err)
	_, err = a.Send(ctx, bot.Message{To: channel("alpha"), Text: "a"})
	require.NoError(t, err)

	var got struct {
		Persona       simulator.Persona `json:"persona"`
		Conversations []struct {
			ID       string  `json:"id"`
			Kind     string  `json:"kind"`
			Name     string  `json:"name"`
			Messages []entry `json:"messages"`
		} `json:"conversations"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, srv.URL+"/api/conversations/alice", &got))
	require.Equal(t, alice, got.Persona)
	require.Len(t, got.Conversations, 3)
	require.Equal(t, "dm:alice", got.Conversations[0].ID)
	require.Equal(t, "dm", got.Conversations[0].Kind)
	require.Len(t, got.Conversations[0].Messages, 1)
	require.Equal(t, "for alice", got.Conversations[0].Messages[0].Text)
	require.Equal(t, "channel:alpha", got.Conversations[1].ID, "channels by name")
	require.Equal(t, "channel", got.Conversations[1].Kind)
	require.Equal(t, "alpha", got.Conversations[1].Name)
	require.Equal(t, "channel:zeta", got.Conversations[2].ID)
}
