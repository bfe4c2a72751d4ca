package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

func eachBackend(t *testing.T, test func(t *testing.T, f *fixture)) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newFixture(t, b))
		})
	}
}

func TestWeeklyCheckin(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		created, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, "Weekly check-in · 2026-W48", f.last("anna").Title)

		f.click("anna", "Start")
		f.say("anna", "Shipped the <b>importer</b> @all")
		f.say("anna", "none")
		f.say("anna", "Exporter")
		f.click("anna", "3 😐")
		require.Equal(t, "Your check-in · 2026-W48", f.last("anna").Title, f.transcript("anna"))
		f.click("anna", "Submit")

		r := f.round("anna")
		require.Equal(t, store.StatusSubmitted, r.Status)
		require.Equal(t, "Shipped the <b>importer</b> @all", r.Answer(store.QuestionDone), "stored as typed; escaping is the adapters'")
		require.Equal(t, 3, r.Mood)
		require.Equal(t, f.Clock.Now(), r.SubmittedAt.UTC())

		summary := f.last("li.wei")
		require.Equal(t, "Anna 的周报 · 2026-W48", summary.Title, f.transcript("li.wei"))
		// Echoed to the manager, the text cannot ping the whole chat.
		require.Equal(t, "Shipped the <b>importer</b> @\u2060all", summary.Fields[0].Value)
		f.click("li.wei", "标记为已阅")
		r = f.round("anna")
		require.Equal(t, f.people["li.wei"].ID, r.ReviewedBy)
		require.Contains(t, f.last("anna").Text, "Li Wei has reviewed your check-in for 2026-W48.")

		f.say("anna", "edit 1")
		require.Contains(t, f.last("anna").Text, "already reviewed")

		log, err := f.Store.AuditLog(ctx, fmt.Sprintf("round:%d", r.ID), 100)
		require.NoError(t, err)
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"checkin.open", "checkin.start", "checkin.answer", "checkin.submit", "checkin.review"} {
			require.Contains(t, actions, want)
		}
	})
}

// A platform retrying an event must not answer twice.
func TestDuplicateEventHandledOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		f.click("anna", "Start")
		ev := f.event("anna", bot.Event{Kind: bot.KindMessage, Text: "first answer", ID: "retry-1"})
		before := len(f.sim.DM("anna"))
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.Len(t, f.sim.DM("anna"), before+1, "one reply: %s", f.transcript("anna"))
		r := f.round("anna")
		require.Equal(t, "first answer", r.Answer(store.QuestionDone))
		require.Empty(t, r.Answer(store.QuestionBlockers), "the retries did not answer the next question")
	})
}

// Answers arriving at once for one person all land, each on its own question.
func TestConcurrentEventsLoseNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		f.click("anna", "Start")
		answers := []string{"alpha", "beta", "gamma"}
		var wg sync.WaitGroup
		for _, a := range answers {
			ev := f.event("anna", bot.Event{Kind: bot.KindMessage, Text: a})
			wg.Go(func() { require.NoError(t, f.Engine.Handle(ctx, ev)) })
		}
		wg.Wait()
		r := f.round("anna")
		var got []string
		for _, k := range []string{store.QuestionDone, store.QuestionBlockers, store.QuestionNext} {
			got = append(got, r.Answer(k))
		}
		require.ElementsMatch(t, answers, got, "every answer landed once, on its own question")
		require.Contains(t, f.last("anna").Text, "(4/4) How do you feel about this week?")
	})
}

func TestStrangerIsToldAndRemembered(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("nobody", "hello")
		f.say("nobody", "hello again")
		require.Contains(t, f.last("nobody").Text, "ask your HR team")
		require.Contains(t, f.last("nobody").Text, "请联系 HR")
		us, err := f.Store.Unknowns(context.Background())
		require.NoError(t, err)
		require.Len(t, us, 1)
		require.Equal(t, "nobody", us[0].Identity.UserID)
		require.Equal(t, 2, us[0].Count)
	})
}

// A peer who gets hold of a Mark reviewed button still cannot see or
// review someone else's check-in: the round is read as them.
func TestPeerCannotReview(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		f.click("anna", "Start")
		for _, a := range []string{"a", "b", "c", "4"} {
			f.say("anna", a)
		}
		f.click("anna", "Submit")
		value := f.last("li.wei").Buttons[0].Value

		// The button itself is Li Wei's alone; sent to Sam, it still
		// would not do.
		ev := f.event("sam", bot.Event{Kind: bot.KindAction, Action: value})
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.Contains(t, f.last("sam").Text, "it wasn't sent to you")
		ev = f.event("sam", bot.Event{Kind: bot.KindAction, Action: f.Reseal(value, f.identity("li.wei"), f.identity("sam"))})
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.Contains(t, f.last("sam").Text, "can't find that check-in")
		require.Zero(t, f.round("anna").ReviewedBy)

		// HR, higher up, may.
		ev = f.event("mei", bot.Event{Kind: bot.KindAction, Action: f.Reseal(value, f.identity("li.wei"), f.identity("mei"))})
		require.NoError(t, f.Engine.Handle(ctx, ev))
		require.Equal(t, f.people["mei"].ID, f.round("anna").ReviewedBy)
	})
}

func TestTypingCheckinOpensTheRound(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("sam", "checkin")
		require.Contains(t, f.last("sam").Text, "(1/4) What did you get done this week?", f.transcript("sam"))
		require.Equal(t, store.StatusInProgress, f.round("sam").Status)
	})
}

func TestRemindMeLater(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		f.click("anna", "Remind me later")
		prompts := len(f.sim.DM("anna"))

		n, err := f.Engine.RemindDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "not yet")

		f.Clock.Set(enginetest.Start.Add(2 * time.Hour))
		n, err = f.Engine.RemindDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Len(t, f.sim.DM("anna"), prompts+1)
		require.Equal(t, "Weekly check-in · 2026-W48", f.last("anna").Title)
		f.click("anna", "Start") // the reminder's buttons work

		n, err = f.Engine.RemindDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "a reminder is sent once")
	})
}

func TestOutOfOffice(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.say("anna", "away until 2026-12-01") // Friday 27 November in Berlin
		require.Contains(t, f.last("anna").Text, "until you're back on 2026-12-01")

		before := len(f.sim.DM("anna"))
		created, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		require.False(t, created, "no round while away")
		require.Len(t, f.sim.DM("anna"), before, "and no prompt")

		n, err := f.Engine.WelcomeBackDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "not back yet")

		// Tuesday 1 December, 00:30 in Berlin: back.
		f.Clock.Set(time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC))
		n, err = f.Engine.WelcomeBackDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Contains(t, f.last("anna").Text, "Welcome back!")
		n, err = f.Engine.WelcomeBackDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "welcomed once")

		created, err = f.Engine.Open(ctx, f.people["anna"].ID, "")
		require.NoError(t, err)
		require.True(t, created, "prompts are on again")
		p, err := f.Store.Person(ctx, f.people["anna"].ID)
		require.NoError(t, err)
		require.Empty(t, p.AwayUntil)
	})
}
