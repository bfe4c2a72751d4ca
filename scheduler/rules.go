package scheduler

import (
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/internal/cadence"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrBadRules is wrapped by Rules.Validate's errors.
var ErrBadRules = errors.New("bad scheduling rules")

// Hours is a daily window of local time, From inclusive, Until exclusive.
type Hours struct {
	From, Until cadence.TimeOfDay
}

// ParseHours reads "09:00-20:00".
func ParseHours(s string) (Hours, error) {
	var h Hours
	from, until, ok := cut(s)
	if !ok {
		return h, fmt.Errorf("%q is not hours like 09:00-20:00", s)
	}
	var err error
	if h.From, err = cadence.ParseTimeOfDay(from); err != nil {
		return h, err
	}
	if h.Until, err = cadence.ParseTimeOfDay(until); err != nil {
		return h, err
	}
	return h, nil
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '-' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func (h Hours) String() string { return h.From.String() + "-" + h.Until.String() }

// Rules are a team's thresholds for nudges and escalations.
type Rules struct {
	// NudgeHours is when a nudge may reach someone, in their own time zone
	// and on their working days: the quiet hours are the rest of
	// the day. Review reminders and escalations keep to them too.
	NudgeHours Hours
	// NudgeAfter is how long after the prompt the first nudge comes, and
	// how long after each nudge the next one comes.
	NudgeAfter time.Duration
	// MaxNudges is how many nudges one round gets at most; 0 turns them off.
	MaxNudges int
	// ReviewAfter is how long a submitted check-in may wait for its
	// manager's review before the manager is reminded.
	ReviewAfter time.Duration
	// EscalateAfter is how long it may wait before the manager's own
	// manager is told.
	EscalateAfter time.Duration
}

// String says the rules in a line, for listings and previews.
func (r Rules) String() string {
	return fmt.Sprintf("nudges every %s, at most %d, %s local; review reminder after %s, escalation after %s",
		short(r.NudgeAfter), r.MaxNudges, r.NudgeHours, short(r.ReviewAfter), short(r.EscalateAfter))
}

// short writes whole hours as "24h", not "24h0m0s".
func short(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}

// DefaultRules returns the thresholds: nudges only 09:00-20:00
// local, a review reminder after 24 hours and an escalation after 48. The
// issue leaves the nudges' N and K to each team; the defaults here, a nudge
// a day and at most two, are perfbot's choice.
func DefaultRules() Rules {
	return Rules{
		NudgeHours:    Hours{From: 9 * 60, Until: 20 * 60},
		NudgeAfter:    24 * time.Hour,
		MaxNudges:     2,
		ReviewAfter:   24 * time.Hour,
		EscalateAfter: 48 * time.Hour,
	}
}

// Validate checks that the rules make sense together.
func (r Rules) Validate() error {
	switch {
	case r.NudgeHours.From < 0 || r.NudgeHours.Until > 24*60 || r.NudgeHours.From >= r.NudgeHours.Until:
		return fmt.Errorf("%w: nudge hours %s must start before they end, within one day", ErrBadRules, r.NudgeHours)
	case r.MaxNudges < 0:
		return fmt.Errorf("%w: at most %d nudges", ErrBadRules, r.MaxNudges)
	case r.MaxNudges > 0 && r.NudgeAfter < time.Hour:
		return fmt.Errorf("%w: nudges %s apart: at least an hour", ErrBadRules, r.NudgeAfter)
	case r.ReviewAfter <= 0 || r.EscalateAfter <= r.ReviewAfter:
		return fmt.Errorf("%w: the review reminder (%s) must come before the escalation (%s)", ErrBadRules, r.ReviewAfter, r.EscalateAfter)
	}
	return nil
}

// RulesFor returns team's own rules: base with every threshold the team set
// in place of the default. A team's setting that makes no sense is an
// error naming it; the caller keeps base for that team.
func RulesFor(t store.TeamRules, base Rules) (Rules, error) {
	r := base
	if t.NudgeHours != "" {
		h, err := ParseHours(t.NudgeHours)
		if err != nil {
			return base, fmt.Errorf("%w: %w", ErrBadRules, err)
		}
		r.NudgeHours = h
	}
	if t.NudgeAfter != 0 {
		r.NudgeAfter = t.NudgeAfter
	}
	if t.MaxNudges != nil {
		r.MaxNudges = *t.MaxNudges
	}
	if t.ReviewAfter != 0 {
		r.ReviewAfter = t.ReviewAfter
	}
	if t.EscalateAfter != 0 {
		r.EscalateAfter = t.EscalateAfter
	}
	if err := r.Validate(); err != nil {
		return base, err
	}
	return r, nil
}
