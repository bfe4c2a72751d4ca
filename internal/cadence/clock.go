package cadence

import (
	"fmt"
	"time"
)

// TimeOfDay is a wall-clock time, in minutes after midnight.
type TimeOfDay int

// ParseTimeOfDay reads "09:00".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("%q is not a time like 09:00", s)
	}
	return TimeOfDay(t.Hour()*60 + t.Minute()), nil
}

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t/60, t%60) }
