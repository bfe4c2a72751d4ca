package simulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/perfbot/perfbot/bot"
)

// maxBody is the largest request body the API reads.
const maxBody = 64 << 10

// Mount registers the page and its API on mux, delivering what people do to
// h. The routes are listed in the package documentation.
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	s := &server{a: a, h: h, last: make(map[string]bot.Event)}
	// The simulator listens on localhost with no login, so any web page the
	// user visits could otherwise post as one of the personas.
	csrf := http.NewCrossOriginProtection()
	post := func(fn http.HandlerFunc) http.Handler { return s.local(csrf.Handler(fn)) }
	get := func(h http.Handler) http.Handler { return s.local(h) }

	mux.Handle("GET /{$}", get(pageHandler()))
	mux.Handle("GET /api/personas", get(http.HandlerFunc(s.personas)))
	mux.Handle("GET /api/conversations/{persona}", get(http.HandlerFunc(s.conversations)))
	mux.Handle("POST /api/conversations/{persona}/messages", post(s.message))
	mux.Handle("POST /api/conversations/{persona}/actions", post(s.action))
	mux.Handle("POST /api/conversations/{persona}/forms", post(s.submitForm))
	mux.Handle("POST /api/conversations/{persona}/voice", post(s.voice))
	mux.Handle("POST /api/conversations/{persona}/resend", post(s.resend))
	mux.Handle("GET /api/events", get(http.HandlerFunc(s.events)))
}

// local serves only requests whose Host is a loopback name or one of
// Options.Hosts. A page elsewhere can point its own name at 127.0.0.1 (DNS
// rebinding): the browser then takes it for the simulator's origin, and
// the Origin check passes, but Host still carries that name.
func (s *server) local(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := hostName(r.Host)
		if !isLoopback(name) && !slices.Contains(s.a.hosts, name) {
			s.fail(w, r, http.StatusForbidden, fmt.Errorf("host %q is not served: open the simulator on localhost or 127.0.0.1, or configure the name", r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostName is host without its port, brackets and trailing dot, in lower
// case: "[::1]:8080" is "::1", "LocalHost." is "localhost".
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// isLoopback reports whether name, from hostName, is localhost or an
// address in 127.0.0.0/8 or ::1.
func isLoopback(name string) bool {
	if name == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.IsLoopback()
}

// server answers the API of one Mount.
type server struct {
	a *Adapter
	h bot.Handler

	mu   sync.Mutex
	last map[string]bot.Event // by persona id: their latest event, for resend
}

func (s *server) personas(w http.ResponseWriter, r *http.Request) {
	ps, err := s.a.personas(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("list personas: %w", err))
		return
	}
	if ps == nil {
		ps = []Persona{}
	}
	s.reply(w, r, http.StatusOK, ps)
}

func (s *server) conversations(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	dm := conversationByID(dmID(p.ID))
	out := conversationsJSON{
		Persona:       p,
		Conversations: []conversationJSON{conversationToJSON(dm, s.a.board.entries(dm.ID))},
	}
	// Every channel, as a member of every team would see them: who belongs
	// where is perfbot's business, not the simulator's.
	for _, c := range s.a.board.channels() {
		out.Conversations = append(out.Conversations, conversationToJSON(c, s.a.board.entries(c.ID)))
	}
	s.reply(w, r, http.StatusOK, out)
}

// message is a persona typing text to perfbot.
func (s *server) message(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	var req messageRequest
	if !s.decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		s.fail(w, r, http.StatusBadRequest, errors.New("text is empty"))
		return
	}
	now := s.a.clock()
	// The person's own words go in the transcript first, so perfbot's reply,
	// sent while Handle runs, lands below them.
	own := s.a.board.add(conversationByID(dmID(p.ID)), Entry{
		Ref: newRef(), Kind: EntryMessage, From: p.ID, Text: req.Text, At: now,
	})
	s.deliver(w, r, own.Ref, bot.Event{
		ID:   newEventID(),
		From: p.Identity(),
		Kind: bot.KindMessage,
		Text: req.Text,
		At:   now,
	})
}

// action is a persona clicking a button on one of perfbot's messages.
func (s *server) action(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	var req actionRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Ref == "" {
		s.fail(w, r, http.StatusBadRequest, errors.New("ref is empty"))
		return
	}
	target, ok := s.a.board.lookup(req.Ref)
	// A persona can click in their own conversation and in channels; someone
	// else's direct messages are as unknown to them as a ref that never was.
	if !ok || !(isDMOf(target.Conversation, p.ID) || isChannelID(target.Conversation)) {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("no message %q", req.Ref))
		return
	}
	// The button may be gone already (perfbot replaced the message while the
	// page still showed it). The click is delivered anyway, as a platform
	// would, so perfbot's handling of stale clicks is exercised too.
	label := req.Value
	for _, b := range target.Buttons {
		if b.Value == req.Value {
			label = b.Label
			break
		}
	}
	now := s.a.clock()
	choice := s.a.board.add(conversationByID(target.Conversation), Entry{
		Ref: newRef(), Kind: EntryChoice, From: p.ID, Text: "› " + label, At: now,
	})
	s.deliver(w, r, choice.Ref, bot.Event{
		ID:     newEventID(),
		From:   p.Identity(),
		Kind:   bot.KindAction,
		Action: req.Value,
		Ref:    req.Ref,
		Group:  isChannelID(target.Conversation),
		At:     now,
	})
}

// resend delivers a persona's last event again with the same id, as a
// platform retrying a delivery does: perfbot should notice and do nothing.
func (s *server) resend(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	s.mu.Lock()
	ev, ok := s.last[p.ID]
	s.mu.Unlock()
	if !ok {
		s.fail(w, r, http.StatusNotFound, fmt.Errorf("%s has sent nothing to resend", p.ID))
		return
	}
	note := s.a.board.add(conversationByID(dmID(p.ID)), Entry{
		Ref:  newRef(),
		Kind: EntryNote,
		From: p.ID,
		Text: fmt.Sprintf("↻ Event %s delivered again (same id) · 重复投递", ev.ID),
		At:   s.a.clock(),
	})
	s.deliver(w, r, note.Ref, ev)
}

// deliver hands ev to the Handler and answers the request. The entry ref
// records the event in the transcript and is marked failed if Handle fails.
func (s *server) deliver(w http.ResponseWriter, r *http.Request, ref bot.MessageRef, ev bot.Event) {
	s.mu.Lock()
	s.last[ev.From.UserID] = ev
	s.mu.Unlock()

	if err := s.h.Handle(r.Context(), ev); err != nil {
		s.a.board.update(ref, func(e *Entry) { e.Failed = true })
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("handle event %s: %w", ev.ID, err))
		return
	}
	s.reply(w, r, http.StatusOK, deliveredJSON{EventID: ev.ID})
}

// persona finds the persona id, or answers 404.
func (s *server) persona(w http.ResponseWriter, r *http.Request, id string) (Persona, bool) {
	ps, err := s.a.personas(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("list personas: %w", err))
		return Persona{}, false
	}
	for _, p := range ps {
		if p.ID == id {
			return p, true
		}
	}
	s.fail(w, r, http.StatusNotFound, fmt.Errorf("no persona %q", id))
	return Persona{}, false
}

// decode reads a JSON body of at most maxBody bytes into v, or answers 413
// or 400.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if tooBig, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("body is over %d bytes", tooBig.Limit))
			return false
		}
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("read body: %w", err))
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("bad JSON: %w", err))
		return false
	}
	return true
}

func (s *server) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.a.log.DebugContext(r.Context(), "simulator: write reply", "path", r.URL.Path, "err", err)
	}
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	level := slog.LevelInfo
	if status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	s.a.log.Log(r.Context(), level, "simulator: request failed",
		"method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	msg := err.Error()
	if status >= http.StatusInternalServerError {
		// What went wrong inside (a database, a platform) stays in the log.
		msg = http.StatusText(status) + ": see perfbot's log"
	}
	s.reply(w, r, status, errorJSON{Error: msg})
}

// newEventID returns an event id that is unique across restarts too, so a
// dialog store that outlives the process never mistakes a new event for a
// duplicate of an old one.
func newEventID() string { return "ev-" + rand.Text() }

func newRef() bot.MessageRef { return bot.MessageRef("msg-" + rand.Text()) }
