package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/dashboard"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// dashboardKeyName is the name the dashboard's signing key is kept under in
// the database: generated once, shared by every replica.
const dashboardKeyName = "dashboard"

// dashboardKey is the key that signs sign-in links and session cookies.
func dashboardKey(ctx context.Context, st store.Store) (seal.Key, error) {
	secret, err := st.SigningKey(ctx, dashboardKeyName, seal.NewSecret())
	if err != nil {
		return seal.Key{}, fmt.Errorf("dashboard key: %w", err)
	}
	k, err := seal.NewKey('d', secret)
	if err != nil {
		return seal.Key{}, fmt.Errorf("dashboard key kept in the database: %w", err)
	}
	return k, nil
}

// dashboardURL is the base of the links sent in chat: the configured one,
// or this server's address.
func dashboardURL(cfg config.Config) string {
	if cfg.Dashboard.URL != "" {
		return cfg.Dashboard.URL
	}
	return serverURL(cfg.HTTPAddr)
}

// serverURL is the plain-HTTP URL of a listening address, a wildcard host
// read as localhost.
func serverURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// dashboardLinks mints and redeems the sign-in links.
func dashboardLinks(ctx context.Context, st store.Store, cfg config.Config, clock func() time.Time) (*dashboard.Links, seal.Key, error) {
	key, err := dashboardKey(ctx, st)
	if err != nil {
		return nil, key, err
	}
	links, err := dashboard.NewLinks(key, dashboardURL(cfg), st, clock)
	return links, key, err
}

// listening points the links at the address the server got, unless a
// public URL is configured: with PERFBOT_HTTP_ADDR's port 0 only the
// listener knows it.
func (a *app) listening(addr string) {
	if a.cfg.Dashboard.URL == "" {
		a.links.SetBase(serverURL(addr))
	}
}

// mountDashboard serves the dashboard on mux.
func (a *app) mountDashboard(mux *http.ServeMux) error {
	h, err := dashboard.New(dashboard.Options{
		Store: a.store, Links: a.links, Key: a.linkKey, Texts: a.texts, Clock: a.env.clock,
		TimeZone: a.cfg.DefaultTimeZone, Logger: a.log, MinGroup: a.cfg.Dashboard.MinGroup,
		Rules:  teamThresholds,
		Secure: strings.HasPrefix(dashboardURL(a.cfg), "https://"),
	})
	if err != nil {
		return err
	}
	h.Mount(mux)
	a.dash = h
	return nil
}

// digestJob sends the weekly digest on Monday, from the start of each
// recipient's hours on a working day; it needs mountDashboard first.
func (a *app) digestJob() bot.Job {
	hours := scheduler.DefaultRules().NudgeHours
	return a.dash.DigestJob(dashboard.DigestOptions{
		Store: a.store, Sender: a.engine, Button: conversations.DashboardButton(),
		Due: func(p bot.Person, week string) time.Time {
			sp := scheduler.PersonOf(p, a.cfg.DefaultTimeZone)
			loc := sp.Loc
			if loc == nil {
				loc = time.UTC
			}
			monday, err := period.Start(week, loc)
			if err != nil {
				return a.env.clock().Add(time.Hour) // not a week: not due
			}
			return a.planner.KeepToHours(sp, hours, monday)
		},
	}, 5*time.Minute)
}

// teamThresholds are a team's review and escalation thresholds, as the
// scheduler applies them.
func teamThresholds(t store.TeamRules) (review, escalate time.Duration) {
	r, err := scheduler.RulesFor(t, scheduler.DefaultRules())
	if err != nil {
		r = scheduler.DefaultRules()
	}
	return r.ReviewAfter, r.EscalateAfter
}
