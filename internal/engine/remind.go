package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// RemindDue prompts again everyone whose "remind me later" is due, and says
// how many it prompted. Each reminder is claimed by clearing it at the
// round's version, so of several replicas exactly one sends it.
func (e *Engine) RemindDue(ctx context.Context) (int, error) {
	rounds, err := e.store.Rounds(ctx, store.System, store.RoundFilter{RemindDue: e.now()})
	if err != nil {
		return 0, fmt.Errorf("engine: due reminders: %w", err)
	}
	sent := 0
	for _, r := range rounds {
		r.RemindAt = time.Time{}
		switch err := e.store.SaveRound(ctx, &r); {
		case errors.Is(err, store.ErrConflict):
			continue // another replica took it, or the person moved on
		case err != nil:
			return sent, fmt.Errorf("engine: claim reminder: %w", err)
		}
		if r.Status != store.StatusPending && r.Status != store.StatusInProgress {
			continue
		}
		person, err := e.store.Person(ctx, r.PersonID)
		if err != nil {
			return sent, fmt.Errorf("engine: reminder for person %d: %w", r.PersonID, err)
		}
		// A round already under way is reminded as a nudge, which leaves
		// someone mid-answer where they are; an untouched one is prompted.
		tr := trigger{opened: r.Period}
		if r.Status == store.StatusInProgress {
			tr.nudge = 1
		}
		if err := e.run(ctx, person, tr); err != nil {
			if errors.Is(err, ErrNotSent) {
				e.log.WarnContext(ctx, "reminder not sent", "person", person.ID, "err", err)
				continue // the others still get theirs
			}
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// WelcomeBackDue ends the absences that are over and welcomes those people
// back, and says how many. Ending one is a conditional update, so of
// several replicas one sends the welcome.
func (e *Engine) WelcomeBackDue(ctx context.Context) (int, error) {
	away, err := e.store.People(ctx, store.PeopleFilter{Away: true})
	if err != nil {
		return 0, fmt.Errorf("engine: people away: %w", err)
	}
	n := 0
	for _, p := range away {
		if p.AwayOn(e.today(p)) {
			continue
		}
		if now := e.now(); e.nextNudge(p, now).After(now) {
			continue // welcomed back in their working hours, not at midnight
		}
		ended, err := e.store.ClearAway(ctx, p.ID, p.AwayUntil)
		if err != nil {
			return n, fmt.Errorf("engine: end absence: %w", err)
		}
		if !ended {
			continue
		}
		p.AwayUntil = ""
		if err := e.run(ctx, p, trigger{returned: true}); err != nil {
			if errors.Is(err, ErrNotSent) {
				e.log.WarnContext(ctx, "welcome back not sent", "person", p.ID, "err", err)
				continue
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// RemindJob is the runtime's periodic job that sends the reminders that
// are due and welcomes back who returned, every every.
func (e *Engine) RemindJob(every time.Duration) bot.Job {
	return bot.Job{Name: "reminders", Every: every, Run: func(ctx context.Context) error {
		n, err := e.RemindDue(ctx)
		if err != nil {
			return fmt.Errorf("reminders: %w", err)
		}
		if n > 0 {
			e.log.InfoContext(ctx, "reminders sent", "count", n)
		}
		if n, err = e.WelcomeBackDue(ctx); err != nil {
			return fmt.Errorf("welcome back: %w", err)
		}
		if n > 0 {
			e.log.InfoContext(ctx, "welcomed back", "count", n)
		}
		return nil
	}}
}
