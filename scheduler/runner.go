package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Records is what the Runner reads, and where it claims what it sends.
type Records interface {
	Teams(ctx context.Context) ([]store.Team, error)
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
	Person(ctx context.Context, id int64) (bot.Person, error)
	Rounds(ctx context.Context, v store.Viewer, f store.RoundFilter) ([]store.Round, error)
	FeedbackRequests(ctx context.Context, v store.Viewer, f store.RequestFilter) ([]store.FeedbackRequest, error)
	store.DeliveryStore
}

// Notifier sends what falls due (the engine). The methods that report a bool
// report whether there was anything to send.
type Notifier interface {
	// OpenNew opens a person's round for a period and prompts them, only
	// if it is not open yet.
	OpenNew(ctx context.Context, personID int64, period string) (bool, error)
	Nudge(ctx context.Context, roundID int64, n int) (bool, error)
	Digest(ctx context.Context, managerID int64, period string, missing []int64) error
	RemindReview(ctx context.Context, roundID int64) (bool, error)
	EscalateReview(ctx context.Context, roundID int64) (bool, error)
}

// CatchUp is how far back a Runner looks for what fell due: a restart
// within it still sends it, and anything older is let go rather than
// prompting for a week that has passed.
const CatchUp = 24 * time.Hour

// claimLease is how long a replica holds a delivery it is sending; one
// that dies holding it frees it for another after this.
const claimLease = 10 * time.Minute

// Runner sends each team's prompts, nudges, deadline digests, review
// reminders and escalations when they fall due, in every member's own time
// zone and working calendar, with nobody running a command. Each is sent
// under a delivery key claimed first, so replicas send it once.
type Runner struct {
	planner *Planner
	recs    Records
	send    Notifier
	base    Rules
	// warnBase are the early-warning rules of teams that change none.
	warnBase []okr.WarnRule
	now      func() time.Time
	tz       *time.Location
	log      *slog.Logger

	mu sync.Mutex
	// warnedAt is when each team's early warnings were last evaluated
	// here: they read every person's goals, updates and feedback, so they
	// are looked at every WarnEvery, not every tick.
	warnedAt map[int64]time.Time
}

// WarnEvery is how often a team's early warnings are evaluated. Goals move
// weekly; a warning is at most this late, and the digest still waits for
// the manager's hours.
const WarnEvery = time.Hour

// warnDue reports whether team id's warnings are to be evaluated at now,
// and if so marks them evaluated.
func (r *Runner) warnDue(id int64, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if last, ok := r.warnedAt[id]; ok && now.Sub(last) < WarnEvery && !now.Before(last) {
		return false
	}
	if r.warnedAt == nil {
		r.warnedAt = map[int64]time.Time{}
	}
	r.warnedAt[id] = now
	return true
}

// NewRunner returns a Runner. base are the rules of teams that set none of
// their own; tz is for people without a time zone.
func NewRunner(p *Planner, recs Records, send Notifier, base Rules, now func() time.Time, tz *time.Location, log *slog.Logger) *Runner {
	// The embedded rules are checked by okr's tests; should they ever not
	// parse, there are no warnings rather than no scheduler.
	warn, err := okr.DefaultWarnRules()
	if err != nil {
		log.Error("goal warning rules", "err", err)
	}
	return &Runner{planner: p, recs: recs, send: send, base: base, warnBase: warn, now: now, tz: tz, log: log}
}

// Counts says what one Tick sent.
type Counts struct {
	Prompts, Nudges, Digests, Reviews, Escalations int
	// RequestReminders and RequestEscalations follow up feedback requests.
	RequestReminders, RequestEscalations int
	// GoalDigests and GoalPlans are the early warnings on goals: the
	// managers' digests and the owners' plan requests.
	GoalDigests, GoalPlans int
	// Weeks are the Monday "my week" cards.
	Weeks int
}

func (c Counts) total() int {
	return c.Prompts + c.Nudges + c.Digests + c.Reviews + c.Escalations + c.RequestReminders + c.RequestEscalations + c.GoalDigests + c.GoalPlans + c.Weeks
}

// Tick sends everything that fell due within CatchUp and was not sent yet.
// One person's or team's failure is logged and does not hold up the rest.
func (r *Runner) Tick(ctx context.Context) (Counts, error) {
	var c Counts
	teams, err := r.recs.Teams(ctx)
	if err != nil {
		return c, fmt.Errorf("scheduler: teams: %w", err)
	}
	// A manager's digest lists their reports of every team.
	groups := map[digestKey]*digest{}
	people := map[int64]bot.Person{}
	warned := warnings{}
	for _, t := range teams {
		if err := r.team(ctx, t, &c, groups, people, warned); err != nil {
			r.log.ErrorContext(ctx, "scheduler", "team", t.Name, "err", err)
		}
	}
	f := followUp{Runner: r, rules: r.base, now: r.now(), c: &c, people: people, groups: groups}
	f.digests(ctx)
	f.goalDigests(ctx, warned)
	if rn, ok := r.send.(RequestNotifier); ok {
		if err := f.requests(ctx, rn); err != nil {
			r.log.ErrorContext(ctx, "scheduler", "err", err)
		}
	}
	return c, nil
}

// team does one team's tick.
func (r *Runner) team(ctx context.Context, t store.Team, c *Counts, groups map[digestKey]*digest, known map[int64]bot.Person, warned warnings) error {
	team, err := NewTeam(t)
	cadence := !errors.Is(err, ErrNoCadence)
	if err != nil && cadence {
		return fmt.Errorf("schedule: %w", err)
	}
	rules, err := RulesFor(t.Rules, r.base)
	if err != nil {
		r.log.WarnContext(ctx, "team rules; using the defaults", "team", t.Name, "err", err)
	}
	people, err := r.recs.People(ctx, store.PeopleFilter{TeamID: t.ID})
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	f := followUp{Runner: r, rules: rules, team: team, now: r.now(), c: c, people: known, groups: groups}
	for _, p := range people {
		f.people[p.ID] = p
	}
	if cadence {
		f.prompt(ctx, people)
	}
	rounds, err := r.recs.Rounds(ctx, store.System, store.RoundFilter{
		TeamID: t.ID, FromPeriod: period.Of(f.now.Add(-lookBack), time.UTC),
	})
	if err != nil {
		return fmt.Errorf("rounds: %w", err)
	}
	for _, round := range rounds {
		f.round(ctx, round)
	}
	if r.warnDue(t.ID, f.now) {
		f.warn(ctx, t, people, warned)
	}
	for _, p := range people {
		f.myWeek(ctx, p)
	}
	return nil
}

// lookBack is how old a round may be and still be followed up: its review
// escalation comes EscalateAfter (48 h by default) after it is submitted,
// and the round may be a week old by then.
const lookBack = 21 * 24 * time.Hour

func (r *Runner) person(p bot.Person) Person { return PersonOf(p, r.tz) }

// PersonOf is whom a schedule is planned for: p in their own time zone
// (tz when they have none) and the working calendar of its region.
func PersonOf(p bot.Person, tz *time.Location) Person {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		loc = tz
	}
	return Person{ID: p.ID, Loc: loc, Region: calendar.RegionOf(loc.String())}
}

// Job is the runner as the runtime's periodic job: Tick every every,
// logging what was sent.
func (r *Runner) Job(every time.Duration) bot.Job {
	return bot.Job{Name: "schedule", Every: every, Run: func(ctx context.Context) error {
		c, err := r.Tick(ctx)
		if err != nil {
			return err
		}
		if c.total() > 0 {
			r.log.InfoContext(ctx, "scheduler sent", "prompts", c.Prompts, "nudges", c.Nudges,
				"digests", c.Digests, "reviews", c.Reviews, "escalations", c.Escalations,
				"request_reminders", c.RequestReminders, "request_escalations", c.RequestEscalations,
				"goal_digests", c.GoalDigests, "goal_plans", c.GoalPlans, "weeks", c.Weeks)
		}
		return nil
	}}
}
