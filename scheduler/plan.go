package scheduler

import (
	"slices"
	"time"
)

// Kind is what an event does.
type Kind string

// The kinds of events, in the order a round has them.
const (
	// KindPrompt opens the round and prompts the person.
	KindPrompt Kind = "prompt"
	// KindNudge reminds the person, if they have not submitted.
	KindNudge Kind = "nudge"
	// KindDeadline is the round's deadline; the manager's one digest of who
	// has not submitted goes out then.
	KindDeadline Kind = "deadline"
	// KindReview reminds the manager of a check-in not reviewed in time.
	KindReview Kind = "review-reminder"
	// KindEscalation tells the manager's manager of a check-in still not
	// reviewed.
	KindEscalation Kind = "escalation"
)

// Event is one thing the scheduler will do.
type Event struct {
	Kind Kind
	// Round is the prompt time of the round the event belongs to.
	Round time.Time
	// At is when, in UTC.
	At time.Time
	// Local is the same moment on the recipient's clock: the person's for
	// prompts, nudges and deadlines, the manager's for reviews and
	// escalations.
	Local time.Time
}

// Plan lists every event of the rounds prompted for who in [from, to), in
// time order (an event of such a round may fall after to). A round's review
// reminder and escalation depend on when the check-in is submitted; Plan
// shows them for a submission at the deadline, the latest on time, and
// leaves them out for a team without a deadline.
func (p *Planner) Plan(who Person, team Team, rules Rules, from, to time.Time) []Event {
	// A weekly round has a prompt, its nudges and three deadline events.
	events := make([]Event, 0, 4+rules.MaxNudges)
	loc := who.loc()
	manager := who
	if who.Manager != nil {
		manager = *who.Manager
	}
	add := func(k Kind, round, at time.Time, loc *time.Location) {
		events = append(events, Event{Kind: k, Round: round, At: at.UTC(), Local: at.In(loc)})
	}
	after := from.Truncate(time.Second).Add(-time.Second)
	var lastYear, lastWeek int
	for {
		prompt := p.NextPrompt(who, team, after)
		if prompt.IsZero() || !prompt.Before(to) {
			break
		}
		after = prompt
		// One round per period: a prompt moved off a holiday into the
		// week of the next one is the same round, opened once (the Runner
		// opens each period's round once), so it is planned once.
		// (period.Of's ISO week, compared without building its string.)
		if y, w := prompt.In(loc).ISOWeek(); y == lastYear && w == lastWeek {
			continue
		} else {
			lastYear, lastWeek = y, w
		}
		add(KindPrompt, prompt, prompt, loc)
		for _, n := range p.Nudges(who, rules, prompt) {
			add(KindNudge, prompt, n, loc)
		}
		if due, ok := p.Deadline(who, team, prompt); ok {
			add(KindDeadline, prompt, due, loc)
			remind, escalate := p.Review(manager, rules, due)
			add(KindReview, prompt, remind, manager.loc())
			add(KindEscalation, prompt, escalate, manager.loc())
		}
	}
	slices.SortStableFunc(events, func(a, b Event) int { return a.At.Compare(b.At) })
	return events
}
