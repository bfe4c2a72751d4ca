package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Open opens personID's round for period p (this week in their own time
// zone when p is empty) and prompts them. Opening a round that exists
// already prompts again only if it is not yet submitted or skipped.
func (e *Engine) Open(ctx context.Context, personID int64, p string) (created bool, err error) {
	person, err := e.store.Person(ctx, personID)
	if err != nil {
		return false, fmt.Errorf("engine: open for person %d: %w", personID, err)
	}
	if person.AwayOn(e.today(person)) {
		return false, nil // out of office: no round, no prompt, until they are back
	}
	if p == "" {
		p = period.Of(e.now(), e.location(person))
	}
	if created, err = e.openRound(ctx, person, p); err != nil {
		return false, err
	}
	err = e.run(ctx, person, trigger{opened: p})
	if errors.Is(err, ErrNotSent) {
		// Opened all the same, and logged: the person sees it when they
		// next write, or the scheduler's prompt reaches them.
		return created, nil
	}
	if err != nil {
		return created, err
	}
	return created, e.notePrompted(ctx, person, p)
}

// notePrompted records that personID was prompted for period p by hand, so
// that the team's cadence does not prompt them again for it (OpenNew).
func (e *Engine) notePrompted(ctx context.Context, person bot.Person, p string) error {
	r, err := e.store.RoundByPeriod(ctx, store.System, person.ID, p)
	if err != nil {
		return fmt.Errorf("engine: note prompt: %w", err)
	}
	now := e.now()
	_, err = store.Deliver(ctx, e.store, e.now, store.Delivery{Key: fmt.Sprintf("prompt:%d", r.ID), Kind: "prompt",
		PersonID: person.ID, Subject: fmt.Sprintf("round:%d", r.ID), ClaimedAt: now, ClaimUntil: now.Add(manualLease)},
		func() (bool, error) { return true, nil })
	return err
}

// OpenTeam opens the round for everyone in a team (every team when teamID
// is 0) and prompts them. It goes on past a person it cannot reach and
// returns the first error with the count of rounds opened.
func (e *Engine) OpenTeam(ctx context.Context, teamID int64, p string) (opened int, err error) {
	people, err := e.store.People(ctx, store.PeopleFilter{TeamID: teamID})
	if err != nil {
		return 0, fmt.Errorf("engine: list people: %w", err)
	}
	var first error
	for _, person := range people {
		created, err := e.Open(ctx, person.ID, p)
		if err != nil {
			e.log.WarnContext(ctx, "open round", "person", person.ID, "err", err)
			if first == nil {
				first = err
			}
			continue
		}
		if created {
			opened++
		}
	}
	return opened, first
}

// openRound opens person's round for p, audited in the same transaction.
func (e *Engine) openRound(ctx context.Context, person bot.Person, p string) (created bool, err error) {
	now := e.now()
	err = e.store.InTx(ctx, func(s store.Store) error {
		r, c, err := s.OpenRound(ctx, store.Round{
			PersonID: person.ID, TeamID: person.TeamID, Period: p, Status: store.StatusPending, OpenedAt: now,
		})
		if err != nil {
			return fmt.Errorf("engine: open round: %w", err)
		}
		created = c
		if !c {
			return nil
		}
		audit := conversations.Audit{Entry: store.AuditEntry{At: now, Actor: "system", Action: "checkin.open",
			Object: fmt.Sprintf("round:%d", r.ID), Detail: p}}
		if err := audit.Apply(ctx, s); err != nil {
			return fmt.Errorf("engine: %w", err)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// today is person's current day, YYYY-MM-DD, in their time zone.
func (e *Engine) today(person bot.Person) string {
	return e.now().In(e.location(person)).Format(time.DateOnly)
}

// OpenNew opens personID's round for period p and prompts them, once, and
// reports whether it prompted. The prompt is sent under the delivery key
// "prompt:ROUND", claimed first: of several replicas due to prompt the same
// person for the same period one does, and a prompt whose send failed (or
// whose replica died) is sent again on a later call, until it goes out.
// A round already under way, or done, is not prompted.
func (e *Engine) OpenNew(ctx context.Context, personID int64, p string) (bool, error) {
	person, err := e.store.Person(ctx, personID)
	if err != nil {
		return false, fmt.Errorf("engine: open for person %d: %w", personID, err)
	}
	if person.AwayOn(e.today(person)) {
		return false, nil
	}
	if _, err := e.openRound(ctx, person, p); err != nil {
		return false, err
	}
	r, err := e.store.RoundByPeriod(ctx, store.System, person.ID, p)
	if err != nil {
		return false, fmt.Errorf("engine: open round: %w", err)
	}
	if r.Status != store.StatusPending {
		return false, nil // they started it themselves, or it is done
	}
	now := e.now()
	d := store.Delivery{Key: fmt.Sprintf("prompt:%d", r.ID), Kind: "prompt", PersonID: person.ID,
		Subject: fmt.Sprintf("round:%d", r.ID), ClaimedAt: now, ClaimUntil: now.Add(manualLease)}
	return store.Deliver(ctx, e.store, e.now, d, func() (bool, error) {
		return true, e.run(ctx, person, trigger{opened: p})
	})
}
