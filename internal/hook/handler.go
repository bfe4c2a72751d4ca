package hook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"time"

	"github.com/perfbot/perfbot/internal/eventkind"
)

// Path is where Mount serves events.
const Path = "/hooks/events"

// MaxBody is the largest request body taken, in bytes.
const MaxBody = 64 << 10

// Event is one business event, checked and resolved to a person who has a
// manager. Title is one line with broadcast mentions defused
// (bot.Neutralize); URL is empty or an absolute http(s) URL.
type Event struct {
	PersonID int64
	Source   string // the X-Perfbot-Source that signed it
	Kind     string
	Title    string
	URL      string
	// KeyResult is the key result the event moves, when a rule or its
	// sender says so.
	KeyResult *KeyResultStep
	// Key is the event's own key: its delivery, or the id its sender gave
	// it. What the event moves is keyed by it, so the event delivered
	// twice moves a key result once.
	Key string
}

// KeyResultStep moves a key result by By: the one with reference Ref, as
// a rule of the rules file says (key_result, increment), or the one with
// ID, as the sender of /hooks/events named it.
type KeyResultStep struct {
	Ref string
	ID  int64
	By  float64
}

// Prompter asks the manager of e.PersonID for praise or feedback on e. An
// error makes the request fail with 500 and frees its signature, so the
// sender may retry it: Prompt must not fail once the manager was prompted.
type Prompter interface {
	Prompt(ctx context.Context, e Event) error
}

// Replay remembers the signatures already taken. store.ClaimStore has
// these methods: in the database, every replica sees every claim, and a
// restart of Redis forgets none (a replay then would prompt a manager
// twice).
type Replay interface {
	// ClaimKey takes key from at until until, reporting false when it is
	// taken already.
	ClaimKey(ctx context.Context, key string, at, until time.Time) (bool, error)
	// ReleaseKey gives a claim up.
	ReleaseKey(ctx context.Context, key string) error
}

// Options configure a Handler. Every field but Kinds is required.
type Options struct {
	// Secrets are the signing secrets by source name.
	Secrets map[string]string
	// Kinds are the kinds of event taken; nil takes eventkind.Defaults.
	Kinds []string
	// Rules' progress entries move key results by kind; nil moves none
	// but those an event names itself.
	Rules    *Rules
	People   People
	Replay   Replay
	Prompter Prompter
	Clock    func() time.Time
	Logger   *slog.Logger
}

// Handler serves POST /hooks/events.
type Handler struct {
	secrets  map[string]string
	kinds    []string
	kindSet  map[string]bool
	rules    *Rules
	people   People
	replay   Replay
	prompter Prompter
	now      func() time.Time
	log      *slog.Logger
}

// New returns a Handler for o, or an error naming what o lacks.
func New(o Options) (*Handler, error) {
	var errs []error
	if len(o.Secrets) == 0 {
		errs = append(errs, errors.New("no source has a secret"))
	}
	for source, secret := range o.Secrets {
		if err := eventkind.CheckSource(source); err != nil {
			errs = append(errs, err)
		}
		if len(secret) < eventkind.MinSecret {
			// Never the secret itself.
			errs = append(errs, fmt.Errorf("the secret of source %q is shorter than %d characters", source, eventkind.MinSecret))
		}
	}
	kinds := o.Kinds
	if kinds == nil {
		kinds = eventkind.Defaults()
	}
	if len(kinds) == 0 {
		errs = append(errs, errors.New("no kinds of event are allowed"))
	}
	kindSet := make(map[string]bool, len(kinds))
	for _, k := range kinds {
		if err := eventkind.Check(k); err != nil {
			errs = append(errs, err)
		}
		kindSet[k] = true
	}
	for what, missing := range map[string]bool{
		"People": o.People == nil, "Replay": o.Replay == nil, "Prompter": o.Prompter == nil,
		"Clock": o.Clock == nil, "Logger": o.Logger == nil,
	} {
		if missing {
			errs = append(errs, fmt.Errorf("Options.%s is nil", what))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("hook: %w", err)
	}
	return &Handler{
		secrets:  maps.Clone(o.Secrets),
		kinds:    append([]string(nil), kinds...),
		kindSet:  kindSet,
		rules:    o.Rules,
		people:   o.People,
		replay:   o.Replay,
		prompter: o.Prompter,
		now:      o.Clock,
		log:      o.Logger,
	}, nil
}

// Mount serves the handler at Path on mux. The pattern has no method so that
// other methods get this package's JSON 405, not the mux's plain text.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle(Path, h)
}

// ServeHTTP takes one event: it authenticates the request, refuses replays,
// checks the body, finds the person and hands the event to the Prompter.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, problem{status: http.StatusMethodNotAllowed, msg: "only POST is allowed"})
		return
	}
	req, p := h.authenticate(w, r)
	if p != nil {
		h.refuse(w, r, *p)
		return
	}
	ctx := r.Context()
	key := "hook:" + req.source + ":" + req.signature
	at := h.now()
	ok, err := h.replay.ClaimKey(ctx, key, at, at.Add(replayTTL))
	if err != nil {
		h.fail(w, r, fmt.Errorf("claim signature: %w", err))
		return
	}
	if !ok {
		h.refuse(w, r, problem{status: http.StatusConflict, field: HeaderSignature,
			msg: "this request was already received: sign each request anew, with its own timestamp"})
		return
	}
	// A request that was not acted on may come again: only a taken event
	// keeps its claim.
	taken := false
	defer func() {
		if !taken {
			if err := h.replay.ReleaseKey(context.WithoutCancel(ctx), key); err != nil {
				h.log.WarnContext(ctx, "hook: release signature", "source", req.source, "err", err)
			}
		}
	}()

	e, p := h.event(req)
	if p != nil {
		h.refuse(w, r, *p)
		return
	}
	id, p, err := h.resolve(ctx, e.person)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p != nil {
		h.refuse(w, r, *p)
		return
	}
	ev := Event{PersonID: id, Source: req.source, Kind: e.kind, Title: e.title, URL: e.url, Key: key}
	if e.id != "" {
		ev.Key = "hook:" + req.source + ":id:" + e.id
	}
	switch {
	case e.keyResult != 0:
		ev.KeyResult = &KeyResultStep{ID: e.keyResult, By: e.increment}
	default:
		if st, ok := h.rules.Step(req.source, e.kind); ok {
			ev.KeyResult = &st
		}
	}
	if err := h.prompter.Prompt(ctx, ev); err != nil {
		h.fail(w, r, fmt.Errorf("prompt: %w", err))
		return
	}
	taken = true
	h.log.InfoContext(ctx, "hook: event accepted", "source", ev.Source, "kind", ev.Kind, "person", ev.PersonID)
	reply(w, http.StatusAccepted, map[string]string{"status": "accepted"})
}
