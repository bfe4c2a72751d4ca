package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/cadence"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrNoCadence is returned by NewTeam, with the rest of the team's
// schedule, for a team without a cadence: nobody in it is prompted by the
// scheduler, but rounds opened by hand are followed up.
var ErrNoCadence = errors.New("no cadence set")

// Team is a team's schedule, parsed once for all its members.
type Team struct {
	cadence cadence.Cadence
	// deadline, when has is set, is a weekday and a time of day.
	deadline struct {
		has  bool
		day  time.Weekday
		time cadence.TimeOfDay
	}
}

var weekdays = map[string]time.Weekday{
	"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday,
}

// NewTeam parses a team's cadence (see internal/cadence) and deadline ("FRI
// 18:00", or empty for none), both read in each member's own time zone.
func NewTeam(t store.Team) (Team, error) {
	var team Team
	c, err := cadence.Parse(t.Cadence)
	if errors.Is(err, cadence.ErrNone) {
		// Rounds opened by hand still have a deadline, nudges and reviews.
		if err := team.parseDeadline(t.Deadline); err != nil {
			return team, err
		}
		return team, ErrNoCadence
	}
	if err != nil {
		return team, err
	}
	team.cadence = c
	return team, team.parseDeadline(t.Deadline)
}

func (team *Team) parseDeadline(deadline string) error {
	if deadline == "" {
		return nil
	}
	day, clock, ok := strings.Cut(deadline, " ")
	wd, known := weekdays[strings.ToUpper(day)]
	tod, err := cadence.ParseTimeOfDay(clock)
	if !ok || !known || err != nil {
		return fmt.Errorf("deadline %q: want a day and a time, like FRI 18:00", deadline)
	}
	team.deadline.has, team.deadline.day, team.deadline.time = true, wd, tod
	return nil
}
