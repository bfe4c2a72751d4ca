package simulator

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

func TestEventsHeartbeat(t *testing.T) {
	a := New(Options{})
	a.heartbeat = 10 * time.Millisecond
	mux := http.NewServeMux()
	a.Mount(mux, bot.HandlerFunc(nil))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/events", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-t.Context().Done():
				return
			}
		}
	}()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case line := <-lines:
			if line == ": ping" {
				return
			}
		case <-deadline:
			t.Fatal("no heartbeat within 5s")
		}
	}
}

func TestSlowStreamIsCutOffNotWaitedFor(t *testing.T) {
	b := newBoard(10)
	sub := b.subscribe(func(string) bool { return true })
	for i := range subscriptionBuffer + 1 {
		b.add(Conversation{ID: "dm:alice", Kind: ConversationDM, Name: "alice"}, Entry{Ref: bot.MessageRef(strconv.Itoa(i)), Text: "x"})
	}
	n := 0
	for range sub.c {
		n++
	}
	require.Equal(t, subscriptionBuffer, n, "what fitted was delivered, then the stream ended")
	b.unsubscribe(sub) // and ending it again is harmless
}
