package conversations_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

func (w *world) nudge(n int) conversations.Result {
	in := w.input(bot.Event{})
	in.Open, in.Nudge = true, n
	return w.apply(conversations.Step(in))
}

func TestNudge(t *testing.T) {
	t.Run("not started: the prompt again, as a reminder", func(t *testing.T) {
		w := newWorld(t, bot.LocaleEN)
		w.open()
		res := w.nudge(1)
		require.Contains(t, dump(res), "Reminder · check-in 2026-W48")
		require.Contains(t, dump(res), "(Start)")
		w.click("Start")
		require.Equal(t, conversations.StepItem, w.state.Checkin.Step, "the nudge's Start starts")
	})
	t.Run("started, then left: Resume where they were", func(t *testing.T) {
		w := newWorld(t, bot.LocaleEN)
		w.open()
		w.click("Start")
		w.say("Shipped the importer")
		w.state = conversations.State{} // the dialog expired; the answer is in the round
		res := w.nudge(2)
		require.Contains(t, dump(res), "you're 1 of 6 through your check-in")
		w.click("Resume")
		require.Equal(t, conversations.StepItem, w.state.Checkin.Step)
		require.Equal(t, 1, w.state.Checkin.Item, "on to the second question")
	})
	t.Run("in the middle of answering: reminded, and not moved", func(t *testing.T) {
		w := newWorld(t, bot.LocaleEN)
		w.open()
		w.click("Start")
		w.say("Shipped the importer")
		before := w.state
		res := w.nudge(1)
		require.Equal(t, before, w.state)
		require.Contains(t, dump(res), "your check-in is waiting for your answer")
		w.say("Nothing blocks me")
		require.Equal(t, "Nothing blocks me", w.round.Answer(store.QuestionBlockers), "the next answer still lands")
	})
	t.Run("submitted or away: nothing", func(t *testing.T) {
		w := newWorld(t, bot.LocaleEN)
		w.round.Status = store.StatusSubmitted
		require.Empty(t, w.nudge(1).Out)
		w = newWorld(t, bot.LocaleEN)
		w.person.AwayUntil = "2026-12-07"
		in := w.input(bot.Event{})
		in.Open, in.Nudge, in.Today = true, 1, "2026-11-27"
		require.Empty(t, conversations.Step(in).Out)
	})
}

func TestDigestAndRemindThem(t *testing.T) {
	cat := newWorld(t, bot.LocaleEN).cat
	m := conversations.Digest(cat.For(bot.LocaleZH), "2026-W48", []bot.Person{{Name: "Bob"}, {Name: "Cat"}})
	require.Equal(t, "周报截止 · 2026-W48", m.Title)
	require.Contains(t, m.Text, "2 人还没有提交")
	require.Contains(t, m.Text, "• Bob\n• Cat")
	require.Len(t, m.Buttons, 1)

	w := newWorld(t, bot.LocaleZH)
	res := w.clickValue(m.Buttons[0].Value)
	require.Equal(t, "2026-W48", res.RemindTeam, "the engine is asked to remind that period's missing")
	require.Equal(t, bot.MessageRef("card-1"), res.Out[0].Message.Replace, "the digest shows it was tapped")

	require.Equal(t, "Reminded 3 of your reports about their check-in for 2026-W48.",
		conversations.TeamReminded(cat.For(bot.LocaleEN), "2026-W48", 3, 0).Text)
	require.Equal(t, "Reminded 3 of your reports about their check-in for 2026-W48. 1 of them will get it at the start of their working hours.",
		conversations.TeamReminded(cat.For(bot.LocaleEN), "2026-W48", 2, 1).Text)

	r := &store.Round{ID: 5, Period: "2026-W48", Status: store.StatusSubmitted,
		Answers: []store.Answer{{Key: store.QuestionDone, Text: "Shipped"}}}
	rem := conversations.ReviewReminder(cat.For(bot.LocaleEN), r, bot.Person{Name: "Ann"}, store.Team{}, 30*time.Hour)
	require.Contains(t, rem.Text, "Ann's check-in has waited 30 hours for your review")
	require.Equal(t, "Mark reviewed", rem.Buttons[0].Label)
	esc := conversations.ReviewEscalation(cat.For(bot.LocaleEN), r, bot.Person{Name: "Ann"}, bot.Person{Name: "Li"}, 50*time.Hour)
	require.Contains(t, esc.Text, "Li hasn't reviewed Ann's check-in for 2026-W48: it has waited 50 hours.")
	require.Empty(t, esc.Fields, "the escalation says who and when, not what the check-in says")
}
