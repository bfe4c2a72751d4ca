package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

func (w *world) sayToday(text, today string) conversations.Result {
	in := w.input(bot.Event{Kind: bot.KindMessage, Text: text})
	in.Today = today
	res := w.apply(conversations.Step(in))
	if w.saved.Person != nil {
		w.person = *w.saved.Person
	}
	return res
}

func TestAway(t *testing.T) {
	const today = "2026-11-27"
	for text, want := range map[string]string{
		"away until 2026-12-01":         "2026-12-01",
		"Away until 2026/12/01":         "2026-12-01",
		"OOO until 12-01":               "2026-12-01",
		"away 1/4":                      "2027-01-04",
		"休假至 12月1日":                     "2026-12-01",
		"请假到２０２６年１２月１日":                 "2026-12-01",
		"out of office until 2026-12-1": "2026-12-01",
	} {
		w := newWorld(t, bot.LocaleEN)
		w.sayToday(text, today)
		require.Equal(t, want, w.person.AwayUntil, text)
		require.Equal(t, "person.away", w.audit[len(w.audit)-1].Action, text)
	}

	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	out := dump(w.sayToday("away until 2026-12-01", today))
	require.Contains(t, out, "No check-in prompts or reminders until you're back on 2026-12-01")
	require.Equal(t, conversations.State{}, w.state, "the check-in waits for their return")

	for text, want := range map[string]string{
		"away until someday":    "couldn't read that date",
		"away until 2026-11-27": "already come",
		"away until 2026-11-01": "already come",
		"away until 2028-01-01": "more than a year",
		"away until 2026-02-30": "couldn't read that date",
	} {
		w := newWorld(t, bot.LocaleEN)
		require.Contains(t, dump(w.sayToday(text, today)), want, text)
		require.Empty(t, w.person.AwayUntil, text)
	}
}

func TestAwayPausesPromptsAndBack(t *testing.T) {
	w := newWorld(t, bot.LocaleZH)
	w.person.AwayUntil = "2026-12-01"
	in := w.input(bot.Event{})
	in.Open, in.Today = true, "2026-11-27"
	require.Empty(t, w.apply(conversations.Step(in)).Out, "no prompt while away")

	out := dump(w.sayToday("我回来了", "2026-11-28"))
	require.Contains(t, out, "欢迎回来")
	require.Empty(t, w.person.AwayUntil)
	require.Contains(t, dump(w.sayToday("back", "2026-11-28")), "没有设置休假")

	in = w.input(bot.Event{})
	in.Returned = true
	require.Contains(t, dump(w.apply(conversations.Step(in))), "周报提醒已恢复")
}

// While a check-in question waits for its answer, text that merely starts
// like an away or broadcast command is the answer, and nothing is lost.
func TestAnswersThatLookLikeCommands(t *testing.T) {
	for _, answer := range []string{
		"请假了两天，其余时间在做迁移",
		"Away game prep took most of the week",
		"广播系统的灰度发布完成了",
		"broadcast: the new release notes went out",
		"Feedback from @li on the design was positive",
		"Praise from customers, see ops@acme.com",
	} {
		w := newWorld(t, bot.LocaleZH)
		w.open()
		w.click("开始")
		w.say(answer)
		require.Equal(t, answer, w.round.Answer(store.QuestionDone), answer)
		require.Empty(t, w.person.AwayUntil, answer)
		for _, a := range w.audit {
			require.NotEqual(t, "broadcast.refused", a.Action, answer)
		}
	}
	// Outside a check-in, a bare away word needs a day to be one.
	w := newWorld(t, bot.LocaleEN)
	require.Contains(t, dump(w.say("away game tonight")), "didn't understand")
	require.Empty(t, w.person.AwayUntil)
}

// A feedback command in the middle of a check-in is refused politely, and
// the check-in goes on where it was.
func TestFeedbackWaitsForTheCheckin(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	before := w.state
	out := dump(w.say("feedback @sam"))
	require.Contains(t, out, "Let's finish your check-in first")
	require.Contains(t, out, "question 1 of 6", "and the question is asked again")
	require.Equal(t, before, w.state)
	w.say("Shipped the importer")
	require.Equal(t, "Shipped the importer", w.round.Answer(store.QuestionDone))
}

// A 2-29 without a year is the next 2-29 there is, never the 03-01 after
// a common year's February.
func TestAwayLeapDay(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	out := dump(w.sayToday("away 2/29", "2028-03-01"))
	require.Contains(t, out, "more than a year", "the next 2-29 is 2032's")
	require.Empty(t, w.person.AwayUntil)

	w = newWorld(t, bot.LocaleEN)
	w.sayToday("away 2/29", "2027-03-01")
	require.Equal(t, "2028-02-29", w.person.AwayUntil, "a common year's 2-29 is next year's")

	w = newWorld(t, bot.LocaleEN)
	require.Contains(t, dump(w.sayToday("away until 2/29", "2028-02-29")), "already come", "today's 2-29 is no day to come back")
	require.Empty(t, w.person.AwayUntil)
}
