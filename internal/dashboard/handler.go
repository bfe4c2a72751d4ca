package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

// The dashboard's paths.
const (
	BasePath  = "/dashboard/"
	LoginPath = "/dashboard/login"
)

// DefaultMinGroup is the smallest group whose mood (and other sensitive
// aggregates) is shown.
const DefaultMinGroup = 5

// DefaultWeeks is how many weeks the views cover.
const DefaultWeeks = 8

//go:embed templates
var files embed.FS

// Store is what the dashboard reads: the insight queries as the viewer,
// and who the viewer is.
type Store interface {
	store.InsightStore
	// ProgressReader reads what the goal warnings look at besides goals.
	okr.ProgressReader
	Objectives(ctx context.Context, v store.Viewer, f store.ObjectiveFilter) ([]store.Objective, error)
	Person(ctx context.Context, id int64) (bot.Person, error)
	PeopleByID(ctx context.Context, ids []int64) ([]bot.Person, error)
	Teams(ctx context.Context) ([]store.Team, error)
}

// Options configure a Handler.
type Options struct {
	Store Store
	Links *Links
	// Key seals the session cookies; the Links' key will do.
	Key   seal.Key
	Texts *i18n.Catalog
	Clock func() time.Time
	// TimeZone is used for people who have none.
	TimeZone *time.Location
	Logger   *slog.Logger
	// MinGroup is the smallest group whose mood is shown (DefaultMinGroup
	// when 0).
	MinGroup int
	// Weeks is how many weeks the views cover (DefaultWeeks when 0).
	Weeks int
	// Rules gives a team's review and escalation thresholds
	// (scheduler.RulesFor); nil is 24 h and 48 h.
	Rules func(store.TeamRules) (review, escalate time.Duration)
	// Secure marks the session cookie for HTTPS only even when a request
	// came in plain (perfbot behind a proxy that ends TLS).
	Secure bool
}

// Handler serves the dashboard.
type Handler struct {
	store    Store
	links    *Links
	sessions sessions
	texts    *i18n.Catalog
	now      func() time.Time
	tz       *time.Location
	log      *slog.Logger
	minGroup int
	weeks    int
	rules    func(store.TeamRules) (time.Duration, time.Duration)
	// warnBase are the goal warning rules of teams that change none (the
	// scheduler's), checks each rule's check and ruleOrder its place, by id.
	warnBase  []okr.WarnRule
	checks    map[string]string
	ruleOrder map[string]int
	secure    bool
	charts    *template.Template
	pages     *template.Template
	views     []view
}

// view is one section of the dashboard and how it is built.
type view struct {
	id    string
	build func(ctx context.Context, s *scope) (Section, error)
}

// New returns the dashboard's handler.
func New(o Options) (*Handler, error) {
	if o.Store == nil || o.Links == nil || o.Texts == nil {
		return nil, errors.New("dashboard: Store, Links and Texts are required")
	}
	ss, err := newSessions(o.Key, o.Clock)
	if err != nil {
		return nil, err
	}
	charts, err := template.ParseFS(files, "templates/charts.tmpl")
	if err != nil {
		return nil, fmt.Errorf("dashboard: charts: %w", err)
	}
	pages, err := template.ParseFS(files, "templates/page.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: pages: %w", err)
	}
	h := &Handler{
		store: o.Store, links: o.Links, sessions: ss, texts: o.Texts, now: o.Clock, tz: o.TimeZone, log: o.Logger,
		minGroup: o.MinGroup, weeks: o.Weeks, rules: o.Rules, secure: o.Secure, charts: charts, pages: pages,
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.tz == nil {
		h.tz = time.UTC
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.minGroup <= 0 {
		h.minGroup = DefaultMinGroup
	}
	if h.weeks <= 0 {
		h.weeks = DefaultWeeks
	}
	if h.rules == nil {
		h.rules = func(store.TeamRules) (time.Duration, time.Duration) { return 24 * time.Hour, 48 * time.Hour }
	}
	// As in the scheduler: rules that do not parse (okr's tests check the
	// embedded ones) are no goal warnings rather than no dashboard.
	if h.warnBase, err = okr.DefaultWarnRules(); err != nil {
		h.log.Error("goal warning rules", "err", err)
	}
	h.checks, h.ruleOrder = map[string]string{}, map[string]int{}
	for i, r := range h.warnBase {
		h.checks[r.ID], h.ruleOrder[r.ID] = r.Check, i
	}
	h.views = []view{
		{"participation", h.participation},
		{"feedback", h.feedback},
		{"warnings", h.warnings},
		{"goals", h.goalsView},
		{"kudos", h.kudos},
		{"broadcasts", h.broadcasts},
		{"mood", h.mood},
	}
	return h, nil
}

// Mount adds the dashboard's routes to mux. Its POSTs refuse cross-origin
// requests; its GETs change nothing.
func (h *Handler) Mount(mux *http.ServeMux) {
	inner := http.NewServeMux()
	inner.HandleFunc("GET "+LoginPath, h.loginPage)
	inner.HandleFunc("POST "+LoginPath, h.login)
	inner.HandleFunc("POST "+BasePath+"logout", h.logout)
	inner.HandleFunc("GET "+BasePath+"{$}", h.overview)
	inner.HandleFunc("GET "+BasePath+"export/{file}", h.export)
	inner.HandleFunc("GET "+BasePath+"style.css", h.style)
	protect := http.NewCrossOriginProtection()
	mux.Handle(BasePath, headers(protect.Handler(inner)))
	mux.Handle("/dashboard", http.RedirectHandler(BasePath, http.StatusMovedPermanently))
}

// headers sets what every dashboard response carries: nothing may be
// loaded from elsewhere or framed, no page is cached, and no address
// (a sign-in link's token) is sent on as a referrer.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// secureReq says the session cookie must be Secure for r.
func (h *Handler) secureReq(r *http.Request) bool { return h.secure || r.TLS != nil }

// scopeFor is the signed-in viewer of r, or errNoSession.
func (h *Handler) scopeFor(ctx context.Context, r *http.Request) (*scope, error) {
	id, err := h.sessions.person(r)
	if err != nil {
		return nil, err
	}
	p, err := h.store.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSession // removed since signing in
	}
	if err != nil {
		return nil, err
	}
	return h.scopeOf(ctx, p)
}

// scopeOf is what p's pages cover, now.
func (h *Handler) scopeOf(ctx context.Context, p bot.Person) (*scope, error) {
	s := &scope{me: p, v: store.Viewer(p.ID), hr: p.Has(bot.RoleHR), t: h.texts.For(p.Locale), now: h.now(), loc: h.tz}
	s.loc = h.location(p)
	if !s.hr {
		ids, err := h.insightPeople(ctx, s)
		if err != nil {
			return nil, err
		}
		s.own = len(ids) <= 1
	}
	teams, err := h.store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	s.teams = make(map[int64]store.Team, len(teams))
	for _, t := range teams {
		s.teams[t.ID] = t
	}
	s.weeks, s.from = weeksUpTo(s.now, s.loc, h.weeks)
	return s, nil
}

// fail answers a request that went wrong, telling the person plainly and
// the log why.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "dashboard", "path", r.URL.Path, "err", err)
	http.Error(w, "Something went wrong; please try again. / 出了点问题，请重试。", http.StatusInternalServerError)
}
