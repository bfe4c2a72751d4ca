package scheduler

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/perfbot/perfbot/internal/store"
)

// ErrNoCadence is returned by NewTeam, with the rest of the team's
// schedule, for a team without a cadence: nobody in it is prompted by the
// scheduler, but rounds opened by hand are followed up.
var ErrNoCadence = errors.New("no cadence set")

// Team is a team's schedule, parsed once for all its members.
type Team struct {
	cadence cron.Schedule
	// lastWorkday, when has is set, prompts on the last working day of
	// each month (by each person's own calendar) at time.
	lastWorkday struct {
		has  bool
		time TimeOfDay
	}
	// deadline, when has is set, is a weekday and a time of day.
	deadline struct {
		has  bool
		day  time.Weekday
		time TimeOfDay
	}
}

var weekdays = map[string]time.Weekday{
	"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday,
}

// NewTeam parses a team's cadence and deadline ("FRI 18:00", or empty for
// none), both read in each member's own time zone. A cadence is one of:
//
//   - a five-field cron expression: "0 16 * * FRI", every Friday at 16:00;
//   - "every N weeks: CRON" or "every N weeks from YYYY-MM-DD: CRON": the
//     cron's matches in every Nth week, counted in ISO weeks (Monday to
//     Sunday) from the week of the date (1970-01-05 when none is given);
//     cron alone cannot say "every other Friday";
//   - "last workday HH:MM": the last working day of each month, by each
//     person's own calendar, which cron cannot say either.
func NewTeam(t store.Team) (Team, error) {
	var team Team
	cadence := strings.TrimSpace(t.Cadence)
	if cadence == "" {
		// Rounds opened by hand still have a deadline, nudges and reviews.
		if err := team.parseDeadline(t.Deadline); err != nil {
			return team, err
		}
		return team, ErrNoCadence
	}
	if strings.Contains(cadence, "TZ=") {
		return team, fmt.Errorf("cadence %q: no time zone: each person's own is used", t.Cadence)
	}
	if clock, ok := strings.CutPrefix(strings.ToLower(cadence), "last workday "); ok {
		tod, err := ParseTimeOfDay(strings.TrimSpace(clock))
		if err != nil {
			return team, fmt.Errorf("cadence %q: want last workday HH:MM: %w", t.Cadence, err)
		}
		team.lastWorkday.has, team.lastWorkday.time = true, tod
		return team, team.parseDeadline(t.Deadline)
	}
	weeks, anchor, expr, err := parseEvery(cadence)
	if err != nil {
		return team, fmt.Errorf("cadence %q: %w", t.Cadence, err)
	}
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return team, fmt.Errorf("cadence %q: %w", t.Cadence, err)
	}
	if spec, ok := s.(*cron.SpecSchedule); ok {
		// Matched against wall times held in UTC (see wallclock.go).
		spec.Location = time.UTC
	}
	team.cadence = s
	if weeks > 1 {
		team.cadence = everyWeeks{inner: s, n: weeks, anchor: anchor}
	}
	return team, team.parseDeadline(t.Deadline)
}

func (team *Team) parseDeadline(deadline string) error {
	if deadline == "" {
		return nil
	}
	day, clock, ok := strings.Cut(deadline, " ")
	wd, known := weekdays[strings.ToUpper(day)]
	tod, err := ParseTimeOfDay(clock)
	if !ok || !known || err != nil {
		return fmt.Errorf("deadline %q: want a day and a time, like FRI 18:00", deadline)
	}
	team.deadline.has, team.deadline.day, team.deadline.time = true, wd, tod
	return nil
}

// epochMonday is where "every N weeks" counts from when no date is given.
var epochMonday = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// parseEvery splits "every N weeks [from DATE]: CRON" into its parts; any
// other cadence is a plain cron expression, every week.
func parseEvery(cadence string) (weeks int, anchor time.Time, expr string, err error) {
	head, expr, ok := strings.Cut(cadence, ":")
	lower := strings.Fields(strings.ToLower(head))
	if !ok || len(lower) < 3 || lower[0] != "every" || (lower[2] != "weeks" && lower[2] != "week") {
		return 1, epochMonday, cadence, nil
	}
	if _, err := fmt.Sscan(lower[1], &weeks); err != nil || weeks < 1 || weeks > 52 {
		return 0, anchor, "", fmt.Errorf("want every N weeks with N from 1 to 52")
	}
	anchor = epochMonday
	switch {
	case len(lower) == 5 && lower[3] == "from":
		d, err := time.Parse(time.DateOnly, lower[4])
		if err != nil {
			return 0, anchor, "", fmt.Errorf("want every N weeks from YYYY-MM-DD")
		}
		anchor = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // that week's Monday
	case len(lower) != 3:
		return 0, anchor, "", fmt.Errorf("want every N weeks: CRON, or every N weeks from YYYY-MM-DD: CRON")
	}
	return weeks, anchor, strings.TrimSpace(expr), nil
}

// everyWeeks keeps the matches of inner that fall in every nth week from
// anchor's.
type everyWeeks struct {
	inner  cron.Schedule
	n      int
	anchor time.Time // a Monday, 00:00 wall time
}

func (e everyWeeks) Next(t time.Time) time.Time {
	for range maxMatches {
		if t = e.inner.Next(t); t.IsZero() {
			return t
		}
		// Floor division, so that weeks before the anchor count too.
		week := int(math.Floor(t.Sub(e.anchor).Hours() / (7 * 24)))
		if (week%e.n+e.n)%e.n == 0 {
			return t
		}
	}
	return time.Time{}
}
