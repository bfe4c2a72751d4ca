package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Directory is where the Runner finds teams and their members.
type Directory interface {
	Teams(ctx context.Context) ([]store.Team, error)
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
}

// Opener opens a person's round for a period and prompts them, only if it
// is not open yet, and reports whether it did (the engine's OpenNew).
type Opener interface {
	OpenNew(ctx context.Context, personID int64, period string) (bool, error)
}

// CatchUp is how far back a Runner looks for prompts that fell due: a
// restart within it still sends them, and an older one is let go rather
// than prompting for a week that has passed.
const CatchUp = 24 * time.Hour

// Runner sends each team's prompts when they fall due, in every member's
// own time zone and working calendar, with nobody running a command.
type Runner struct {
	planner *Planner
	dir     Directory
	open    Opener
	now     func() time.Time
	tz      *time.Location
	log     *slog.Logger
}

// NewRunner returns a Runner. tz is for people without a time zone.
func NewRunner(p *Planner, dir Directory, open Opener, now func() time.Time, tz *time.Location, log *slog.Logger) *Runner {
	return &Runner{planner: p, dir: dir, open: open, now: now, tz: tz, log: log}
}

// PromptDue opens and prompts every round whose prompt fell due in the last
// CatchUp and is not open yet, and says how many it opened.
func (r *Runner) PromptDue(ctx context.Context) (int, error) {
	teams, err := r.dir.Teams(ctx)
	if err != nil {
		return 0, fmt.Errorf("scheduler: teams: %w", err)
	}
	now := r.now()
	opened := 0
	for _, t := range teams {
		team, err := NewTeam(t)
		if errors.Is(err, ErrNoCadence) {
			continue
		}
		if err != nil {
			r.log.WarnContext(ctx, "team cadence", "team", t.Name, "err", err)
			continue
		}
		people, err := r.dir.People(ctx, store.PeopleFilter{TeamID: t.ID})
		if err != nil {
			return opened, fmt.Errorf("scheduler: people of %s: %w", t.Name, err)
		}
		for _, p := range people {
			who := r.person(p)
			at := r.planner.NextPrompt(who, team, now.Add(-CatchUp))
			if at.IsZero() || at.After(now) {
				continue
			}
			ok, err := r.open.OpenNew(ctx, p.ID, period.Of(at, who.Loc))
			if err != nil {
				// One person's failure must not hold up the team.
				r.log.ErrorContext(ctx, "prompt", "person", p.ID, "err", err)
				continue
			}
			if ok {
				opened++
			}
		}
	}
	return opened, nil
}

func (r *Runner) person(p bot.Person) Person {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		loc = r.tz
	}
	return Person{ID: p.ID, Loc: loc, Region: calendar.RegionOf(loc.String())}
}

// Run runs PromptDue every interval until ctx ends.
func (r *Runner) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := r.PromptDue(ctx); err != nil {
			r.log.ErrorContext(ctx, "scheduled prompts", "err", err)
		} else if n > 0 {
			r.log.InfoContext(ctx, "scheduled prompts sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
