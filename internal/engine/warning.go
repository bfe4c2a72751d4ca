package engine

import (
	"context"
	"fmt"

	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/okr"
)

// GoalWarnings sends a manager the one digest of the early warnings about
// their reports. Only a warning about one of the manager's own reports is
// in it: the scheduler groups by manager, and this checks it again where
// the message is made.
func (e *Engine) GoalWarnings(ctx context.Context, managerID int64, ws []okr.Warning) error {
	manager, err := e.store.Person(ctx, managerID)
	if err != nil {
		return fmt.Errorf("engine: goal warnings for %d: %w", managerID, err)
	}
	names := map[int64]string{}
	kept := ws[:0:0]
	for _, w := range ws {
		p, err := e.store.Person(ctx, w.PersonID)
		if err != nil {
			return fmt.Errorf("engine: goal warnings: person %d: %w", w.PersonID, err)
		}
		if p.ManagerID != managerID {
			continue
		}
		names[p.ID] = p.Name
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return nil
	}
	return e.notify(ctx, manager, conversations.GoalWarnings(e.texts.For(manager.Locale), kept, names))
}

// AskPlan asks a key result's owner for a plan.
func (e *Engine) AskPlan(ctx context.Context, w okr.Warning) error {
	owner, err := e.store.Person(ctx, w.PersonID)
	if err != nil {
		return fmt.Errorf("engine: plan request for %d: %w", w.PersonID, err)
	}
	return e.notify(ctx, owner, conversations.PlanRequest(e.texts.For(owner.Locale), w))
}

// MyWeek sends a person their Monday "my week" card and reports whether
// it did: not when nothing is due, nor while they are away.
func (e *Engine) MyWeek(ctx context.Context, personID int64) (bool, error) {
	p, err := e.store.Person(ctx, personID)
	if err != nil {
		return false, fmt.Errorf("engine: my week for %d: %w", personID, err)
	}
	if p.AwayOn(e.today(p)) {
		return false, nil
	}
	var said bool
	err = e.run(ctx, p, trigger{week: true, said: &said})
	return said, err
}
