package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
)

func (w *world) sayToday(text, today string) conversations.Result {
	in := w.input(bot.Event{Kind: bot.KindMessage, Text: text})
	in.Today = today
	res := conversations.Step(in)
	if res.Person != nil {
		w.person = *res.Person
	}
	return w.apply(res)
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
