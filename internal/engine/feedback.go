package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrNoManager is returned by BusinessEvent for a person with no manager to
// prompt.
var ErrNoManager = errors.New("engine: person has no manager")

// loadFeedback reads what the feedback flows of a step need (see
// conversations.Wants), as the person: feedback or a request a button
// names that they may not see is not found.
func (e *Engine) loadFeedback(ctx context.Context, in *conversations.Input) error {
	n := conversations.Wants(in.Event, in.State)
	viewer := store.Viewer(in.Person.ID)
	fb := &in.Fb
	fb.Config = e.feedback
	if n.Feedback != 0 {
		switch f, err := e.store.Feedback(ctx, viewer, n.Feedback); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("engine: load feedback: %w", err)
		default:
			fb.Feedback = &f
			n.Peer = other(in.Person.ID, f.GiverID, f.RecipientID)
		}
	}
	if n.Request != 0 {
		switch r, err := e.store.FeedbackRequest(ctx, viewer, n.Request); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("engine: load feedback request: %w", err)
		default:
			fb.Request = &r
			if n.Peer == 0 {
				n.Peer = other(in.Person.ID, r.RequesterID, r.AskedID)
			}
		}
	}
	var err error
	if n.Peer != 0 {
		if fb.Peer, err = e.optionalPerson(ctx, n.Peer); err != nil {
			return err
		}
	}
	if len(n.Mentions) > 0 {
		if err := e.mentions(ctx, in, n.Mentions); err != nil {
			return err
		}
	}
	for _, p := range []*bot.Person{fb.Peer, in.Owner} {
		if p == nil {
			continue
		}
		if err := e.addTeam(ctx, fb, p.TeamID); err != nil {
			return err
		}
	}
	if n.Points {
		if fb.Given, err = e.given(ctx, in.Person); err != nil {
			return err
		}
	}
	if n.Leaderboard {
		if fb.Leaders, err = e.leaders(ctx, in.Person); err != nil {
			return err
		}
	}
	return e.loadDone(ctx, in, n)
}

// other is the side of a pair of people that is not me (the giver when
// both are me, which the flows refuse anyway).
func other(me, a, b int64) int64 {
	if a == me {
		return b
	}
	return a
}

// mentions resolves each token to the people it may mean, and loads the
// teams of those it means for sure.
func (e *Engine) mentions(ctx context.Context, in *conversations.Input, tokens []string) error {
	people, err := e.store.People(ctx, store.PeopleFilter{})
	if err != nil {
		return fmt.Errorf("engine: list people for mentions: %w", err)
	}
	in.Fb.Mentioned = make(map[string][]bot.Person, len(tokens))
	for _, tok := range tokens {
		found := conversations.Match(tok, in.Event.From, people)
		in.Fb.Mentioned[tok] = found
		if len(found) == 1 {
			if err := e.addTeam(ctx, &in.Fb, found[0].TeamID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *Engine) addTeam(ctx context.Context, fb *conversations.FeedbackInput, teamID int64) error {
	if teamID == 0 {
		return nil
	}
	if _, ok := fb.Teams[teamID]; ok {
		return nil
	}
	t, err := e.store.Team(ctx, teamID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("engine: load team %d: %w", teamID, err)
	}
	if fb.Teams == nil {
		fb.Teams = map[int64]store.Team{}
	}
	fb.Teams[teamID] = t
	return nil
}

// monthAndDay are the starts of person's current month and day, and the
// next month, in their time zone.
func (e *Engine) monthAndDay(p bot.Person) (month, next, day time.Time) {
	now := e.now().In(e.location(p))
	month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return month, month.AddDate(0, 1, 0), day
}

// given is the praise points p gave this month and today.
func (e *Engine) given(ctx context.Context, p bot.Person) (conversations.Given, error) {
	month, next, day := e.monthAndDay(p)
	var g conversations.Given
	var err error
	if g.Month, err = e.store.PointsGiven(ctx, p.ID, month, next); err != nil {
		return g, fmt.Errorf("engine: points given: %w", err)
	}
	if g.Today, err = e.store.PointsGiven(ctx, p.ID, day, day.AddDate(0, 0, 1)); err != nil {
		return g, fmt.Errorf("engine: points given today: %w", err)
	}
	return g, nil
}

// leaderboardSize is how many the leaderboard shows.
const leaderboardSize = 10

// leaders is this month's leaderboard with names.
func (e *Engine) leaders(ctx context.Context, p bot.Person) ([]conversations.Leader, error) {
	month, next, _ := e.monthAndDay(p)
	rows, err := e.store.Leaderboard(ctx, month, next, leaderboardSize)
	if err != nil {
		return nil, fmt.Errorf("engine: leaderboard: %w", err)
	}
	out := make([]conversations.Leader, 0, len(rows))
	for _, r := range rows {
		who, err := e.optionalPerson(ctx, r.PersonID)
		if err != nil {
			return nil, err
		}
		if who != nil {
			out = append(out, conversations.Leader{Name: who.Name, Points: r.Points})
		}
	}
	return out, nil
}

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
