package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// dedupKeys names the records a step creates after the event it runs
// for. A step's store effects are one transaction, but the dialog state is
// written after it: when that write loses a race, the step runs again, and
// with the keys the store finds what the first run saved instead of saving
// it twice. Events without an id (the scheduler's) get no key.
func dedupKeys(ev bot.Event, res *conversations.Result) {
	if base := eventKey(ev); base != "" {
		res.Key(base)
	}
}

// eventKey is the start of the keys of what ev creates; "" when ev has no
// id.
func eventKey(ev bot.Event) string {
	if ev.ID == "" {
		return ""
	}
	return "event:" + ev.From.String() + ":" + ev.ID + ":"
}

// ownKey reports whether key names something ev saved: on an earlier run
// of its step, which failed after saving it.
func ownKey(ev bot.Event, key string) bool {
	k := eventKey(ev)
	return k != "" && strings.HasPrefix(key, k)
}

// loadDone reads what the person already did that a step must not do
// again, and leaves out what this very event saved on an earlier, failed
// run: that run is repeated as if it had not happened, and its messages,
// never sent, go out this time.
func (e *Engine) loadDone(ctx context.Context, in *conversations.Input, n conversations.Needs) error {
	if err := e.unspend(ctx, in, n); err != nil {
		return err
	}
	return e.roundDone(ctx, in, n)
}

// unspend gives back the points the event's earlier run spent, so the
// repeated step finds the allowance it found then.
func (e *Engine) unspend(ctx context.Context, in *conversations.Input, n conversations.Needs) error {
	if !n.Points || in.Event.ID == "" {
		return nil
	}
	month, _, day := e.monthAndDay(in.Person)
	fs, err := e.store.Feedbacks(ctx, store.Viewer(in.Person.ID), store.FeedbackFilter{
		GiverID: in.Person.ID, Kind: store.FeedbackPraise, From: month,
	})
	if err != nil {
		return fmt.Errorf("engine: load praise given: %w", err)
	}
	g := &in.Fb.Given
	for _, f := range fs {
		if !ownKey(in.Event, f.DedupKey) {
			continue
		}
		g.Month = max(g.Month-f.Points, 0)
		if !f.CreatedAt.Before(day) {
			g.Today = max(g.Today-f.Points, 0)
		}
	}
	return nil
}

// roundDone reads, for a Praise or Ask my manager button under a
// check-in, what the person already did about that check-in: the praise
// they gave its owner, or the request to their manager still open. A
// button tapped twice then changes nothing.
func (e *Engine) roundDone(ctx context.Context, in *conversations.Input, n conversations.Needs) error {
	r, me := in.Round, in.Person.ID
	if r == nil {
		return nil
	}
	viewer := store.Viewer(me)
	if n.RoundPraise && r.PersonID != me {
		fs, err := e.store.Feedbacks(ctx, viewer, store.FeedbackFilter{
			GiverID: me, RecipientID: r.PersonID, Kind: store.FeedbackPraise, RoundID: r.ID,
		})
		if err != nil {
			return fmt.Errorf("engine: load praise of round %d: %w", r.ID, err)
		}
		for i := range fs {
			if !ownKey(in.Event, fs[i].DedupKey) {
				in.Fb.RoundPraise = &fs[i]
				break
			}
		}
	}
	if n.RoundRequest && in.Manager != nil {
		rs, err := e.store.FeedbackRequests(ctx, viewer, store.RequestFilter{
			RequesterID: me, AskedID: in.Manager.ID, RoundID: r.ID, OpenOnly: true,
		})
		if err != nil {
			return fmt.Errorf("engine: load requests about round %d: %w", r.ID, err)
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
