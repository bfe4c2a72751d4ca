package okr

import (
	"embed"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/perfbot/perfbot/internal/store"
)

// The early warnings of issue 13 are data (rules/warnings.yaml), read once;
// Warnings is their one evaluator, pure and clock-free like the rest of the
// package. A team changes a rule by its id (store.TeamRules.Warnings).

//go:embed rules/warnings.yaml
var warnFile embed.FS

// ErrBadWarnRule is wrapped by the errors of rules that cannot be evaluated.
var ErrBadWarnRule = errors.New("bad warning rule")

// The checks a rule may make.
const (
	CheckBehind  = "behind"   // the last updates are behind the straight line
	CheckSilent  = "silent"   // no feedback for a while
	CheckNearDue = "near_due" // close to due and far from done
)

// WarnRule is one early-warning rule.
type WarnRule struct {
	ID    string `yaml:"id"`
	Check string `yaml:"check"`
	// To is "manager" or "owner": who is warned.
	To      string  `yaml:"to"`
	Below   float64 `yaml:"below"`
	Updates int     `yaml:"updates"`
	Days    int     `yaml:"days"`
	Off     bool    `yaml:"off"`
}

func (r WarnRule) validate() error {
	switch {
	case r.ID == "":
		return fmt.Errorf("%w: a rule without an id", ErrBadWarnRule)
	case r.To != "manager" && r.To != "owner":
		return fmt.Errorf("%w: %s: to %q is neither manager nor owner", ErrBadWarnRule, r.ID, r.To)
	case r.Below < 0 || r.Below > 1:
		return fmt.Errorf("%w: %s: below %v is not in [0, 1]", ErrBadWarnRule, r.ID, r.Below)
	}
	switch r.Check {
	case CheckBehind:
		if r.Updates < 1 || r.Below == 0 {
			return fmt.Errorf("%w: %s: behind needs updates >= 1 and below", ErrBadWarnRule, r.ID)
		}
	case CheckSilent, CheckNearDue:
		if r.Days < 1 {
			return fmt.Errorf("%w: %s: %s needs days >= 1", ErrBadWarnRule, r.ID, r.Check)
		}
	default:
		return fmt.Errorf("%w: %s: unknown check %q", ErrBadWarnRule, r.ID, r.Check)
	}
	return nil
}

// DefaultWarnRules are the embedded rules, read on first use. They never
// change after that; callers get a copy.
var defaultWarnRules = sync.OnceValues(func() ([]WarnRule, error) {
	b, err := warnFile.ReadFile("rules/warnings.yaml")
	if err != nil {
		return nil, fmt.Errorf("okr: warnings: %w", err)
	}
	return ParseWarnRules(b)
})

// ParseWarnRules reads a rules file like rules/warnings.yaml and checks
// every rule in it.
func ParseWarnRules(b []byte) ([]WarnRule, error) {
	var f struct {
		Rules []WarnRule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("okr: warnings: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range f.Rules {
		if err := r.validate(); err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("%w: %s twice", ErrBadWarnRule, r.ID)
		}
		seen[r.ID] = true
	}
	return f.Rules, nil
}

// DefaultWarnRules returns a copy of perfbot's rules.
func DefaultWarnRules() ([]WarnRule, error) {
	rs, err := defaultWarnRules()
	return append([]WarnRule(nil), rs...), err
}

// WarnRulesFor returns base with a team's changes in place. A change that
// makes a rule unusable is an error naming it; the caller keeps base.
func WarnRulesFor(t store.TeamRules, base []WarnRule) ([]WarnRule, error) {
	if len(t.Warnings) == 0 {
		return base, nil
	}
	out := append([]WarnRule(nil), base...)
	for id, ch := range t.Warnings {
		i := -1
		for j := range out {
			if out[j].ID == id {
				i = j
			}
		}
		if i < 0 {
			return base, fmt.Errorf("%w: no rule %q", ErrBadWarnRule, id)
		}
		r := &out[i]
		r.Off = ch.Off
		if ch.Below != 0 {
			r.Below = ch.Below
		}
		if ch.Updates != 0 {
			r.Updates = ch.Updates
		}
		if ch.Days != 0 {
			r.Days = ch.Days
		}
		if err := r.validate(); err != nil {
			return base, err
		}
	}
	return out, nil
}

// Subject is one person, with what the warnings look at.
type Subject struct {
	PersonID, ManagerID int64
	// LastFeedback is when they last received feedback; zero for never.
	LastFeedback time.Time
	// Since is when they could first have had feedback (joined, or perfbot
	// started watching): "never" is only silence once it is Days old.
	Since time.Time
	// Goals are their objectives; only approved ones count.
	Goals []store.Objective
	// Updates are each key result's updates, oldest first, by its id: at
	// least the last ones the rules look at (UpdatesLookedAt).
	Updates map[int64][]store.ProgressPoint
}

// Warning is one rule that fired.
type Warning struct {
	Rule string
	// To is whom it goes to: the manager or the owner.
	To       int64
	PersonID int64
	// Objective and KeyResult are what it is about (0 for a person).
	Objective, KeyResult int64
	Title                string // the key result's
	// Progress and Expected are where it is and where the line says it
	// should be (behind); Progress and DaysLeft (near_due); Days since the
	// last feedback (silent, -1 for never).
	Progress, Expected float64
	DaysLeft, Days     int
	// Since is when its occasion began: the first of the updates behind
	// (behind); the last feedback or, never given, when the goals were
	// agreed (silent); zero for near_due.
	Since time.Time
	// Key names this warning's occasion: the same key is the same warning,
	// sent once. A new update still behind, feedback that went silent
	// again or a moved due date is a new occasion.
	Key string
}

// Warnings evaluates rules for s on day today (YYYY-MM-DD in the person's
// zone; now is the same instant) and returns what fired, in rule order.
func Warnings(rules []WarnRule, s Subject, now time.Time, today string) []Warning {
	var out []Warning
	day, err := parseDay(today)
	if err != nil {
		return nil
	}
	for _, r := range rules {
		if r.Off {
			continue
		}
		to := s.ManagerID
		if r.To == "owner" {
			to = s.PersonID
		}
		if to == 0 {
			continue
		}
		switch r.Check {
		case CheckSilent:
			out = appendSilent(out, r, s, to, now)
		case CheckBehind, CheckNearDue:
			for _, o := range s.Goals {
				if !o.Counts() {
					continue
				}
				for _, k := range o.KeyResults {
					due := k.Due
					if due == "" {
						due = o.Ends
					}
					if r.Check == CheckBehind {
						out = appendBehind(out, r, s, to, o, k, due)
					} else {
						out = appendNearDue(out, r, s, to, o, k, due, day)
					}
				}
			}
		}
	}
	return out
}

func appendSilent(out []Warning, r WarnRule, s Subject, to int64, now time.Time) []Warning {
	limit := time.Duration(r.Days) * 24 * time.Hour
	w := Warning{Rule: r.ID, To: to, PersonID: s.PersonID}
	if s.LastFeedback.IsZero() {
		if s.Since.IsZero() || now.Sub(s.Since) < limit {
			return out
		}
		w.Days, w.Since, w.Key = -1, s.Since, fmt.Sprintf("%s:%d:never", r.ID, s.PersonID)
		return append(out, w)
	}
	if gap := now.Sub(s.LastFeedback); gap >= limit {
		w.Days, w.Since = int(gap/(24*time.Hour)), s.LastFeedback
		w.Key = fmt.Sprintf("%s:%d:%d", r.ID, s.PersonID, s.LastFeedback.Unix())
		return append(out, w)
	}
	return out
}

func appendBehind(out []Warning, r WarnRule, s Subject, to int64, o store.Objective, k store.KeyResult, due string) []Warning {
	ups := s.Updates[k.ID]
	if len(ups) < r.Updates {
		return out
	}
	last := ups[len(ups)-r.Updates:]
	// The line's ends are parsed once per key result, not per update: this
	// runs for every key result of the organisation every tick.
	start, err1 := parseDay(o.Starts)
	end, err2 := parseDay(due)
	if err1 != nil || err2 != nil || !end.After(start) {
		return out
	}
	span := end.Sub(start).Hours()
	var p, e float64
	for _, u := range last {
		at := k
		at.Current = u.Value
		p = KeyResult(at)
		y, m, d := u.At.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if e = clamp(day.Sub(start).Hours() / span); e == 0 || p >= r.Below*e {
			return out
		}
	}
	// Feedback in those weeks means someone is already on it.
	if !s.LastFeedback.IsZero() && !s.LastFeedback.Before(last[0].At) {
		return out
	}
	return append(out, Warning{
		Rule: r.ID, To: to, PersonID: s.PersonID, Objective: o.ID, KeyResult: k.ID, Title: k.Title,
		Progress: p, Expected: e, Since: last[0].At, Key: fmt.Sprintf("%s:%d:%d", r.ID, k.ID, last[len(last)-1].ID),
	})
}

func appendNearDue(out []Warning, r WarnRule, s Subject, to int64, o store.Objective, k store.KeyResult, due string, day time.Time) []Warning {
	d, err := parseDay(due)
	if err != nil {
		return out
	}
	left := int(d.Sub(day).Hours() / 24)
	if left < 0 || left > r.Days {
		return out
	}
	p := KeyResult(k)
	if p >= r.Below {
		return out
	}
	return append(out, Warning{
		Rule: r.ID, To: to, PersonID: s.PersonID, Objective: o.ID, KeyResult: k.ID, Title: k.Title,
		Progress: p, DaysLeft: left, Key: fmt.Sprintf("%s:%d:%s", r.ID, k.ID, due),
	})
}

// ByRecipient groups warnings by whom they go to, in the order of each
// recipient's first warning: one digest each.
func ByRecipient(ws []Warning) map[int64][]Warning {
	out := map[int64][]Warning{}
	for _, w := range ws {
		out[w.To] = append(out[w.To], w)
	}
	for _, g := range out {
		sort.SliceStable(g, func(i, j int) bool { return g[i].PersonID < g[j].PersonID })
	}
	return out
}
