// Package platformtest runs fake WeCom, DingTalk and Slack servers on
// 127.0.0.1 for tests and benchmarks of broadcasts. Each records who
// received every message and enforces its platform's rate limits, answering
// the way the platform does when one is exceeded. It is imported only by
// tests.
package platformtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Options configure a fake server.
type Options struct {
	// Now is the clock the limits are enforced on: time.Now unless set. A
	// Scaled clock lets per-minute limits be benchmarked in seconds.
	Now func() time.Time
	// Delay is how long each send call takes to answer, in real time,
	// after its recipients are recorded.
	Delay time.Duration
	// OnSend, when set, is called after each accepted send call's
	// recipients are recorded and before the call is answered, on the
	// call's goroutine: a test can hold a call there.
	OnSend func(*Received)
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Received is what a fake server delivered. It is safe for concurrent use.
type Received struct {
	mu      sync.Mutex
	counts  map[string]int
	total   int
	limited int
}

func newReceived() *Received { return &Received{counts: map[string]int{}} }

func (r *Received) add(users []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range users {
		r.counts[u]++
		r.total++
	}
}

func (r *Received) refuse() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limited++
}

// Counts is how many messages each user received.
func (r *Received) Counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.counts))
	for u, n := range r.counts {
		out[u] = n
	}
	return out
}

// Distinct is how many users received at least one message.
func (r *Received) Distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.counts)
}

// Total is how many messages were delivered, duplicates included.
func (r *Received) Total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// Limited is how many calls were refused for going over a rate limit.
func (r *Received) Limited() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.limited
}

// server is what the three fakes share: an HTTP server, the recipients and
// the options.
type server struct {
	srv *httptest.Server
	o   Options
	rec *Received
}

func newServer(o Options, mux *http.ServeMux) *server {
	return &server{srv: httptest.NewServer(mux), o: o, rec: newReceived()}
}

// URL is the server's base URL.
func (s *server) URL() string { return s.srv.URL }

// Close shuts the server down.
func (s *server) Close() { s.srv.Close() }

// Received is what the server delivered.
func (s *server) Received() *Received { return s.rec }

// deliver records users, then lets OnSend and Delay hold the call.
func (s *server) deliver(ctx context.Context, users []string) {
	s.rec.add(users)
	if s.o.OnSend != nil {
		s.o.OnSend(s.rec)
	}
	if s.o.Delay > 0 {
		t := time.NewTimer(s.o.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
