package simulator_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/bottest"
)

var (
	alice = simulator.Persona{ID: "alice", Name: "Alice Chen", Title: "Manager · Platform team", Locale: bot.LocaleEN, TimeZone: "Europe/London"}
	wei   = simulator.Persona{ID: "wei", Name: "张伟", Title: "Engineer · Platform team", Locale: bot.LocaleZH, TimeZone: "Asia/Shanghai"}
	now   = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
)

func dm(userID string) bot.Address {
	return bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: userID}}
}

func channel(name string) bot.Address {
	return bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant}, Channel: name}
}

func newAdapter(opts simulator.Options) *simulator.Adapter {
	if opts.Personas == nil {
		opts.Personas = func(context.Context) ([]simulator.Persona, error) {
			return []simulator.Persona{alice, wei}, nil
		}
	}
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return now }
	}
	return simulator.New(opts)
}

// recorder is the Handler the simulator's tests deliver to.
type recorder = bottest.Recorder

// serve mounts a on a test server delivering to h.
func serve(t *testing.T, a *simulator.Adapter, h bot.Handler) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	a.Mount(mux, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// post sends body as JSON and returns the status and decoded reply.
func post(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	switch b := body.(type) {
	case nil:
	case string:
		buf.WriteString(b)
	default:
		require.NoError(t, json.NewEncoder(&buf).Encode(b))
	}
	res, err := http.Post(url, "application/json", &buf)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, "application/json; charset=utf-8", res.Header.Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	return res.StatusCode, out
}

// getJSON fetches url into v and returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	require.NoError(t, json.NewDecoder(res.Body).Decode(v))
	return res.StatusCode
}

// sse is one Server-Sent Event.
type sse struct {
	Name string
	Data string
}

// stream opens the event stream at url and returns its events as they come.
// The stream is closed when the test ends.
func stream(t *testing.T, url string) <-chan sse {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/event-stream; charset=utf-8", res.Header.Get("Content-Type"))

	out := make(chan sse, 16)
	go func() {
		defer close(out)
		defer res.Body.Close()
		readEvents(res.Body, out)
	}()
	return out
}

func readEvents(r io.Reader, out chan<- sse) {
	var ev sse
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Data != "" {
				out <- ev
			}
			ev = sse{}
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.Data = strings.TrimPrefix(line, "data: ")
		case strings.HasPrefix(line, ":"):
			out <- sse{Name: "comment", Data: line}
		}
	}
}

// next waits a bounded time for the stream's next event.
func next(t *testing.T, events <-chan sse) sse {
	t.Helper()
	select {
	case ev, ok := <-events:
		require.True(t, ok, "stream ended")
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
		return sse{}
	}
}

// entry is an entry as the API sends it.
type entry struct {
	Ref          bot.MessageRef `json:"ref"`
	Conversation string         `json:"conversation"`
	Kind         string         `json:"kind"`
	From         string         `json:"from"`
	Title        string         `json:"title"`
	Text         string         `json:"text"`
	Fields       []struct {
		Label string `json:"label"`
		Value string `json:"value"`
	} `json:"fields"`
	Buttons []struct {
		Label string `json:"label"`
		Value string `json:"value"`
		Style string `json:"style"`
	} `json:"buttons"`
	Failed bool `json:"failed"`
	Form   *struct {
		Submit string `json:"submit"`
		Fields []struct {
			Key       string `json:"key"`
			Label     string `json:"label"`
			Hint      string `json:"hint"`
			Value     string `json:"value"`
			Multiline bool   `json:"multiline"`
			Optional  bool   `json:"optional"`
			MaxLength int    `json:"max_length"`
			Choices   []struct {
				Label string `json:"label"`
				Value string `json:"value"`
			} `json:"choices"`
		} `json:"fields"`
		Submitted bool              `json:"submitted"`
		Values    map[string]string `json:"values"`
	} `json:"form"`
	At      time.Time `json:"at"`
	Seq     uint64    `json:"seq"`
	Version uint64    `json:"version"`
}

func decodeEntry(t *testing.T, ev sse) entry {
	t.Helper()
	var e entry
	require.NoError(t, json.Unmarshal([]byte(ev.Data), &e), ev.Data)
	return e
}
