package orgfile

import (
	"time"

	"github.com/perfbot/perfbot/internal/period"
)

// Period returns the ISO week t falls in, as "2026-W48": the period a weekly
// check-in round belongs to. The week is taken in t's own location, so pass
// the time in the person's time zone. Near new year the ISO week-year can
// differ from the calendar year: 2027-01-01 is in 2026-W53.
//
// It is [period.Of] in t's location; both name periods the same way.
func Period(t time.Time) string {
	return period.Of(t, t.Location())
}
