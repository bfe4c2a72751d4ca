package hook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// MaxToolBody is the largest webhook body a tool may send, in bytes: tools
// send whole objects (a pull request with its repository), far more than a
// signed event.
const MaxToolBody = 1 << 20

// deliveryTTL is how long a delivery's claim is kept: tools let an admin
// redeliver for days (GitHub: three), and that must not prompt again.
const deliveryTTL = 8 * 24 * time.Hour

// Unmatched keeps the events nobody could be prompted for.
// store.UnmatchedStore has this method.
type Unmatched interface {
	KeepUnmatched(ctx context.Context, e *store.UnmatchedEvent) (bool, error)
}

// ConnectorOptions configure Connectors. Every field but Rules is required.
type ConnectorOptions struct {
	Sources []Source
	// Rules map occurrences to kinds; nil takes DefaultRules.
	Rules     *Rules
	People    People
	Replay    Replay
	Unmatched Unmatched
	Prompter  Prompter
	Clock     func() time.Time
	Logger    *slog.Logger
}

// Connectors take the native webhooks of business tools, each at
// /hooks/<source>, and the approvals the chat platforms pass on (Take).
type Connectors struct {
	sources   map[string]Source
	rules     *Rules
	people    People
	replay    Replay
	unmatched Unmatched
	prompter  Prompter
	now       func() time.Time
	log       *slog.Logger
}

// NewConnectors returns Connectors for o, or an error naming what o lacks.
func NewConnectors(o ConnectorOptions) (*Connectors, error) {
	var errs []error
	for what, missing := range map[string]bool{
		"People": o.People == nil, "Replay": o.Replay == nil, "Unmatched": o.Unmatched == nil,
		"Prompter": o.Prompter == nil, "Clock": o.Clock == nil, "Logger": o.Logger == nil,
	} {
		if missing {
			errs = append(errs, fmt.Errorf("ConnectorOptions.%s is nil", what))
		}
	}
	c := &Connectors{sources: map[string]Source{}, rules: o.Rules, people: o.People, replay: o.Replay,
		unmatched: o.Unmatched, prompter: o.Prompter, now: o.Clock, log: o.Logger}
	for _, s := range o.Sources {
		if _, dup := c.sources[s.Name()]; dup {
			errs = append(errs, fmt.Errorf("source %q is given twice", s.Name()))
		}
		c.sources[s.Name()] = s
	}
	if c.rules == nil {
		c.rules = DefaultRules()
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("hook: %w", err)
	}
	return c, nil
}

// Rules are the rules c takes the tools' events by; their progress
// entries apply to the generic hook's events too.
func (c *Connectors) Rules() *Rules { return c.rules }

// ToolPath is where a tool's webhook is served.
func ToolPath(source string) string { return "/hooks/" + source }

// Mount serves each source's webhook on mux, with no method in the
// pattern, so that other methods get this package's JSON 405.
func (c *Connectors) Mount(mux *http.ServeMux) {
	for name, s := range c.sources {
		mux.Handle(ToolPath(name), c.handler(s))
	}
}

// handler serves one source's webhook: it reads the body (up to
// MaxToolBody), verifies it by the tool's scheme, decodes it and takes it.
func (c *Connectors) handler(s Source) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			c.refuse(w, r, s, problem{status: http.StatusMethodNotAllowed, msg: "only POST is allowed"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxToolBody))
		if _, big := errors.AsType[*http.MaxBytesError](err); big {
			c.refuse(w, r, s, problem{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the body is larger than %d bytes", MaxToolBody)})
			return
		}
		if err != nil {
			c.refuse(w, r, s, problem{status: http.StatusBadRequest, msg: "the body could not be read"})
			return
		}
		if err := s.Verify(r, body, c.now()); err != nil {
			p := problem{status: http.StatusUnauthorized, msg: "the request is not signed by " + s.Name()}
			if ae, ok := errors.AsType[*AuthError](err); ok {
				p.field, p.msg = ae.Header, ae.Reason
			}
			c.refuse(w, r, s, p)
			return
		}
		d, err := s.Decode(r.Header, body)
		if err != nil {
			c.refuse(w, r, s, problem{status: http.StatusBadRequest, msg: "the payload is not a " + s.Name() + " webhook perfbot can read"})
			return
		}
		if d.Ping {
			reply(w, http.StatusOK, map[string]string{"status": "pong"})
			return
		}
		if d.ID == "" {
			sum := sha256.Sum256(body)
			d.ID = "sha256-" + hex.EncodeToString(sum[:])
		}
		out, err := c.Take(r.Context(), s.Name(), d)
		if err != nil {
			c.log.ErrorContext(r.Context(), "hook: delivery failed", "source", s.Name(), "err", err)
			reply(w, http.StatusInternalServerError, map[string]string{"error": "perfbot could not take the event; try again later"})
			return
		}
		c.answer(w, out)
	})
}

// Outcome is what became of a delivery's occurrences.
type Outcome struct {
	Prompted int // managers prompted
	Ignored  int // no rule took them
	Replayed int // taken before
	// Unmatched are the identities to add for the occurrences kept
	// unmatched, as "platform:user_id" or the email.
	Unmatched []string
}

// answer replies out: a delivery made only of replays is 409, one with
// nothing of interest 200, any other 202.
func (c *Connectors) answer(w http.ResponseWriter, out Outcome) {
	taken := out.Prompted + len(out.Unmatched)
	switch {
	case taken == 0 && out.Replayed > 0:
		reply(w, http.StatusConflict, map[string]string{"error": "this delivery was already received"})
	case taken == 0:
		reply(w, http.StatusOK, map[string]string{"status": "ignored"})
	default:
		reply(w, http.StatusAccepted, struct {
			Status    string   `json:"status"`
			Prompted  int      `json:"prompted"`
			Unmatched []string `json:"unmatched,omitempty"`
		}{"accepted", out.Prompted, out.Unmatched})
	}
}

// Take hands each occurrence of d, from source, to the manager of the
// person it credits, once per delivery: an occurrence taken before is
// counted as replayed. One nobody in perfbot matches is kept unmatched.
// An error leaves the failed occurrence free to come again.
func (c *Connectors) Take(ctx context.Context, source string, d Delivery) (Outcome, error) {
	var out Outcome
	for _, o := range d.Events {
		rule, ok := c.rules.Match(source, o)
		if !ok {
			out.Ignored++
			continue
		}
		key := "hook:" + source + ":" + d.ID
		if o.Key != "" {
			key = "hook:" + source + ":" + o.Key
		}
		at := c.now()
		claimed, err := c.replay.ClaimKey(ctx, key, at, at.Add(deliveryTTL))
		if err != nil {
			return out, fmt.Errorf("claim %s: %w", key, err)
		}
		if !claimed {
			out.Replayed++
			continue
		}
		missing, err := c.deliver(ctx, source, key, rule, o)
		if err != nil {
			if rerr := c.replay.ReleaseKey(context.WithoutCancel(ctx), key); rerr != nil {
				c.log.WarnContext(ctx, "hook: release delivery", "source", source, "err", rerr)
			}
			return out, err
		}
		if missing != "" {
			out.Unmatched = append(out.Unmatched, missing)
		} else {
			out.Prompted++
		}
	}
	return out, nil
}

// deliver prompts the manager of the person o credits, or keeps o
// unmatched and returns the identity to add.
func (c *Connectors) deliver(ctx context.Context, source, key string, rule Rule, o Occurrence) (string, error) {
	title, link := cardTitle(o.Title), cardURL(o.URL)
	p, err := c.credit(ctx, o)
	switch {
	case errors.Is(err, store.ErrNotFound), err == nil && p.ManagerID == 0:
		u := store.UnmatchedEvent{Key: key, Source: source, Reason: store.UnmatchedUnknown, Kind: rule.Kind,
			Title: title, URL: link, KeyResult: rule.KeyResult, ReceivedAt: c.now()}
		if st, ok := c.rules.Step(source, rule.Kind); ok && rule.KeyResult == "" {
			u.KeyResult = st.Ref
		}
		if len(o.Accounts) > 0 {
			u.Account = o.Accounts[0]
		}
		if len(o.Emails) > 0 {
			u.Email = o.Emails[0]
		}
		if err == nil {
			u.Reason = store.UnmatchedNoManager
		}
		if _, err := c.unmatched.KeepUnmatched(ctx, &u); err != nil {
			return "", fmt.Errorf("keep unmatched: %w", err)
		}
		c.log.InfoContext(ctx, "hook: event kept unmatched", "source", source, "kind", rule.Kind, "reason", u.Reason)
		return missingIdentity(u), nil
	case err != nil:
		return "", fmt.Errorf("find person: %w", err)
	}
	ev := Event{PersonID: p.ID, Source: source, Kind: rule.Kind, Title: title, URL: link, Key: key}
	if rule.KeyResult != "" {
		ev.KeyResult = &KeyResultStep{Ref: rule.KeyResult, By: rule.Increment}
	} else if st, ok := c.rules.Step(source, rule.Kind); ok {
		ev.KeyResult = &st
	}
	if err := c.prompter.Prompt(ctx, ev); err != nil {
		return "", fmt.Errorf("prompt: %w", err)
	}
	c.log.InfoContext(ctx, "hook: event accepted", "source", source, "kind", ev.Kind, "person", ev.PersonID)
	return "", nil
}

// credit finds the person o credits: by tool account, best first, then by
// email. store.ErrNotFound when nobody matches.
func (c *Connectors) credit(ctx context.Context, o Occurrence) (bot.Person, error) {
	for _, id := range o.Accounts {
		p, err := c.people.PersonByIdentity(ctx, id)
		if !errors.Is(err, store.ErrNotFound) {
			return p, err
		}
	}
	for _, e := range o.Emails {
		p, err := c.people.PersonByEmail(ctx, e)
		if !errors.Is(err, store.ErrNotFound) {
			return p, err
		}
	}
	return bot.Person{}, fmt.Errorf("hook: nobody matches: %w", store.ErrNotFound)
}

// missingIdentity names what to add for u: the account, else the email.
func missingIdentity(u store.UnmatchedEvent) string {
	switch {
	case u.Reason == store.UnmatchedNoManager:
		return "manager of " + identityText(u)
	default:
		return identityText(u)
	}
}

func identityText(u store.UnmatchedEvent) string {
	switch {
	case u.Account.UserID != "" && u.Account.Tenant != "":
		return u.Account.String()
	case u.Account.UserID != "":
		return string(u.Account.Platform) + ":" + u.Account.UserID
	case u.Email != "":
		return u.Email
	default:
		return "(the tool named nobody)"
	}
}

// cardTitle is title fit for one line of a card: folded, defused, cut.
func cardTitle(title string) string {
	t := oneLine(title)
	if utf8.RuneCountInString(t) > maxTitle {
		t = string([]rune(t)[:maxTitle-1]) + "…"
	}
	return bot.Neutralize(t)
}

// cardURL is link when it is an absolute http(s) URL of reasonable size,
// otherwise nothing: a tool's link is shown, never trusted.
func cardURL(link string) string {
	u, err := url.Parse(link)
	if err != nil || len(link) > maxURL || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return link
}

// refuse answers p for source s, logging it at debug level.
func (c *Connectors) refuse(w http.ResponseWriter, r *http.Request, s Source, p problem) {
	c.log.DebugContext(r.Context(), "hook: refused", "source", s.Name(), "status", p.status, "field", p.field, "reason", p.msg)
	reply(w, p.status, struct {
		Error string `json:"error"`
		Field string `json:"field,omitempty"`
	}{p.msg, p.field})
}
