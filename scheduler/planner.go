package scheduler

import (
	"time"

	"github.com/perfbot/perfbot/internal/cadence"
	"github.com/perfbot/perfbot/internal/calendar"
)

// Workdays tells working days from days off; *calendar.Calendar is one.
type Workdays interface {
	IsWorkday(region string, day calendar.Date) bool
	NextWorkday(region string, day calendar.Date) calendar.Date
}

// Person is whom a schedule is planned for.
type Person struct {
	ID int64
	// Loc is their time zone; nil means UTC.
	Loc *time.Location
	// Region names their working-day calendar ("CN"); "" is weekends only.
	Region string
	// Manager, when set, is whose hours review reminders keep to in Plan.
	Manager *Person
}

func (p Person) loc() *time.Location {
	if p.Loc == nil {
		return time.UTC
	}
	return p.Loc
}

// Planner computes when things happen. It holds no clock: every method takes
// the instant it plans from, so callers pass their injected clock's reading.
type Planner struct {
	days Workdays
}

// NewPlanner returns a planner using days' working days.
func NewPlanner(days Workdays) *Planner { return &Planner{days: days} }

// maxMatches bounds the search for a cadence's next prompt, so that a
// cadence matching every minute through a long holiday still ends.
const maxMatches = 100_000

// NextPrompt returns the first prompt for who after the instant after, or
// the zero time if the cadence has none. The cadence is matched against
// who's own wall clock (see instant for DST gaps and overlaps); a match on
// a day off moves to the next working day at the same local time, so no
// prompt is ever sent on a day off.
func (p *Planner) NextPrompt(who Person, team Team, after time.Time) time.Time {
	if tod, ok := team.cadence.LastWorkday(); ok {
		return p.nextLastWorkday(who, tod, after)
	}
	loc := who.loc()
	aw := wallOf(after, loc)
	// A match on a day off before after moves forward, maybe past after (a
	// holiday Friday's prompt moves to the next Thursday): matching starts
	// at the first of the days off that run up to after.
	d := calendar.DateOf(aw)
	w := aw
	if !p.days.IsWorkday(who.Region, d) || !p.days.IsWorkday(who.Region, d.AddDays(-1)) {
		for range maxDaysOff {
			if p.days.IsWorkday(who.Region, d.AddDays(-1)) {
				break
			}
			d = d.AddDays(-1)
		}
		w = at(d, 0).Add(-time.Second)
	}
	var best, bestWall time.Time
	for range maxMatches {
		if w = team.cadence.Next(w); w.IsZero() {
			break
		}
		if !best.IsZero() && !w.Before(bestWall) {
			break // a match moves later, never earlier: none can beat best
		}
		mw := p.onWorkday(who.Region, w)
		if !mw.After(aw) && !mw.Equal(aw) {
			continue // already passed
		}
		// In a fall-back overlap the wall clock runs twice: a match already
		// passed the first time round is not sent again.
		if at := instant(mw, loc); at.After(after) && (best.IsZero() || at.Before(best)) {
			if mw.Equal(w) {
				return at // not moved: no later match can come sooner
			}
			best, bestWall = at, mw
		}
	}
	return best
}

// nextLastWorkday returns the first last-working-day-of-a-month prompt at
// tod on who's clock after the instant after.
func (p *Planner) nextLastWorkday(who Person, tod cadence.TimeOfDay, after time.Time) time.Time {
	loc := who.loc()
	aw := wallOf(after, loc)
	for i := range 3 { // this month's may have passed; next month's has not
		first := time.Date(aw.Year(), aw.Month()+time.Month(i)+1, 1, 0, 0, 0, 0, time.UTC)
		d := calendar.DateOf(first).AddDays(-1)
		for range maxDaysOff {
			if p.days.IsWorkday(who.Region, d) {
				break
			}
			d = d.AddDays(-1)
		}
		if t := instant(at(d, tod), loc); t.After(after) {
			return t
		}
	}
	return time.Time{}
}

// maxDaysOff bounds the walk back over days off; valid calendars never
// have this many in a row.
const maxDaysOff = 366

// onWorkday returns wall time w, moved to the next working day at the same
// time of day if its date is a day off.
func (p *Planner) onWorkday(region string, w time.Time) time.Time {
	d := calendar.DateOf(w)
	if p.days.IsWorkday(region, d) {
		return w
	}
	n := p.days.NextWorkday(region, d)
	return time.Date(n.Year, n.Month, n.Day, w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}

// Deadline returns when the round prompted at prompt is due for who: the
// first time the team's "DAY HH:MM" shows on who's clock at or after the
// prompt. When that day is a day off the deadline moves to the end of the
// next working day, the end being the team's own deadline time (a round due
// FRI 18:00 on a holiday Friday is due at 18:00 on the next working day).
// ok is false for a team without a deadline: its rounds run to the end of
// their period and have no deadline events.
func (p *Planner) Deadline(who Person, team Team, prompt time.Time) (at time.Time, ok bool) {
	if !team.deadline.has {
		return time.Time{}, false
	}
	loc := who.loc()
	pw := wallOf(prompt, loc)
	days := (int(team.deadline.day) - int(pw.Weekday()) + 7) % 7
	w := time.Date(pw.Year(), pw.Month(), pw.Day()+days, int(team.deadline.time/60), int(team.deadline.time%60), 0, 0, time.UTC)
	if w.Before(pw) {
		w = w.AddDate(0, 0, 7)
	}
	at = instant(p.onWorkday(who.Region, w), loc)
	if at.Before(prompt) {
		at = prompt // the deadline fell in the same DST overlap hour as the prompt
	}
	return at, true
}

// Nudges returns when who is nudged about the round prompted at prompt if
// they have not submitted: rules.NudgeAfter after the prompt, then as long
// after each nudge, at most rules.MaxNudges, each kept to who's nudge hours
// on a working day (see KeepToHours).
func (p *Planner) Nudges(who Person, rules Rules, prompt time.Time) []time.Time {
	if rules.MaxNudges <= 0 {
		return nil
	}
	ns := make([]time.Time, 0, rules.MaxNudges)
	at := prompt
	for range rules.MaxNudges {
		at = p.KeepToHours(who, rules.NudgeHours, at.Add(rules.NudgeAfter))
		ns = append(ns, at)
	}
	return ns
}

// KeepToHours returns t if it falls inside hours on a working day of who's,
// and otherwise the next start of hours on a working day.
func (p *Planner) KeepToHours(who Person, hours Hours, t time.Time) time.Time {
	loc := who.loc()
	w := wallOf(t, loc)
	d := calendar.DateOf(w)
	tod := cadence.TimeOfDay(w.Hour()*60 + w.Minute())
	if p.days.IsWorkday(who.Region, d) {
		if tod >= hours.From && tod < hours.Until {
			return t
		}
		if tod < hours.From {
			return instant(at(d, hours.From), loc)
		}
	}
	return instant(at(p.days.NextWorkday(who.Region, d), hours.From), loc)
}

func at(d calendar.Date, t cadence.TimeOfDay) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(t/60), int(t%60), 0, 0, time.UTC)
}

// Review returns when the manager of a check-in submitted at submitted is
// reminded to review it (rules.ReviewAfter later) and when, still not
// reviewed, it escalates to the manager's own manager (rules.EscalateAfter
// - rules.ReviewAfter after the reminder, so the manager always has that
// long, after being reminded, to act: a check-in submitted on Friday
// evening is not reminded and escalated in the same Monday minute). Both
// keep to the manager's nudge hours and working days.
func (p *Planner) Review(manager Person, rules Rules, submitted time.Time) (remind, escalate time.Time) {
	remind = p.KeepToHours(manager, rules.NudgeHours, submitted.Add(rules.ReviewAfter))
	escalate = p.KeepToHours(manager, rules.NudgeHours, remind.Add(rules.EscalateAfter-rules.ReviewAfter))
	return remind, escalate
}
