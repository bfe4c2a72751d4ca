package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/config"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

const (
	// defaultMaxAge is how long an event may wait in the inbox before
	// doctor calls it stuck: a healthy runtime takes an event at once and
	// retries a failing one within about a minute (bot.Backoff).
	defaultMaxAge = 5 * time.Minute
	// checkTimeout bounds each check, so an unanswering service is a
	// finding, not a hang.
	checkTimeout = 5 * time.Second
	// recentFailures is the window in which failed events are a warning.
	recentFailures = 24 * time.Hour
)

// level is how a finding of doctor stands.
type level string

const (
	levelOK   level = "ok"
	levelWarn level = "warn"
	levelFail level = "FAIL"
	levelSkip level = "--"
)

// finding is one line of doctor's report.
type finding struct {
	level level
	what  string
	text  string
}

func (f finding) String() string { return fmt.Sprintf("%-5s %s: %s", f.level, f.what, f.text) }

// doctor runs `perfbot doctor`: it checks what perfbot depends on and how
// its inbox is doing, a line each, and fails when something is wrong. It
// changes nothing (it does not migrate) and prints no secret: URLs have
// their passwords hidden and credentials are named, never shown.
func doctor(ctx context.Context, env environment, args []string) error {
	maxAge := defaultMaxAge
	if _, err := flags("doctor", args, func(fs *flag.FlagSet) {
		fs.DurationVar(&maxAge, "max-age", defaultMaxAge, "longest an event may wait in the inbox, or a message in the outbox")
	}); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	failed, total := 0, 0
	report := func(f finding) {
		fmt.Fprintln(env.stdout, f)
		total++
		if f.level == levelFail {
			failed++
		}
	}
	st, db := checkDatabase(ctx, cfg, env.clock)
	if st != nil {
		defer st.Close()
	}
	report(db)
	report(checkRedis(ctx, cfg))
	switch {
	case db.level == levelOK:
		report(checkQueue(ctx, inboxQueue, st.InboxStats, env.clock(), maxAge))
		report(checkFailedEvents(ctx, st, env.clock()))
		report(checkQueue(ctx, outboxQueue, st.OutboxStats, env.clock(), maxAge))
	default:
		why := "not checked: the database is not reachable"
		if st != nil {
			why = "not checked: the database schema is not this perfbot's"
		}
		report(finding{levelSkip, "inbox", why})
		report(finding{levelSkip, "failed events", why})
		report(finding{levelSkip, "outbox", why})
	}
	report(checkPlatforms(env.getenv))
	cal, more := checkCalendar(cfg, env.clock())
	report(cal)
	for _, f := range more {
		// The same finding in the other language: not a check of its own.
		fmt.Fprintln(env.stdout, f)
	}
	if failed > 0 {
		return fmt.Errorf("%s of %d failed", plural(failed, "check"), total)
	}
	return nil
}

// checkDatabase opens the database and compares its schema with this
// build's migrations. The store is nil when the database is not reachable.
func checkDatabase(ctx context.Context, cfg config.Config, clock func() time.Time) (*sqlstore.Store, finding) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	if err := databaseMissing(cfg); err != nil {
		// Opening would create it: doctor changes nothing.
		return nil, finding{levelFail, "database", fmt.Sprintf("no database at %s: perfbot migrate creates it", sqliteFile(cfg.DatabaseURL))}
	}
	// Open's errors name the URL with its password hidden.
	st, err := sqlstore.Open(ctx, cfg.DatabaseURL, clock)
	if err != nil {
		return nil, finding{levelFail, "database", oneLine(err).Error()}
	}
	where := cfg.Redacted().DatabaseURL
	current, latest, err := st.SchemaVersion(ctx)
	switch {
	case err != nil:
		return st, finding{levelFail, "database", fmt.Sprintf("reachable at %s, but its schema version cannot be read: %v", where, err)}
	case current < latest:
		return st, finding{levelFail, "database", fmt.Sprintf("reachable at %s, but at schema version %d of %d: run perfbot migrate", where, current, latest)}
	case current > latest:
		return st, finding{levelFail, "database", fmt.Sprintf("reachable at %s, but at schema version %d, newer than this perfbot's %d: run the newer perfbot", where, current, latest)}
	}
	return st, finding{levelOK, "database", fmt.Sprintf("reachable at %s, schema version %d (up to date)", where, current)}
}

func checkRedis(ctx context.Context, cfg config.Config) finding {
	if cfg.RedisURL == "" {
		return finding{levelOK, "redis", "not configured: dialog state is kept in-process (one replica only)"}
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	// Open's errors name the URL with its password hidden.
	rs, err := redisdialog.Open(ctx, cfg.RedisURL)
	if err != nil {
		return finding{levelFail, "redis", oneLine(err).Error()}
	}
	_ = rs.Close()
	return finding{levelOK, "redis", "reachable at " + cfg.Redacted().RedisURL}
}

// inboxStats is what doctor reads of the inbox.
type inboxStats interface {
	InboxStats(ctx context.Context) (depth int, oldest time.Time, err error)
	FailedEvents(ctx context.Context, since time.Time) (int, error)
}

// queue names a durable queue doctor looks at, and what to suspect when
// its oldest entry waits too long.
type queue struct{ name, entry, suspect string }

var (
	inboxQueue  = queue{"inbox", "event", "is perfbot serve running, and are its events failing?"}
	outboxQueue = queue{"outbox", "message", "is perfbot serve running, and is a platform refusing its messages?"}
)

// checkQueue fails when an entry of q has waited longer than maxAge:
// nothing is taking them, or they keep failing.
func checkQueue(ctx context.Context, q queue, stats queueStats, now time.Time, maxAge time.Duration) finding {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	depth, oldest, err := stats(ctx)
	if err != nil {
		return finding{levelFail, q.name, err.Error()}
	}
	if depth == 0 {
		return finding{levelOK, q.name, "no " + q.entry + " waiting"}
	}
	age := max(now.Sub(oldest), 0).Round(time.Second)
	text := fmt.Sprintf("%s waiting, the oldest for %s", plural(depth, q.entry), age)
	if age > maxAge {
		return finding{levelFail, q.name, fmt.Sprintf("%s, more than %s: %s", text, maxAge, q.suspect)}
	}
	return finding{levelOK, q.name, text}
}

// checkFailedEvents warns of events given up recently: someone should
// look at why.
func checkFailedEvents(ctx context.Context, in inboxStats, now time.Time) finding {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	all, err := in.FailedEvents(ctx, time.Time{})
	if err != nil {
		return finding{levelFail, "failed events", err.Error()}
	}
	recent, err := in.FailedEvents(ctx, now.Add(-recentFailures))
	if err != nil {
		return finding{levelFail, "failed events", err.Error()}
	}
	switch {
	case all == 0:
		return finding{levelOK, "failed events", "none"}
	case recent == 0:
		return finding{levelOK, "failed events", fmt.Sprintf("%d in all, none in the last 24 hours", all)}
	}
	return finding{levelWarn, "failed events", fmt.Sprintf("%d in the last 24 hours, %d in all; the inbox table keeps each one's reason (status 'failed')", recent, all)}
}

// checkPlatforms names the chat platforms whose credentials are set, as
// perfbot serve would start them, and fails on a configuration it would
// refuse.
func checkPlatforms(getenv func(string) string) finding {
	loads := []struct {
		name string
		load func(func(string) string) (bool, error)
	}{
		{"slack", func(g func(string) string) (bool, error) { _, ok, err := slack.LoadConfig(g); return ok, err }},
		{"wecom", func(g func(string) string) (bool, error) { _, ok, err := wecom.LoadConfig(g); return ok, err }},
		{"dingtalk", func(g func(string) string) (bool, error) { _, ok, err := dingtalk.LoadConfig(g); return ok, err }},
	}
	var (
		names []string
		errs  []error
	)
	for _, l := range loads {
		ok, err := l.load(getenv)
		switch {
		case err != nil:
			// The errors name variables, never their values.
			errs = append(errs, fmt.Errorf("%s: %w", l.name, err))
		case ok:
			names = append(names, l.name)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return finding{levelFail, "platforms", oneLine(err).Error()}
	}
	if len(names) == 0 {
		return finding{levelWarn, "platforms", "none configured: perfbot serve would take no chat events (see SLACK_*, WECOM_*, DINGTALK_*)"}
	}
	return finding{levelOK, "platforms", strings.Join(names, ", ")}
}

// checkCalendar loads the working-day calendars as perfbot serve would
// and names the years each region has. A provisional year from now on is a
// warning, with the note in each of perfbot's languages: the first is the
// finding, the others follow it.
func checkCalendar(cfg config.Config, now time.Time) (finding, []finding) {
	cal, err := calendar.Load(cfg.CalendarFile)
	if err != nil {
		return finding{levelFail, "calendar", fmt.Sprintf("PERFBOT_CALENDAR: %v: perfbot serve would not start", err)}, nil
	}
	texts, err := i18n.Load(cfg.DefaultLocale)
	if err != nil {
		return finding{levelFail, "calendar", err.Error()}, nil
	}
	var (
		have  []string
		notes []finding
	)
	for _, region := range cal.Regions() {
		var years []string
		for _, y := range cal.Years(region) {
			if !cal.Provisional(region, y) {
				years = append(years, strconv.Itoa(y))
				continue
			}
			years = append(years, fmt.Sprintf("%d provisional", y))
			if y < now.Year() {
				continue
			}
			for _, loc := range i18n.Locales() {
				what := "calendar"
				if len(notes) > 0 || loc != bot.LocaleEN {
					what = "calendar (" + loc + ")"
				}
				notes = append(notes, finding{levelWarn, what, texts.For(loc).T("calendar.provisional", "Region", region, "Year", y)})
			}
		}
		have = append(have, region+" "+strings.Join(years, ", "))
	}
	text := strings.Join(have, "; ") + "; other regions: weekends only"
	if len(notes) == 0 {
		return finding{levelOK, "calendar", text}, nil
	}
	notes[0].text = text + ". " + notes[0].text
	return notes[0], notes[1:]
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "person" {
		return fmt.Sprintf("%d people", n)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
