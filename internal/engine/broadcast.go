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

// commitBroadcast creates the broadcast a step decided on, and records an
// acknowledgment. It runs before the dialog state is written: a step run
// again after a conflict creates nothing more, the broadcast's key being
// the event's.
func (e *Engine) commitBroadcast(ctx context.Context, person bot.Person, res conversations.Result) error {
	if nb := res.Broadcast; nb != nil {
		b := nb.Broadcast
		created, err := e.store.CreateBroadcast(ctx, &b, nb.Recipients)
		if err != nil {
			return fmt.Errorf("engine: create broadcast: %w", err)
		}
		if created {
			err := e.store.Audit(ctx, store.AuditEntry{At: e.now(), ActorID: person.ID, Action: "broadcast.create",
				Object: fmt.Sprintf("broadcast:%d", b.ID), Detail: fmt.Sprintf("%d recipients, ack %t", len(nb.Recipients), b.Ack)})
			if err != nil {
				return fmt.Errorf("engine: audit: %w", err)
			}
		}
	}
	if res.Ack != 0 {
		_, err := e.store.Ack(ctx, res.Ack, person.ID, e.now())
		if errors.Is(err, store.ErrNotFound) {
			// A button of a broadcast they were not sent: nothing to record.
			e.log.WarnContext(ctx, "acknowledgment by a non-recipient", "broadcast", res.Ack, "person", person.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("engine: ack broadcast: %w", err)
		}
	}
	return nil
}
