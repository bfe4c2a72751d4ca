package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// button is the newest button labelled label in who's conversation, as
// the event tapping it, with an id of its own.
func (f *fixture) button(who, label, id string) bot.Event {
	f.t.Helper()
	entries := f.sim.DM(who)
	for i := len(entries) - 1; i >= 0; i-- {
		for _, b := range entries[i].Buttons {
			if b.Label == label {
				return f.event(who, bot.Event{ID: id, Kind: bot.KindAction, Action: b.Value, Ref: entries[i].Ref})
			}
		}
	}
	require.FailNowf(f.t, "no button", "%q in %s's conversation: %s", label, who, f.transcript(who))
	return bot.Event{}
}

// received counts the messages titled title in who's conversation.
func (f *fixture) received(who, title string) int {
	n := 0
	for _, e := range f.sim.DM(who) {
		if e.From == "" && e.Title == title {
			n++
		}
	}
	return n
}

func (f *fixture) pointsGiven(who string) int {
	f.t.Helper()
	n, err := f.Store.PointsGiven(context.Background(), f.people[who].ID, time.Time{}, time.Time{})
	require.NoError(f.t, err)
	return n
}

func (f *fixture) requestsBy(who string) []store.FeedbackRequest {
	f.t.Helper()
	rs, err := f.Store.FeedbackRequests(context.Background(), store.System, store.RequestFilter{RequesterID: f.people[who].ID})
	require.NoError(f.t, err)
	return rs
}

// A step whose audit of the feedback it saved failed runs again when the
// platform redelivers its event: the feedback is not saved twice, no point
// is spent twice, and the recipient gets the one card the failed run never
// sent.
func TestFeedbackSavedOnceWhenRetried(t *testing.T) {
	tests := []struct {
		name   string
		action string // the audit that fails once
		setup  func(f *fixture)
		event  func(f *fixture) bot.Event
		check  func(t *testing.T, f *fixture)
	}{
		{
			name: "kudos", action: "feedback.praise",
			event: func(f *fixture) bot.Event {
				return f.event("anna", bot.Event{ID: "kudos-1", Kind: bot.KindMessage, Text: "kudos @sam @li.wei thanks for the release"})
			},
			check: func(t *testing.T, f *fixture) {
				require.Len(t, f.feedbackTo("sam"), 1)
				require.Len(t, f.feedbackTo("li.wei"), 1)
				require.Equal(t, 1, f.received("sam", "🎉 Anna praised you"), f.transcript("sam")+f.transcript("anna"))
				require.Equal(t, 1, f.received("li.wei", "🎉 Anna 表扬了你"), f.transcript("li.wei"))
				require.Equal(t, 2, f.pointsGiven("anna"))
				require.Contains(t, f.last("anna").Text, "Points left this month: 8.", "the retry counts the points once")
			},
		},
		{
			name: "praise from a summary", action: "feedback.praise",
			setup: func(f *fixture) { f.submitCheckin() },
			event: func(f *fixture) bot.Event { return f.button("li.wei", "表扬", "praise-1") },
			check: func(t *testing.T, f *fixture) {
				require.Len(t, f.feedbackTo("anna"), 1)
				require.Equal(t, 1, f.received("anna", "🎉 Li Wei praised you"), f.transcript("anna"))
				require.Equal(t, 1, f.pointsGiven("li.wei"))
				require.Contains(t, f.last("li.wei").Text, "已表扬 Anna", "the retry is not taken for a second tap")
			},
		},
		{
			name: "ask my manager", action: "feedback.request",
			setup: func(f *fixture) { f.submitCheckin() },
			event: func(f *fixture) bot.Event { return f.button("anna", "Ask my manager for feedback", "ask-1") },
			check: func(t *testing.T, f *fixture) {
				require.Len(t, f.requestsBy("anna"), 1)
				require.Equal(t, 1, f.received("li.wei", "Anna 请你给反馈"), f.transcript("li.wei"))
				require.Contains(t, f.last("anna").Text, "I've asked Li Wei for feedback")
			},
		},
	}
	for _, b := range enginetest.Backends() {
		for _, tt := range tests {
			t.Run(b.Name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				var flaky *faultyStore
				f := newFixture(t, b, func(o *engine.Options) {
					flaky = faulty(o.Store, func(w write) bool { return w.Method == "Audit" && w.Action == tt.action })
					o.Store = flaky
				})
				if tt.setup != nil {
					tt.setup(f)
				}
				ev := tt.event(f)
				err := f.Engine.Handle(context.Background(), ev)
				require.ErrorIs(t, err, errWriteDown)
				require.True(t, flaky.failed.Load())
				require.NoError(t, f.Engine.Handle(context.Background(), ev), "the platform's retry")
				tt.check(t, f)
			})
		}
	}
}

// Praise and Ask my manager under a check-in are one-time: tapped again,
// they answer politely and change nothing.
func TestCheckinButtonsTappedTwice(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.submitCheckin()
		praise := f.button("li.wei", "表扬", "")
		require.NoError(t, f.Engine.Handle(context.Background(), praise))
		require.NoError(t, f.Engine.Handle(context.Background(), f.event("li.wei", bot.Event{Kind: bot.KindAction, Action: praise.Action})))
		require.Equal(t, "你已经为这次周报表扬过 Anna 了。", f.last("li.wei").Text)
		require.Len(t, f.feedbackTo("anna"), 1)
		require.Equal(t, 1, f.received("anna", "🎉 Li Wei praised you"))
		require.Equal(t, 1, f.pointsGiven("li.wei"))

		ask := f.button("anna", "Ask my manager for feedback", "")
		require.NoError(t, f.Engine.Handle(context.Background(), ask))
		require.NoError(t, f.Engine.Handle(context.Background(), f.event("anna", bot.Event{Kind: bot.KindAction, Action: ask.Action})))
		require.Equal(t, "You already asked Li Wei for feedback on this check-in. I'll let you know when it arrives.", f.last("anna").Text)
		reqs := f.requestsBy("anna")
		require.Len(t, reqs, 1)
		require.Equal(t, f.round("anna").ID, reqs[0].RoundID)
		require.Equal(t, 1, f.received("li.wei", "Anna 请你给反馈"))
	})
}
