package scheduler

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// FuzzNewTeam checks a team's cadence and deadline as an admin types them:
// refused with an error, or a schedule whose next prompt comes after the
// time asked about, in the right week; and times of day and hours that
// read back as written.
func FuzzNewTeam(f *testing.F) {
	for _, s := range []string{"0 16 * * FRI", "every 2 weeks: 0 16 * * FRI", "every 3 weeks from 2026-01-07: 0 9 * * MON", "every 1 week: 0 9 * * *",
		"last workday 16:00", "LAST WORKDAY 9:00", "CRON_TZ=Asia/Shanghai 0 16 * * FRI", "TZ=UTC 0 0 * * *", "*/0 * * * *", "every 0 weeks: * * * * *",
		"every 53 weeks: * * * * *", "@every 1h", "@weekly", "0 0 30 2 *", "every 2 weeks from 0001-01-01: 0 0 * * SUN", "", "  "} {
		f.Add(s, "FRI 18:00", int64(1795766400))
	}
	f.Add("0 16 * * FRI", "fri 18:00", int64(-62135596800))
	f.Add("0 16 * * FRI", "FRI 24:00", int64(0))
	f.Add("0 16 * * FRI", "09:00-20:00", int64(253402300799))
	f.Fuzz(func(t *testing.T, cadence, deadline string, afterUnix int64) {
		team, err := NewTeam(store.Team{Cadence: cadence, Deadline: deadline})
		if err != nil && !errors.Is(err, ErrNoCadence) {
			return
		}
		if team.cadence != nil {
			after := time.Unix(afterUnix, 0).UTC()
			if next := team.cadence.Next(after); !next.IsZero() {
				require.True(t, next.After(after), "the next prompt after %s is %s", after, next)
				if e, ok := team.cadence.(everyWeeks); ok {
					week := int(math.Floor(next.Sub(e.anchor).Hours() / (7 * 24)))
					require.Zero(t, (week%e.n+e.n)%e.n, "every %d weeks", e.n)
				}
			}
		}
		if team.deadline.has {
			require.GreaterOrEqual(t, int(team.deadline.time), 0)
			require.Less(t, int(team.deadline.time), 24*60)
		}

		for _, s := range []string{cadence, deadline} {
			if tod, err := ParseTimeOfDay(s); err == nil {
				require.Equal(t, s, tod.String(), "a time of day reads back as written")
			}
			if h, err := ParseHours(s); err == nil {
				require.Equal(t, s, h.String(), "hours read back as written")
			}
		}
	})
}
