package scheduler

import "time"

// The scheduler reasons in wall-clock time, the time a person reads on
// their own clock, and turns it into instants only at the end. A wall time
// is held as a time.Time in UTC whose fields are the wall clock's: UTC has
// no DST, so cron matching and date arithmetic on it never meet a gap or an
// overlap.

// wallOf returns the wall time of t in loc, to the second.
func wallOf(t time.Time, loc *time.Location) time.Time {
	_, off := t.In(loc).Zone()
	return time.Unix(t.Unix()+int64(off), 0).UTC()
}

// instant returns the moment the clocks of loc show wall time w:
//   - on a spring-forward day a time in the gap never shows, and the moment
//     is the end of the gap (02:30 in New York becomes 03:00 EDT): a prompt
//     there fires once, as soon as it can;
//   - on a fall-back day a time in the overlap shows twice, and the moment
//     is the first (01:30 EDT, not 01:30 EST): it fires once, not twice.
func instant(w time.Time, loc *time.Location) time.Time {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	_, off := t.Zone()
	shown := t.Unix() + int64(off)
	start, end := t.ZoneBounds()
	switch {
	case shown == w.Unix():
		// An overlap: the zone before this one may show w too, earlier.
		if !start.IsZero() {
			_, prev := start.Add(-time.Second).Zone()
			if e := time.Unix(w.Unix()-int64(prev), 0).In(loc); e.Before(t) && wallOf(e, loc).Equal(w) {
				return e
			}
		}
		return t
	case shown > w.Unix():
		// A gap, and Go chose the zone after it: the gap ends as it starts.
		return start.In(loc)
	default:
		// A gap, and Go chose the zone before it: the gap ends as it ends.
		return end.In(loc)
	}
}
