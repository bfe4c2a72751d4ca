package hook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/dialogtest"
	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/hook"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

const (
	source = "jira"
	secret = "s3cr3t-0123456789abcdef"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// backend is a database for the people and the replay claims.
type backend struct {
	name string
	db   func(t testing.TB) string
}

func backends() []backend {
	return []backend{
		{"sqlite", func(testing.TB) string { return "sqlite::memory:" }},
		{"postgres", testdb.Postgres},
	}
}

// recorder is a Prompter that keeps what it was given, failing while fail
// is set. The events' keys are kept apart (keyed), so that the tests of
// what an event says need not spell out the delivery's key.
type recorder struct {
	mu     sync.Mutex
	events []hook.Event
	keys   []string
	fail   error
}

func (r *recorder) keyed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.keys...)
}

func (r *recorder) Prompt(_ context.Context, e hook.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.keys = append(r.keys, e.Key)
	e.Key = ""
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) taken() []hook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hook.Event(nil), r.events...)
}

func (r *recorder) failWith(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

// people are the fixture's people by name.
type people map[string]bot.Person

// fixture is a running handler over real stores.
type fixture struct {
	url      string
	prompter *recorder
	people   people
	log      *bytes.Buffer
	store    *sqlstore.Store
	clock    *dialogtest.Clock
	progress *hook.Rules
}

// rules serves the fixture anew with rules' progress entries.
func (f *fixture) rules(t *testing.T, rules *hook.Rules) {
	t.Helper()
	f.progress = rules
	f.url = f.serve(t)
}

func newFixture(t *testing.T, b backend) *fixture {
	t.Helper()
	clock := dialogtest.NewClock(now)
	st, err := sqlstore.Open(t.Context(), b.db(t), clock.Now)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(t.Context()))

	f := &fixture{prompter: &recorder{}, people: seed(t, st), log: &bytes.Buffer{}, store: st, clock: clock}
	f.url = f.serve(t)
	return f
}

// serve starts another handler (a replica) over the fixture's stores.
func (f *fixture) serve(t *testing.T) string {
	t.Helper()
	h, err := hook.New(hook.Options{
		Secrets:  map[string]string{source: secret, "gitlab": "another-secret-0123456789"},
		Rules:    f.progress,
		People:   f.store,
		Replay:   f.store,
		Prompter: f.prompter,
		Clock:    f.clock.Now,
		Logger:   slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + hook.Path
}

// seed adds Mia, who manages Ada and Bo and has no manager herself, and Cy,
// who shares Bo's Slack user id in another workspace.
func seed(t *testing.T, st *sqlstore.Store) people {
	t.Helper()
	add := func(p bot.Person) bot.Person {
		p.Locale, p.TimeZone, p.Roles = "en", "UTC", []bot.Role{bot.RoleEmployee}
		require.NoError(t, st.SavePerson(t.Context(), &p))
		return p
	}
	mia := add(bot.Person{Name: "Mia", Email: "mia@example.com"})
	return people{
		"mia": mia,
		"ada": add(bot.Person{Name: "Ada", Email: "Ada@Example.com", ManagerID: mia.ID, Identities: []bot.Identity{
			{Platform: bot.Slack, Tenant: "T01", UserID: "U123"},
			{Platform: bot.WeCom, Tenant: "corpA", UserID: "zhangsan"},
			{Platform: bot.DingTalk, Tenant: "corp1", UserID: "0123"},
		}}),
		"bo": add(bot.Person{Name: "Bo", Email: "bo@example.com", ManagerID: mia.ID, Identities: []bot.Identity{
			{Platform: bot.Slack, Tenant: "T01", UserID: "U999"},
		}}),
		"cy": add(bot.Person{Name: "Cy", Email: "cy@example.com", ManagerID: mia.ID, Identities: []bot.Identity{
			{Platform: bot.Slack, Tenant: "T02", UserID: "U999"},
		}}),
	}
}

// request is one request to send; zero fields take valid values.
type request struct {
	method    string
	body      string
	source    string
	secret    string
	at        time.Time // when it was signed
	signature string    // overrides the computed one
	omit      string    // a header to leave out
}

type response struct {
	Status  int
	Error   string   `json:"error"`
	Field   string   `json:"field"`
	Allowed []string `json:"allowed"`
	State   string   `json:"status"`
}

func (f *fixture) send(t *testing.T, r request) response {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.source == "" {
		r.source = source
	}
	if r.secret == "" {
		r.secret = secret
	}
	if r.at.IsZero() {
		r.at = f.clock.Now()
	}
	if r.signature == "" {
		r.signature = hook.Sign(r.secret, r.at.Unix(), []byte(r.body))
	}
	req, err := http.NewRequestWithContext(t.Context(), r.method, f.url, strings.NewReader(r.body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range map[string]string{
		hook.HeaderSource:    r.source,
		hook.HeaderTimestamp: strconv.FormatInt(r.at.Unix(), 10),
		hook.HeaderSignature: r.signature,
	} {
		if k != r.omit {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "body: %s", raw)
	var out response
	require.NoError(t, json.Unmarshal(raw, &out), "every answer is JSON: %s", raw)
	out.Status = resp.StatusCode
	return out
}

// body is an event body for person and kind with a title unique to the
// test, so no two requests share a signature by accident.
func body(t *testing.T, person, kind string) string {
	b, err := json.Marshal(map[string]string{"person": person, "kind": kind, "title": "Won " + t.Name(), "url": "https://crm.example.com/deals/42"})
	require.NoError(t, err)
	return string(b)
}

func TestAccepted(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, b)
			tests := []struct {
				person string
				want   string
			}{
				{"ada@example.com", "ada"},
				{"  ADA@example.COM ", "ada"},
				{"slack:U123", "ada"},
				{"slack:T01:U123", "ada"},
				{"wecom:zhangsan", "ada"},
				{"dingtalk:0123", "ada"},
				{"dingtalk:corp1:0123", "ada"},
				{"slack:T02:U999", "cy"},
				{"bo@example.com", "bo"},
			}
			for i, tt := range tests {
				t.Run(tt.person, func(t *testing.T) {
					got := f.send(t, request{body: body(t, tt.person, "deal_won")})
					require.Equal(t, response{Status: http.StatusAccepted, State: "accepted"}, got)
					events := f.prompter.taken()
					require.Len(t, events, i+1)
					require.Equal(t, hook.Event{
						PersonID: f.people[tt.want].ID, Source: source, Kind: "deal_won",
						Title: "Won " + t.Name(), URL: "https://crm.example.com/deals/42",
					}, events[i])
				})
			}
			require.NotContains(t, f.log.String(), secret)
		})
	}
}

func TestRefused(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, b)
			valid := func(t *testing.T) string { return body(t, "ada@example.com", "deal_won") }
			tests := []struct {
				name   string
				req    func(t *testing.T) request
				status int
				field  string
				error  string // in the error message
			}{
				{"wrong method", func(t *testing.T) request { return request{method: http.MethodGet} },
					http.StatusMethodNotAllowed, "", "only POST"},
				{"no source", func(t *testing.T) request { return request{body: valid(t), omit: hook.HeaderSource} },
					http.StatusUnauthorized, hook.HeaderSource, "header is missing"},
				{"unknown source", func(t *testing.T) request { return request{body: valid(t), source: "crm"} },
					http.StatusUnauthorized, hook.HeaderSource, "unknown source"},
				{"another source's secret", func(t *testing.T) request {
					return request{body: valid(t), source: "gitlab", secret: secret}
				}, http.StatusUnauthorized, hook.HeaderSignature, "does not match"},
				{"bad signature", func(t *testing.T) request { return request{body: valid(t), secret: "not-the-secret-at-all"} },
					http.StatusUnauthorized, hook.HeaderSignature, "does not match"},
				{"signature of another body", func(t *testing.T) request {
					return request{body: valid(t), signature: hook.Sign(secret, now.Unix(), []byte(valid(t)+" "))}
				}, http.StatusUnauthorized, hook.HeaderSignature, "does not match"},
				{"signature not hex", func(t *testing.T) request { return request{body: valid(t), signature: "sha256=zz"} },
					http.StatusUnauthorized, hook.HeaderSignature, "sha256="},
				{"signature without prefix", func(t *testing.T) request {
					return request{body: valid(t), signature: strings.TrimPrefix(hook.Sign(secret, now.Unix(), []byte(valid(t))), "sha256=")}
				}, http.StatusUnauthorized, hook.HeaderSignature, "sha256="},
				{"no timestamp", func(t *testing.T) request { return request{body: valid(t), omit: hook.HeaderTimestamp} },
					http.StatusUnauthorized, hook.HeaderTimestamp, "unix seconds"},
				{"stale timestamp", func(t *testing.T) request { return request{body: valid(t), at: now.Add(-5*time.Minute - time.Second)} },
					http.StatusUnauthorized, hook.HeaderTimestamp, "more than 5 minutes"},
				{"future timestamp", func(t *testing.T) request { return request{body: valid(t), at: now.Add(5*time.Minute + time.Second)} },
					http.StatusUnauthorized, hook.HeaderTimestamp, "more than 5 minutes"},
				{"body too large", func(t *testing.T) request {
					return request{body: `{"title":"` + strings.Repeat("x", hook.MaxBody) + `"}`}
				}, http.StatusRequestEntityTooLarge, "", "larger than 65536 bytes"},
				{"not JSON", func(t *testing.T) request { return request{body: "person=ada"} },
					http.StatusBadRequest, "", "JSON object"},
				{"JSON array", func(t *testing.T) request { return request{body: "[]"} },
					http.StatusBadRequest, "", "JSON object"},
				{"unknown field", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","titel":"ACME"}`}
				}, http.StatusUnprocessableEntity, "titel", "unknown field"},
				{"number title", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","title":42}`}
				}, http.StatusUnprocessableEntity, "title", "must be a string"},
				{"no person", func(t *testing.T) request { return request{body: body(t, "", "deal_won")} },
					http.StatusUnprocessableEntity, "person", "is required"},
				{"unknown person", func(t *testing.T) request { return request{body: body(t, "nobody@example.com", "deal_won")} },
					http.StatusUnprocessableEntity, "person", `no person in perfbot matches "nobody@example.com"`},
				{"unknown slack user", func(t *testing.T) request { return request{body: body(t, "slack:U000", "deal_won")} },
					http.StatusUnprocessableEntity, "person", `no person in perfbot matches "slack:U000"`},
				{"unknown tenant", func(t *testing.T) request { return request{body: body(t, "slack:T09:U123", "deal_won")} },
					http.StatusUnprocessableEntity, "person", `no person in perfbot matches`},
				{"user id in two tenants", func(t *testing.T) request { return request{body: body(t, "slack:U999", "deal_won")} },
					http.StatusUnprocessableEntity, "person", "several tenants"},
				{"unknown platform", func(t *testing.T) request { return request{body: body(t, "teams:U123", "deal_won")} },
					http.StatusUnprocessableEntity, "person", "neither an email nor a platform id"},
				{"empty user id", func(t *testing.T) request { return request{body: body(t, "slack:", "deal_won")} },
					http.StatusUnprocessableEntity, "person", "neither an email nor a platform id"},
				{"person without a manager", func(t *testing.T) request { return request{body: body(t, "mia@example.com", "deal_won")} },
					http.StatusUnprocessableEntity, "person", "has no manager"},
				{"unknown kind", func(t *testing.T) request { return request{body: body(t, "ada@example.com", "deal_lost")} },
					http.StatusUnprocessableEntity, "kind", `unknown kind "deal_lost" (allowed: deal_won, ticket_resolved,`},
				{"no kind", func(t *testing.T) request { return request{body: `{"person":"ada@example.com","title":"ACME"}`} },
					http.StatusUnprocessableEntity, "kind", "unknown kind"},
				{"no title", func(t *testing.T) request { return request{body: `{"person":"ada@example.com","kind":"deal_won"}`} },
					http.StatusUnprocessableEntity, "title", "is required"},
				{"blank title", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","title":" \n\t "}`}
				}, http.StatusUnprocessableEntity, "title", "is required"},
				{"title too long", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","title":"` + strings.Repeat("长", 501) + `"}`}
				}, http.StatusUnprocessableEntity, "title", "longer than 500"},
				{"relative url", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","title":"ACME","url":"/deals/42"}`}
				}, http.StatusUnprocessableEntity, "url", "absolute http"},
				{"javascript url", func(t *testing.T) request {
					return request{body: `{"person":"ada@example.com","kind":"deal_won","title":"ACME","url":"javascript:alert(1)"}`}
				}, http.StatusUnprocessableEntity, "url", "absolute http"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got := f.send(t, tt.req(t))
					require.Equal(t, tt.status, got.Status, "error: %s", got.Error)
					require.Equal(t, tt.field, got.Field)
					require.Contains(t, got.Error, tt.error)
				})
			}
			require.Empty(t, f.prompter.taken(), "nothing refused reaches the prompter")
			require.NotContains(t, f.log.String(), secret)
		})
	}
}

func TestUnknownKindListsAllowed(t *testing.T) {
	f := newFixture(t, backends()[0])
	got := f.send(t, request{body: body(t, "ada@example.com", "deal_lost")})
	require.Equal(t, http.StatusUnprocessableEntity, got.Status)
	require.Equal(t, eventkind.Defaults(), got.Allowed)
}

// A replayed request is refused on every replica sharing the claims, also
// with its signature spelt in upper case, until its timestamp is stale.
func TestReplay(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, b)
			replica := f.serve(t)
			req := request{body: body(t, "ada@example.com", "ticket_resolved")}
			require.Equal(t, http.StatusAccepted, f.send(t, req).Status)

			again := f.send(t, req)
			require.Equal(t, http.StatusConflict, again.Status)
			require.Equal(t, hook.HeaderSignature, again.Field)
			require.Contains(t, again.Error, "already received")

			upper := req
			upper.signature = "sha256=" + strings.ToUpper(strings.TrimPrefix(hook.Sign(secret, now.Unix(), []byte(req.body)), "sha256="))
			require.Equal(t, http.StatusConflict, f.send(t, upper).Status)

			f.url = replica
			require.Equal(t, http.StatusConflict, f.send(t, req).Status, "another replica refuses it too")

			// Signed anew, the same event is taken.
			f.clock.Advance(time.Second)
			require.Equal(t, http.StatusAccepted, f.send(t, request{body: req.body}).Status)
			require.Len(t, f.prompter.taken(), 2)
		})
	}
}

// A request that was not acted on keeps no claim, so the sender's retry of
// the very same request is taken.
func TestRetryAfterFailure(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, b)
			req := request{body: body(t, "ada@example.com", "incident_resolved")}

			f.prompter.failWith(errors.New("engine down"))
			got := f.send(t, req)
			require.Equal(t, http.StatusInternalServerError, got.Status)
			require.Contains(t, got.Error, "try again")
			require.Contains(t, f.log.String(), "engine down")

			f.prompter.failWith(nil)
			require.Equal(t, http.StatusAccepted, f.send(t, req).Status)
			require.Len(t, f.prompter.taken(), 1)
		})
	}
}

// Titles are one line and cannot ping a whole channel.
func TestTitleIsCleaned(t *testing.T) {
	f := newFixture(t, backends()[0])
	got := f.send(t, request{body: `{"person":"ada@example.com","kind":"customer_praise","title":"  Thanks @all\r\nfrom\tACME  "}`})
	require.Equal(t, http.StatusAccepted, got.Status)
	events := f.prompter.taken()
	require.Len(t, events, 1)
	require.Equal(t, "Thanks @\u2060all from ACME", events[0].Title)
	require.Empty(t, events[0].URL)
}

func TestNew(t *testing.T) {
	clock := dialogtest.NewClock(now)
	valid := func() hook.Options {
		return hook.Options{
			Secrets: map[string]string{source: secret}, People: &sqlstore.Store{}, Replay: &sqlstore.Store{},
			Prompter: &recorder{}, Clock: clock.Now, Logger: slog.New(slog.DiscardHandler),
		}
	}
	_, err := hook.New(valid())
	require.NoError(t, err)

	tests := []struct {
		name   string
		change func(o *hook.Options)
		want   string
	}{
		{"no secrets", func(o *hook.Options) { o.Secrets = nil }, "no source has a secret"},
		{"short secret", func(o *hook.Options) { o.Secrets = map[string]string{"crm": "short-one"} }, `the secret of source "crm" is shorter than 16`},
		{"bad source", func(o *hook.Options) { o.Secrets = map[string]string{"CRM": secret} }, `source "CRM" must be`},
		{"bad kind", func(o *hook.Options) { o.Kinds = []string{"deal won"} }, `kind "deal won" must be`},
		{"no kinds", func(o *hook.Options) { o.Kinds = []string{} }, "no kinds"},
		{"no prompter", func(o *hook.Options) { o.Prompter = nil }, "Options.Prompter is nil"},
		{"no clock", func(o *hook.Options) { o.Clock = nil }, "Options.Clock is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid()
			tt.change(&o)
			_, err := hook.New(o)
			require.ErrorContains(t, err, tt.want)
			require.NotContains(t, err.Error(), "short-one")
		})
	}
}

// A configured kind list replaces the default one.
func TestConfiguredKinds(t *testing.T) {
	clock := dialogtest.NewClock(now)
	st, err := sqlstore.Open(t.Context(), "sqlite::memory:", clock.Now)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	seed(t, st)
	p := &recorder{}
	h, err := hook.New(hook.Options{
		Secrets: map[string]string{source: secret}, Kinds: []string{"okr_closed"}, People: st,
		Replay: st, Prompter: p, Clock: clock.Now, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	f := &fixture{prompter: p, clock: clock}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	f.url = srv.URL

	require.Equal(t, http.StatusAccepted, f.send(t, request{body: body(t, "ada@example.com", "okr_closed")}).Status)
	got := f.send(t, request{body: body(t, "ada@example.com", "deal_won")})
	require.Equal(t, http.StatusUnprocessableEntity, got.Status)
	require.Equal(t, []string{"okr_closed"}, got.Allowed)
}
