// Package period names check-in periods. A period is an ISO 8601 week,
// "2026-W48", taken in the person's own time zone: a Monday 01:00 in Shanghai
// is already next week while it is still Sunday in Berlin.
package period

import (
	"errors"
	"fmt"
	"time"
)

// ErrBad is returned for a string that is not a period.
var ErrBad = errors.New("period: not an ISO week like 2026-W48")

// Of returns the ISO week that t falls in, in loc.
func Of(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Start returns the Monday 00:00 in loc that begins period p.
func Start(p string, loc *time.Location) (time.Time, error) {
	var y, w int
	if n, err := fmt.Sscanf(p, "%4d-W%2d", &y, &w); n != 2 || err != nil || len(p) != 8 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBad, p)
	}
	// January 4th is always in week 1.
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, 7*(w-1))
	if gy, gw := start.ISOWeek(); gy != y || gw != w {
		return time.Time{}, fmt.Errorf("%w: %q has no week %d", ErrBad, p, w)
	}
	return start, nil
}

// Valid reports whether p names a week.
func Valid(p string) bool {
	_, err := Start(p, time.UTC)
	return err == nil
}
