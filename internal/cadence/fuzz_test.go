package cadence

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks a cadence as an admin types it: refused with an error,
// or a schedule whose next prompt comes after the time asked about, in the
// right week; and times of day that read back as written.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0 16 * * FRI", "every 2 weeks: 0 16 * * FRI", "every 3 weeks from 2026-01-07: 0 9 * * MON", "every 1 week: 0 9 * * *",
		"last workday 16:00", "LAST WORKDAY 9:00", "CRON_TZ=Asia/Shanghai 0 16 * * FRI", "TZ=UTC 0 0 * * *", "*/0 * * * *", "every 0 weeks: * * * * *",
		"every 53 weeks: * * * * *", "@every 1h", "@weekly", "0 0 30 2 *", "every 2 weeks from 0001-01-01: 0 0 * * SUN", "", "  ", "18:00", "24:00"} {
		f.Add(s, int64(1795766400))
	}
	f.Add("0 16 * * FRI", int64(-62135596800))
	f.Add("0 16 * * FRI", int64(253402300799))
	f.Fuzz(func(t *testing.T, s string, afterUnix int64) {
		c, err := Parse(s)
		if strings.TrimSpace(s) == "" {
			require.ErrorIs(t, err, ErrNone)
		}
		if err == nil && c.schedule != nil {
			after := time.Unix(afterUnix, 0).UTC()
			if next := c.Next(after); !next.IsZero() {
				require.True(t, next.After(after), "the next prompt after %s is %s", after, next)
				if e, ok := c.schedule.(everyWeeks); ok {
					week := int(math.Floor(next.Sub(e.anchor).Hours() / (7 * 24)))
					require.Zero(t, (week%e.n+e.n)%e.n, "every %d weeks", e.n)
				}
			}
		}
		if tod, err := ParseTimeOfDay(s); err == nil {
			require.GreaterOrEqual(t, int(tod), 0)
			require.Less(t, int(tod), 24*60)
			require.Equal(t, s, tod.String(), "a time of day reads back as written")
		}
	})
}
