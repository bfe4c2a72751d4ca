package scheduler

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// FuzzNewTeam checks a team's deadline and working hours as an admin types
// them: refused, or a deadline at a real time of day; and hours that read
// back as written. The cadence itself is internal/cadence's FuzzParse.
func FuzzNewTeam(f *testing.F) {
	for _, s := range []string{"FRI 18:00", "fri 18:00", "FRI 24:00", "MON 9:00", "09:00-20:00", "", "  ", "SUN 23:59", "XYZ 10:00"} {
		f.Add("0 16 * * FRI", s)
	}
	f.Add("", "FRI 18:00")
	f.Fuzz(func(t *testing.T, cadence, deadline string) {
		team, err := NewTeam(store.Team{Cadence: cadence, Deadline: deadline})
		if err != nil && !errors.Is(err, ErrNoCadence) {
			return
		}
		if team.deadline.has {
			require.GreaterOrEqual(t, int(team.deadline.time), 0)
			require.Less(t, int(team.deadline.time), 24*60)
		}
		if h, err := ParseHours(deadline); err == nil {
			require.Equal(t, deadline, h.String(), "hours read back as written")
		}
	})
}
