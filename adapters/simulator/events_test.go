package simulator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

func TestEventsStreamNewAndUpdatedMessages(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, &recorder{})
	events := stream(t, srv.URL+"/api/events?persona=alice")

	// Someone else's conversation is not alice's to see.
	_, err := a.Send(ctx, bot.Message{To: dm("wei"), Text: "for wei"})
	require.NoError(t, err)

	ref, err := a.Send(ctx, bot.Message{To: dm("alice"), Title: "Check-in", Text: "Ready?",
		Buttons: []bot.Button{{Label: "Start", Value: "start", Style: bot.StylePrimary}}})
	require.NoError(t, err)
	ev := next(t, events)
	require.Equal(t, "new", ev.Name)
	got := decodeEntry(t, ev)
	require.Equal(t, ref, got.Ref)
	require.Equal(t, "dm:alice", got.Conversation)
	require.Equal(t, "Check-in", got.Title)
	require.Equal(t, "Ready?", got.Text)
	require.Equal(t, "primary", got.Buttons[0].Style)
	require.Equal(t, now, got.At)

	_, err = a.Send(ctx, bot.Message{To: channel("platform-team"), Text: "summary"})
	require.NoError(t, err)
	team := decodeEntry(t, next(t, events))
	require.Equal(t, "channel:platform-team", team.Conversation)

	require.NoError(t, a.Update(ctx, ref, bot.Message{Text: "Started ✓"}))
	ev = next(t, events)
	require.Equal(t, "update", ev.Name)
	updated := decodeEntry(t, ev)
	require.Equal(t, ref, updated.Ref)
	require.Equal(t, got.Seq, updated.Seq, "same place")
	require.Greater(t, updated.Version, got.Version, "newer")
	require.Equal(t, "Started ✓", updated.Text)
	require.Empty(t, updated.Buttons)
}

func TestEventsWithoutPersonaStreamEverything(t *testing.T) {
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, &recorder{})
	events := stream(t, srv.URL+"/api/events")

	for _, who := range []string{"wei", "alice"} {
		_, err := a.Send(t.Context(), bot.Message{To: dm(who), Text: "hi " + who})
		require.NoError(t, err)
		require.Equal(t, "dm:"+who, decodeEntry(t, next(t, events)).Conversation)
	}
}

func TestEventsEndWithTheRequest(t *testing.T) {
	a := newAdapter(simulator.Options{})
	mux := http.NewServeMux()
	a.Mount(mux, &recorder{})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/events", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()

	cancel()
	// With the client gone the handler returns, so closing the server, which
	// waits for it, finishes.
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("event stream outlived its request")
	}
}
