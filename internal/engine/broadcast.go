package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/store"
)

// loadBroadcast looks up what a step about broadcasts needs: the people a
// broadcast would reach, or a broadcast's status. Only for people with the
// hr role: for anyone else the step refuses, and nothing is read.
func (e *Engine) loadBroadcast(ctx context.Context, person bot.Person, st conversations.State, in *conversations.Input) error {
	if !person.Has(bot.RoleHR) {
		return nil
	}
	q, ok := conversations.BroadcastWants(in.Event, st)
	if !ok {
		return nil
	}
	look := &conversations.BroadcastLookup{}
	if q.Audience != nil {
		res, err := audience.Resolve(ctx, e.store, *q.Audience)
		if err != nil {
			return fmt.Errorf("engine: broadcast audience: %w", err)
		}
		look.Recipients, look.Missing = res.IDs(), res.Missing
	}
	if q.Status {
		id := q.StatusID
		if id == 0 {
			newest, err := e.store.Broadcasts(ctx, 1)
			if err != nil {
				return fmt.Errorf("engine: broadcasts: %w", err)
			}
			if len(newest) > 0 {
				id = newest[0].ID
			}
		}
		if id != 0 {
			s, err := e.store.BroadcastStatus(ctx, id)
			switch {
			case err == nil:
				look.Status = &s
			case !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("engine: broadcast status: %w", err)
			}
		}
	}
	in.Broadcast = look
	return nil
}
