package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// The kinds of deliveries the Runner records.
const (
	DeliveryNudge      = "nudge"
	DeliveryDigest     = "digest"
	DeliveryReview     = "review-reminder"
	DeliveryEscalation = "escalation"
)

// followUp is one team's tick in progress.
type followUp struct {
	*Runner
	rules  Rules
	team   Team
	now    time.Time
	c      *Counts
	people map[int64]bot.Person // the team's, and the managers read so far
	// groups are the deadline digests being gathered, by manager and period.
	groups map[digestKey]*digest
}

type digestKey struct {
	manager int64
	period  string
}

type digest struct {
	due     time.Time // the last deadline of the manager's open rounds
	hours   Hours     // the nudge hours of the first team gathered
	missing []int64
}

// prompt opens and prompts the rounds whose prompt fell due.
func (f *followUp) prompt(ctx context.Context, people []bot.Person) {
	for _, p := range people {
		who := f.person(p)
		at := f.planner.NextPrompt(who, f.team, f.now.Add(-CatchUp))
		if at.IsZero() || at.After(f.now) {
			continue
		}
		ok, err := f.send.OpenNew(ctx, p.ID, period.Of(at, who.Loc))
		if err != nil {
			f.log.ErrorContext(ctx, "prompt", "person", p.ID, "err", err)
			continue
		}
		if ok {
			f.c.Prompts++
		}
	}
}

// round follows up one round: nudges before it is submitted, the deadline
// digest, and review reminders and escalations after.
func (f *followUp) round(ctx context.Context, r store.Round) {
	p, err := f.lookup(ctx, r.PersonID)
	if err != nil {
		f.log.WarnContext(ctx, "round owner", "round", r.ID, "err", err)
		return
	}
	switch r.Status {
	case store.StatusPending, store.StatusInProgress:
		if f.away(p) {
			return
		}
		f.nudge(ctx, p, r)
		f.gather(p, r)
	case store.StatusSubmitted:
		if r.ReviewedBy == 0 && p.ManagerID != 0 {
			f.review(ctx, p, r)
		}
	}
}

func (f *followUp) nudge(ctx context.Context, p bot.Person, r store.Round) {
	if r.RemindAt.After(f.now) {
		return // they asked to be reminded later: that reminder is theirs
	}
	who := f.person(p)
	n, at := 0, time.Time{}
	for i, t := range f.planner.Nudges(who, f.rules, r.OpenedAt) {
		if !t.After(f.now) {
			n, at = i+1, t // the latest one due: one missed while down is not sent as well
		}
	}
	if n == 0 || !f.fresh(who, at) {
		return
	}
	d := f.delivery(fmt.Sprintf("nudge:%d:%d", r.ID, n), DeliveryNudge, p.ID, r.ID)
	if f.deliver(ctx, d, func() (bool, error) { return f.send.Nudge(ctx, r.ID, n) }) {
		f.c.Nudges++
	}
}

// gather adds an open round to its manager's deadline digest.
func (f *followUp) gather(p bot.Person, r store.Round) {
	if p.ManagerID == 0 {
		return
	}
	due, ok := f.planner.Deadline(f.person(p), f.team, r.OpenedAt)
	if !ok {
		return
	}
	k := digestKey{p.ManagerID, r.Period}
	g := f.groups[k]
	if g == nil {
		g = &digest{hours: f.rules.NudgeHours}
		f.groups[k] = g
	}
	if due.After(g.due) {
		g.due = due
	}
	g.missing = append(g.missing, p.ID)
}

// digests sends each manager one message listing who has not submitted,
// once the last of their reports' deadlines has passed, in the manager's
// own hours.
func (f *followUp) digests(ctx context.Context) {
	for k, g := range f.groups {
		m, err := f.lookup(ctx, k.manager)
		if err != nil || f.away(m) {
			continue
		}
		who := f.person(m)
		in := *f // the team the digest was gathered for sets its hours
		in.rules.NudgeHours = g.hours
		at := f.planner.KeepToHours(who, g.hours, g.due)
		if at.After(f.now) || !in.fresh(who, at) {
			continue
		}
		d := f.delivery(fmt.Sprintf("digest:%d:%s", k.manager, k.period), DeliveryDigest, k.manager, 0)
		d.Subject = "period:" + k.period
		if f.deliver(ctx, d, func() (bool, error) { return true, f.send.Digest(ctx, k.manager, k.period, g.missing) }) {
			f.c.Digests++
		}
	}
}

// review reminds the manager of a check-in not reviewed in time, and
// escalates to their manager later; not while the manager is away.
func (f *followUp) review(ctx context.Context, p bot.Person, r store.Round) {
	m, err := f.lookup(ctx, p.ManagerID)
	if err != nil || f.away(m) {
		return
	}
	who := f.person(m)
	remind, escalate := f.planner.Review(who, f.rules, r.SubmittedAt)
	if !remind.After(f.now) && f.fresh(who, remind) {
		d := f.delivery(fmt.Sprintf("review:%d", r.ID), DeliveryReview, m.ID, r.ID)
		if f.deliver(ctx, d, func() (bool, error) { return f.send.RemindReview(ctx, r.ID) }) {
			f.c.Reviews++
		}
	}
	if m.ManagerID == 0 || escalate.After(f.now) {
		return
	}
	skip, err := f.lookup(ctx, m.ManagerID)
	if err != nil || f.away(skip) {
		return
	}
	// The escalation waits for the skip-level manager's own hours and
	// working days too (a Shanghai 国庆 must not make a Berlin one expire).
	skipWho := f.person(skip)
	if escalate = f.planner.KeepToHours(skipWho, f.rules.NudgeHours, escalate); escalate.After(f.now) || !f.fresh(skipWho, escalate) {
		return
	}
	d := f.delivery(fmt.Sprintf("escalation:%d", r.ID), DeliveryEscalation, skip.ID, r.ID)
	if f.deliver(ctx, d, func() (bool, error) { return f.send.EscalateReview(ctx, r.ID) }) {
		f.c.Escalations++
	}
}

// fresh reports whether something planned for at may still be sent to who
// now: it fell due within CatchUp, and now is inside who's nudge hours (a
// replica that was down must not catch up at night).
func (f *followUp) fresh(who Person, at time.Time) bool {
	return f.now.Sub(at) < CatchUp && f.planner.KeepToHours(who, f.rules.NudgeHours, f.now).Equal(f.now)
}

func (f *followUp) away(p bot.Person) bool {
	return p.AwayOn(f.now.In(f.person(p).loc()).Format(time.DateOnly))
}

func (f *followUp) delivery(key, kind string, to, roundID int64) store.Delivery {
	d := store.Delivery{Key: key, Kind: kind, PersonID: to, ClaimedAt: f.now, ClaimUntil: f.now.Add(claimLease)}
	if roundID != 0 {
		d.Subject = fmt.Sprintf("round:%d", roundID)
	}
	return d
}

// deliver sends d once across replicas and reports whether it was sent.
func (f *followUp) deliver(ctx context.Context, d store.Delivery, send func() (bool, error)) bool {
	sent, err := store.Deliver(ctx, f.recs, f.Runner.now, d, send)
	if err != nil {
		f.log.ErrorContext(ctx, "scheduled send", "key", d.Key, "err", err)
	}
	return sent
}

// lookup reads a person, once per tick.
func (f *followUp) lookup(ctx context.Context, id int64) (bot.Person, error) {
	if p, ok := f.people[id]; ok {
		return p, nil
	}
	p, err := f.recs.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("person %d: %w", id, err)
	}
	if err != nil {
		return p, err
	}
	f.people[id] = p
	return p, nil
}
