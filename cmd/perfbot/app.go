package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/dashboard"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/voice"
	"github.com/perfbot/perfbot/scheduler"
)

// app is perfbot assembled from its configuration.
type app struct {
	env      environment
	cfg      config.Config
	log      *slog.Logger
	store    store.Store
	dialog   dialog.Store
	texts    *i18n.Catalog
	engine   *engine.Engine
	registry *prometheus.Registry
	// planner plans with the working-day calendar (PERFBOT_CALENDAR).
	planner *scheduler.Planner
	// links are the dashboard's sign-in links, signed with linkKey.
	links   *dashboard.Links
	linkKey seal.Key
	dash    *dashboard.Handler // once serving
}

// loadConfig reads the configuration; a bad value stops start-up naming it.
func loadConfig(env environment) (config.Config, error) {
	cfg, err := config.Load(env.getenv, env.getenv("PERFBOT_CONFIG"))
	if err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// newApp opens the database (migrating it) and the dialog state, and builds
// the engine. Close it when done.
func newApp(ctx context.Context, env environment, cfg config.Config, use appUse) (*app, error) {
	log := use.logger(env, cfg)
	if !use.create {
		if err := databaseMissing(cfg); err != nil {
			return nil, err
		}
	}
	a := &app{env: env, cfg: cfg, log: log, registry: prometheus.NewRegistry()}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Open's errors name the dependency and its URL, password hidden: they
	// are the one line perfbot stops with.
	st, err := sqlstore.Open(ctx, cfg.DatabaseURL, env.clock)
	if err != nil {
		return nil, oneLine(err)
	}
	a.store = st
	if err := st.Migrate(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	if cfg.RedisURL == "" {
		a.dialog = memory.New(env.clock)
	} else {
		// Through a variable of its own: a nil *Store in a.dialog would be
		// a non-nil dialog.Store that Close calls.
		rs, err := redisdialog.Open(ctx, cfg.RedisURL)
		if err != nil {
			a.Close()
			return nil, oneLine(err)
		}
		a.dialog = rs
	}
	if a.texts, err = i18n.Load(cfg.DefaultLocale); err != nil {
		a.Close()
		return nil, err
	}
	voiceCfg, err := voice.LoadConfig(env.getenv)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("configuration: %w", err)
	}
	if use.localVoice && voiceCfg.ASRURL == "" && voiceCfg.ASRCommand == "" {
		if voiceCfg.ASRCommand = findRecognizer(env.getenv); voiceCfg.ASRCommand != "" {
			log.Info("voice notes: transcribing with the recogniser installed here", "command", voiceCfg.ASRCommand)
		}
	}
	cal, err := calendar.Load(cfg.CalendarFile)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("working-day calendar (PERFBOT_CALENDAR): %w", err)
	}
	a.planner = scheduler.NewPlanner(cal)
	logProvisional(ctx, log, cal, a.texts, use.service)
	buttons, err := buttonRing(ctx, a.store, cfg, env.clock)
	if err != nil {
		a.Close()
		return nil, err
	}
	if a.links, a.linkKey, err = dashboardLinks(ctx, a.store, cfg, env.clock); err != nil {
		a.Close()
		return nil, err
	}
	hours := scheduler.DefaultRules().NudgeHours
	kudos := feedbackConfig(cfg.Kudos)
	a.engine = engine.New(engine.Options{
		Store: a.store, Dialog: a.dialog, Texts: a.texts, Clock: env.clock, Logger: log,
		Registerer: a.registry, TimeZone: cfg.DefaultTimeZone, Voice: newTranscriber(voiceCfg, log), VoiceRetention: voiceCfg.Retention,
		Feedback: &kudos, Buttons: buttons, Links: a.links,
		NudgeTime: func(p bot.Person, t time.Time) time.Time {
			return a.planner.KeepToHours(scheduler.PersonOf(p, cfg.DefaultTimeZone), hours, t)
		},
	})
	log.Info("perfbot started", "config", cfg)
	return a, nil
}

// logProvisional logs each provisional year of the calendar, in both of
// perfbot's languages: a warning in serve's and demo's log, where the
// operator looks; the administration commands, whose log is their
// warnings on stderr, leave it to schedule preview, which says it where the
// dates are shown.
func logProvisional(ctx context.Context, log *slog.Logger, cal *calendar.Calendar, texts *i18n.Catalog, service bool) {
	level := slog.LevelInfo
	if service {
		level = slog.LevelWarn
	}
	for _, region := range cal.Regions() {
		for _, y := range cal.Years(region) {
			if !cal.Provisional(region, y) {
				continue
			}
			src, _ := cal.Source(region, y)
			note := func(locale string) string {
				return texts.For(locale).T("calendar.provisional", "Region", region, "Year", y)
			}
			log.Log(ctx, level, "working-day calendar: a provisional year, planned on until its notice is loaded",
				"region", region, "year", y, "source", src, "en", note(bot.LocaleEN), "zh-CN", note(bot.LocaleZH))
		}
	}
}

// feedbackConfig is the praise flow's defaults with what k configures.
func feedbackConfig(k config.Kudos) conversations.FeedbackConfig {
	fb := conversations.DefaultFeedbackConfig()
	if k.Allowance != nil {
		fb.Allowance = *k.Allowance
	}
	if k.DailyCap != nil {
		fb.DailyCap = *k.DailyCap
	}
	if k.Values != nil {
		fb.Values = k.Values
	}
	if k.Feed != nil {
		fb.Feed = *k.Feed
	}
	return fb
}

// Close releases the database and the dialog state.
func (a *app) Close() error {
	var errs []error
	if a.dialog != nil {
		errs = append(errs, a.dialog.Close())
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	return errors.Join(errs...)
}

// oneLineError is an error whose text is one line. pgx puts each address
// it tried on a line of its own, often the same twice (with TLS, then
// without): a person stopped at start wants one line.
type oneLineError struct{ err error }

func oneLine(err error) error { return oneLineError{err} }

func (e oneLineError) Unwrap() error { return e.err }

func (e oneLineError) Error() string {
	var b strings.Builder
	var seen []string
	for line := range strings.Lines(e.err.Error()) {
		line = strings.TrimSpace(line)
		if line == "" || slices.Contains(seen, line) {
			continue
		}
		switch {
		case len(seen) == 0:
		case strings.HasSuffix(seen[len(seen)-1], ":"):
			b.WriteString(" ")
		default:
			b.WriteString("; ")
		}
		seen = append(seen, line)
		b.WriteString(line)
	}
	return b.String()
}

// withApp runs an administration command's fn with an app built from the
// environment's configuration.
func withApp(ctx context.Context, env environment, fn func(*app) error) error {
	return withAppFor(ctx, env, adminUse, fn)
}

// withAppFor runs fn with an app built for the use.
func withAppFor(ctx context.Context, env environment, use appUse, fn func(*app) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, env, cfg, use)
	if err != nil {
		return err
	}
	defer a.Close()
	if !use.service {
		// On stderr: stdout may be an export.
		fmt.Fprintf(env.stderr, "perfbot: database %s\n", where(cfg))
	}
	return fn(a)
}
