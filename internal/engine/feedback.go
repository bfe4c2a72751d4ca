package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrNoManager is returned by BusinessEvent for a person with no manager to
// prompt.
var ErrNoManager = errors.New("engine: person has no manager")

// RemindRequest reminds the asked person of an open feedback request. The
// scheduler decides when, and claims it; an answered or declined request
// is left alone.
func (e *Engine) RemindRequest(ctx context.Context, requestID int64) error {
	r, requester, asked, err := e.openRequest(ctx, requestID)
	if err != nil || r == nil {
		return err
	}
	return e.notify(ctx, asked, conversations.RequestReminder(e.texts, *r, requester, asked).Message)
}

// EscalateRequest tells the asked person's manager that a feedback request
// is still open. The scheduler decides when, and claims it. A person with
// no manager has no one to escalate to.
func (e *Engine) EscalateRequest(ctx context.Context, requestID int64) error {
	r, requester, asked, err := e.openRequest(ctx, requestID)
	if err != nil || r == nil {
		return err
	}
	if asked.ManagerID == 0 {
		e.log.InfoContext(ctx, "feedback request not escalated: no manager", "request", requestID)
		return nil
	}
	mgr, err := e.store.Person(ctx, asked.ManagerID)
	if err != nil {
		return fmt.Errorf("engine: escalate request %d: %w", requestID, err)
	}
	return e.notify(ctx, mgr, conversations.RequestEscalation(e.texts, *r, requester, asked, mgr).Message)
}

// openRequest reads a request and its two people as perfbot; r is nil
// when the request no longer waits.
func (e *Engine) openRequest(ctx context.Context, id int64) (r *store.FeedbackRequest, requester, asked bot.Person, err error) {
	req, err := e.store.FeedbackRequest(ctx, store.System, id)
	if err != nil {
		return nil, requester, asked, fmt.Errorf("engine: feedback request %d: %w", id, err)
	}
	if !req.Open() {
		return nil, requester, asked, nil
	}
	if requester, err = e.store.Person(ctx, req.RequesterID); err != nil {
		return nil, requester, asked, fmt.Errorf("engine: requester of %d: %w", id, err)
	}
	if asked, err = e.store.Person(ctx, req.AskedID); err != nil {
		return nil, requester, asked, fmt.Errorf("engine: asked of %d: %w", id, err)
	}
	return &req, requester, asked, nil
}

// BusinessEvent prompts personID's manager to praise them or give feedback
// for something that happened (kind "deal_won", title "ACME renewal").
func (e *Engine) BusinessEvent(ctx context.Context, personID int64, kind, title, url string) error {
	p, err := e.store.Person(ctx, personID)
	if err != nil {
		return fmt.Errorf("engine: business event for person %d: %w", personID, err)
	}
	if p.ManagerID == 0 {
		return fmt.Errorf("engine: business event for person %d: %w", personID, ErrNoManager)
	}
	mgr, err := e.store.Person(ctx, p.ManagerID)
	if err != nil {
		return fmt.Errorf("engine: business event for person %d: manager: %w", personID, err)
	}
	now := e.now()
	err = e.store.Audit(ctx, store.AuditEntry{At: now, Actor: "system", Action: "feedback.event", Object: fmt.Sprintf("person:%d", p.ID), Detail: kind + ": " + title})
	if err != nil {
		return fmt.Errorf("engine: audit: %w", err)
	}
	// A send that fails is returned, so the sender of the event hears of it.
	return e.notify(ctx, mgr, conversations.BusinessEventCard(e.texts, p, mgr, kind, title, url).Message)
}
