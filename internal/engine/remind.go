package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

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
		if err := e.run(ctx, person, trigger{opened: r.Period}); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Remind runs RemindDue every interval until ctx ends.
func (e *Engine) Remind(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := e.RemindDue(ctx); err != nil {
			e.log.ErrorContext(ctx, "reminders", "err", err)
		} else if n > 0 {
			e.log.InfoContext(ctx, "reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
