// Package platformtest runs fake WeCom, DingTalk and Slack servers on
// 127.0.0.1 for tests, benchmarks of broadcasts and the load generator
// (internal/loadgen). Each records who received every message (and, asked
// to, what it showed) and enforces its platform's rate limits, answering
// the way the platform does when one is exceeded. Only tests and the load
// generator import it.
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
	// Keep, when set, keeps every message delivered: to whom, what it
	// showed and when, for Messages and Duplicates. Off, a fake keeps only
	// counts, so a broadcast to many costs little memory.
	Keep bool
	// TotalOnly, when set, keeps not even each recipient's count: only
	// Total and Limited are kept (Keep is ignored), and Counts and
	// Distinct are empty. A benchmark sampling the heap of a broadcast to
	// 100,000 then measures the sender, not the fake's map of who got what.
	TotalOnly bool
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Received is what a fake server delivered. It is safe for concurrent use.
type Received struct {
	mu        sync.Mutex
	keep      bool
	totalOnly bool
	counts    map[string]int
	total     int
	limited   int
	messages  []Message
}

// Message is one message a fake delivered to one recipient, kept when
// Options.Keep is set.
type Message struct {
	To string
	// Shown is what the recipient reads: the text, or a card's titles,
	// without what differs between two sends of the same message (a
	// card's task id, its sealed button values).
	Shown string
	At    time.Time
	// Continues marks the second half of one message in two: a WeCom card
	// after the text that did not fit it. Shown then begins with that text.
	Continues bool
}

func newReceived(o Options) *Received {
	return &Received{counts: map[string]int{}, keep: o.Keep, totalOnly: o.TotalOnly}
}

func (r *Received) add(users []string, shown string, continues bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.totalOnly {
		r.total += len(users)
		return
	}
	for _, u := range users {
		r.counts[u]++
		r.total++
		if r.keep {
			r.messages = append(r.messages, Message{To: u, Shown: shown, At: now, Continues: continues})
		}
	}
}

// Messages is every message delivered, in order, when Options.Keep is set.
func (r *Received) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.messages...)
}

// Duplicates counts the messages delivered again to the same recipient
// showing the same thing: a message sent twice. It needs Options.Keep.
func (r *Received) Duplicates() int { return len(r.Repeated()) }

// Repeated is the messages Duplicates counts, each as delivered again.
func (r *Received) Repeated() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := make(map[[2]string]bool, len(r.messages))
	var again []Message
	for _, m := range r.messages {
		k := [2]string{m.To, m.Shown}
		if seen[k] {
			again = append(again, m)
		}
		seen[k] = true
	}
	return again
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
	return &server{srv: httptest.NewServer(mux), o: o, rec: newReceived(o)}
}

// URL is the server's base URL.
func (s *server) URL() string { return s.srv.URL }

// Close shuts the server down.
func (s *server) Close() { s.srv.Close() }

// Received is what the server delivered.
func (s *server) Received() *Received { return s.rec }

// deliver records users and what they were shown, then lets OnSend and
// Delay hold the call.
func (s *server) deliver(ctx context.Context, users []string, shown string) {
	s.deliverPart(ctx, users, shown, false)
}

// deliverPart is deliver, of the second part of a message when continues.
func (s *server) deliverPart(ctx context.Context, users []string, shown string, continues bool) {
	s.rec.add(users, shown, continues)
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
