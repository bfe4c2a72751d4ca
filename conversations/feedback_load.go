package conversations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// The feedback flows' reads, decided by wants, done by the feedback flow for
// all of them.

// load reads what the feedback flows of a step need (see wants).
func (feedback) load(ctx context.Context, l *loader) error {
	in := l.in
	n := wants(in.Event, in.State)
	me := in.Person.ID
	fb := &in.Fb
	fb.Config = l.tr.Feedback
	if n.Feedback != 0 {
		switch f, err := l.r.Feedback(ctx, n.Feedback); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load feedback: %w", err)
		default:
			fb.Feedback = &f
			n.Peer = other(me, f.GiverID, f.RecipientID)
		}
	}
	if n.Request != 0 {
		switch r, err := l.r.FeedbackRequest(ctx, n.Request); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load feedback request: %w", err)
		default:
			fb.Request = &r
			if n.Peer == 0 {
				n.Peer = other(me, r.RequesterID, r.AskedID)
			}
		}
	}
	var err error
	if fb.Peer, err = l.person(ctx, n.Peer); err != nil {
		return err
	}
	if len(n.Mentions) > 0 {
		if err := l.mentions(ctx, n.Mentions); err != nil {
			return err
		}
	}
	for _, p := range []*bot.Person{fb.Peer, in.Owner} {
		if p == nil {
			continue
		}
		if err := l.team(ctx, p.TeamID); err != nil {
			return err
		}
	}
	if n.Points {
		if err := l.given(ctx); err != nil {
			return err
		}
	}
	if n.Leaderboard {
		if err := l.leaders(ctx); err != nil {
			return err
		}
	}
	return l.roundDone(ctx, n)
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
func (l *loader) mentions(ctx context.Context, tokens []string) error {
	people, err := l.r.People(ctx)
	if err != nil {
		return fmt.Errorf("conversations: list people for mentions: %w", err)
	}
	fb := &l.in.Fb
	fb.Mentioned = make(map[string][]bot.Person, len(tokens))
	for _, tok := range tokens {
		found := Match(tok, l.in.Event.From, people)
		fb.Mentioned[tok] = found
		if len(found) == 1 {
			if err := l.team(ctx, found[0].TeamID); err != nil {
				return err
			}
		}
	}
	return nil
}

// team adds team id to the teams the feedback flows may post to.
func (l *loader) team(ctx context.Context, id int64) error {
	fb := &l.in.Fb
	if id == 0 {
		return nil
	}
	if _, ok := fb.Teams[id]; ok {
		return nil
	}
	t, err := l.r.Team(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("conversations: load team %d: %w", id, err)
	}
	if fb.Teams == nil {
		fb.Teams = map[int64]store.Team{}
	}
	fb.Teams[id] = t
	return nil
}

// monthAndDay are the starts of the person's current month and day, and
// the next month, in their time zone.
func (l *loader) monthAndDay() (month, next, day time.Time) {
	now := l.in.Now.In(l.tr.Location)
	month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return month, month.AddDate(0, 1, 0), day
}

// given is the praise points the person gave this month and today, less
// what this very event spent on an earlier run of its step (see
// EventKey): that run is repeated as if it had not happened.
func (l *loader) given(ctx context.Context) error {
	month, next, day := l.monthAndDay()
	g := &l.in.Fb.Given
	var err error
	if g.Month, err = l.r.PointsGiven(ctx, month, next); err != nil {
		return fmt.Errorf("conversations: points given: %w", err)
	}
	if g.Today, err = l.r.PointsGiven(ctx, day, day.AddDate(0, 0, 1)); err != nil {
		return fmt.Errorf("conversations: points given today: %w", err)
	}
	ev := l.in.Event
	if ev.ID == "" {
		return nil
	}
	me := l.in.Person.ID
	fs, err := l.r.Feedbacks(ctx, store.FeedbackFilter{GiverID: me, Kind: store.FeedbackPraise, From: month})
	if err != nil {
		return fmt.Errorf("conversations: load praise given: %w", err)
	}
	for _, f := range fs {
		if !ownKey(ev, f.DedupKey) {
			continue
		}
		g.Month = max(g.Month-f.Points, 0)
		if !f.CreatedAt.Before(day) {
			g.Today = max(g.Today-f.Points, 0)
		}
	}
	return nil
}

// leaderboardSize is how many the leaderboard shows.
const leaderboardSize = 10

// leaders is this month's leaderboard with names.
func (l *loader) leaders(ctx context.Context) error {
	month, next, _ := l.monthAndDay()
	rows, err := l.r.Leaderboard(ctx, month, next, leaderboardSize)
	if err != nil {
		return fmt.Errorf("conversations: leaderboard: %w", err)
	}
	out := make([]Leader, 0, len(rows))
	for _, row := range rows {
		who, err := l.person(ctx, row.PersonID)
		if err != nil {
			return err
		}
		if who != nil {
			out = append(out, Leader{Name: who.Name, Points: row.Points})
		}
	}
	l.in.Fb.Leaders = out
	return nil
}

// roundDone reads, for a Praise or Ask my manager button under a
// check-in, what the person already did about that check-in: the praise
// they gave its owner, or the request to their manager still open. A
// button tapped twice then changes nothing. What this very event saved on
// an earlier run does not count.
func (l *loader) roundDone(ctx context.Context, n needs) error {
	in := l.in
	r, me := in.Round, in.Person.ID
	if r == nil {
		return nil
	}
	if n.RoundPraise && r.PersonID != me {
		fs, err := l.r.Feedbacks(ctx, store.FeedbackFilter{
			GiverID: me, RecipientID: r.PersonID, Kind: store.FeedbackPraise, RoundID: r.ID,
		})
		if err != nil {
			return fmt.Errorf("conversations: load praise of round %d: %w", r.ID, err)
		}
		for i := range fs {
			if !ownKey(in.Event, fs[i].DedupKey) {
				in.Fb.RoundPraise = &fs[i]
				break
			}
		}
	}
	if n.RoundRequest && in.Manager != nil {
		rs, err := l.r.FeedbackRequests(ctx, store.RequestFilter{
			RequesterID: me, AskedID: in.Manager.ID, RoundID: r.ID, OpenOnly: true,
		})
		if err != nil {
			return fmt.Errorf("conversations: load requests about round %d: %w", r.ID, err)
		}
		for i := range rs {
			if !ownKey(in.Event, rs[i].DedupKey) {
				in.Fb.RoundRequest = &rs[i]
				break
			}
		}
	}
	return nil
}
