package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"

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

// MoveKeyResult applies a business event's step to the goals of
// personID: the key result it names moves by itself, audited as
// automatic, in one transaction, and the owner is told. The update is
// keyed by step.Key, so the event delivered twice moves it once (and
// tells the owner once). When none of the person's agreed goals has the
// key result, nothing moves: the event is kept unmatched (reason
// store.UnmatchedNoKeyResult, with the key result it named), so an admin
// sees a rule or a goal is missing, and false is reported.
func (e *Engine) MoveKeyResult(ctx context.Context, personID int64, step conversations.AutoStep) (bool, error) {
	p, err := e.store.Person(ctx, personID)
	if err != nil {
		return false, fmt.Errorf("engine: key result step for person %d: %w", personID, err)
	}
	if step.At.IsZero() {
		step.At = e.now()
	}
	goals, err := e.store.Objectives(ctx, store.System, store.ObjectiveFilter{OwnerID: p.ID, Status: store.GoalApproved})
	if err != nil {
		return false, fmt.Errorf("engine: goals of person %d: %w", personID, err)
	}
	res, ok := conversations.BusinessProgress(e.texts, p, goals, step)
	if !ok {
		named := step.Ref
		if step.KeyResultID != 0 {
			named = "kr:" + strconv.FormatInt(step.KeyResultID, 10)
		}
		u := store.UnmatchedEvent{Key: step.Key, Source: "goals", Reason: store.UnmatchedNoKeyResult,
			Kind: "key_result", Title: step.Source, KeyResult: named, ReceivedAt: step.At}
		if len(p.Identities) > 0 {
			u.Account = p.Identities[0]
		}
		u.Email = p.Email
		if _, err := e.store.KeepUnmatched(ctx, &u); err != nil {
			return false, fmt.Errorf("engine: keep unmatched: %w", err)
		}
		e.log.InfoContext(ctx, "business event moved no key result", "person", p.ID, "key_result", named)
		return false, nil
	}
	if err := e.store.InTx(ctx, func(s store.Store) error { return res.Apply(ctx, s) }); err != nil {
		return false, fmt.Errorf("engine: key result step: %w", err)
	}
	for i, eff := range res.Effects {
		if a, ok := eff.(*conversations.AddProgress); ok && a.Created() && i < len(res.Out) {
			// The record is kept; a message that fails is logged, not
			// retried, since the event's redelivery moves nothing again.
			if err := e.notify(ctx, p, res.Out[i].Message); err != nil {
				e.log.WarnContext(ctx, "automatic update not told", "person", p.ID, "err", err)
			}
		}
	}
	return true, nil
}
