package scheduler

import (
	"context"
	"fmt"

	"github.com/perfbot/perfbot/internal/store"
)

// RequestNotifier follows up feedback requests (the engine). A Notifier
// that is one too gets the requests followed up.
type RequestNotifier interface {
	// RemindRequest reminds the asked person of an unanswered request.
	RemindRequest(ctx context.Context, requestID int64) error
	// EscalateRequest tells the asked person's manager.
	EscalateRequest(ctx context.Context, requestID int64) error
}

// The kinds of deliveries of feedback request follow-ups.
const (
	DeliveryRequestReminder   = "request-reminder"
	DeliveryRequestEscalation = "request-escalation"
)

// requests follows up unanswered feedback requests by the scheduler's
// rules for reviews: the asked person is reminded ReviewAfter (24 h) after
// the request, in their own hours, and their manager is told a working day
// after that; not while either is away.
func (f *followUp) requests(ctx context.Context, rn RequestNotifier) error {
	reqs, err := f.recs.FeedbackRequests(ctx, store.System, store.RequestFilter{
		OpenOnly: true, CreatedBefore: f.now.Add(-f.rules.ReviewAfter),
	})
	if err != nil {
		return fmt.Errorf("feedback requests: %w", err)
	}
	for _, r := range reqs {
		if f.now.Sub(r.CreatedAt) > lookBack {
			continue
		}
		asked, err := f.lookup(ctx, r.AskedID)
		if err != nil || f.away(asked) {
			continue
		}
		who := f.person(asked)
		remind, escalate := f.planner.Review(who, f.rules, r.CreatedAt)
		if !remind.After(f.now) && f.fresh(who, remind) {
			d := f.delivery(fmt.Sprintf("request-reminder:%d", r.ID), DeliveryRequestReminder, asked.ID, 0)
			d.Subject = fmt.Sprintf("request:%d", r.ID)
			if f.deliver(ctx, d, func() (bool, error) { return true, rn.RemindRequest(ctx, r.ID) }) {
				f.c.RequestReminders++
			}
		}
		if asked.ManagerID == 0 || escalate.After(f.now) {
			continue
		}
		m, err := f.lookup(ctx, asked.ManagerID)
		if err != nil || f.away(m) {
			continue
		}
		mWho := f.person(m)
		if escalate = f.planner.KeepToHours(mWho, f.rules.NudgeHours, escalate); escalate.After(f.now) || !f.fresh(mWho, escalate) {
			continue
		}
		d := f.delivery(fmt.Sprintf("request-escalation:%d", r.ID), DeliveryRequestEscalation, m.ID, 0)
		d.Subject = fmt.Sprintf("request:%d", r.ID)
		if f.deliver(ctx, d, func() (bool, error) { return true, rn.EscalateRequest(ctx, r.ID) }) {
			f.c.RequestEscalations++
		}
	}
	return nil
}
