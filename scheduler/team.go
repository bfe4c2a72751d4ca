package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/perfbot/perfbot/internal/store"
)

// ErrNoCadence is returned by NewTeam for a team without a cadence: nobody
// in it is prompted by the scheduler.
var ErrNoCadence = errors.New("no cadence set")

// Team is a team's schedule, parsed once for all its members.
type Team struct {
	cadence cron.Schedule
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

// NewTeam parses a team's cadence (a five-field cron expression, "0 16 * *
// FRI") and deadline ("FRI 18:00", or empty for none), both read in each
// member's own time zone.
func NewTeam(t store.Team) (Team, error) {
	var team Team
	if strings.TrimSpace(t.Cadence) == "" {
		return team, ErrNoCadence
	}
	if strings.Contains(t.Cadence, "TZ=") {
		return team, fmt.Errorf("cadence %q: no time zone: each person's own is used", t.Cadence)
	}
	s, err := cron.ParseStandard(t.Cadence)
	if err != nil {
		return team, fmt.Errorf("cadence %q: %w", t.Cadence, err)
	}
	if spec, ok := s.(*cron.SpecSchedule); ok {
		// Matched against wall times held in UTC (see wallclock.go).
		spec.Location = time.UTC
	}
	team.cadence = s
	if t.Deadline == "" {
		return team, nil
	}
	day, clock, ok := strings.Cut(t.Deadline, " ")
	wd, known := weekdays[strings.ToUpper(day)]
	tod, err := ParseTimeOfDay(clock)
	if !ok || !known || err != nil {
		return team, fmt.Errorf("deadline %q: want a day and a time, like FRI 18:00", t.Deadline)
	}
	team.deadline.has, team.deadline.day, team.deadline.time = true, wd, tod
	return team, nil
}
