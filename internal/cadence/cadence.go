package cadence

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ErrNone is returned by Parse for an empty cadence.
var ErrNone = errors.New("no cadence set")

// Cadence is a parsed cadence (see the package documentation).
type Cadence struct {
	schedule cron.Schedule // nil for none and for the last workday
	// lastWorkday is set for "last workday HH:MM", at that time of day.
	lastWorkday struct {
		has bool
		at  TimeOfDay
	}
}

// Parse reads a cadence, ignoring the space around it.
func Parse(s string) (Cadence, error) {
	cadence := strings.TrimSpace(s)
	if cadence == "" {
		return Cadence{}, ErrNone
	}
	if strings.Contains(cadence, "TZ=") {
		return Cadence{}, fmt.Errorf("cadence %q: no time zone: each person's own is used", s)
	}
	if clock, ok := strings.CutPrefix(strings.ToLower(cadence), "last workday "); ok {
		tod, err := ParseTimeOfDay(strings.TrimSpace(clock))
		if err != nil {
			return Cadence{}, fmt.Errorf("cadence %q: want last workday HH:MM: %w", s, err)
		}
		var c Cadence
		c.lastWorkday.has, c.lastWorkday.at = true, tod
		return c, nil
	}
	weeks, anchor, expr, err := parseEvery(cadence)
	if err != nil {
		return Cadence{}, fmt.Errorf("cadence %q: %w", s, err)
	}
	sched, err := cron.ParseStandard(expr)
	if err != nil {
		return Cadence{}, fmt.Errorf("cadence %q: %w", s, err)
	}
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		// Matched against wall times held in UTC (see Next).
		spec.Location = time.UTC
	}
	if weeks > 1 {
		sched = everyWeeks{inner: sched, n: weeks, anchor: anchor}
	}
	return Cadence{schedule: sched}, nil
}

// LastWorkday reports whether c is "last workday HH:MM", and its time of
// day: which day that is depends on each person's working-day calendar.
func (c Cadence) LastWorkday() (TimeOfDay, bool) {
	return c.lastWorkday.at, c.lastWorkday.has
}

// Next returns the first match of c after wall time w, or the zero time if
// there is none or c is a last-workday cadence. A wall time is a time.Time
// in UTC whose fields are the wall clock's: UTC has no DST, so matching
// never meets a gap or an overlap.
func (c Cadence) Next(w time.Time) time.Time {
	if c.schedule == nil {
		return time.Time{}
	}
	return c.schedule.Next(w)
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

// maxSkips bounds the matches everyWeeks passes over, so that a cron
// matching every minute still ends.
const maxSkips = 100_000

// everyWeeks keeps the matches of inner that fall in every nth week from
// anchor's.
type everyWeeks struct {
	inner  cron.Schedule
	n      int
	anchor time.Time // a Monday, 00:00 wall time
}

func (e everyWeeks) Next(t time.Time) time.Time {
	for range maxSkips {
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
