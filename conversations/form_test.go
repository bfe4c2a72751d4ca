package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

func TestFormOnlyWherePlatformsShowThem(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	require.NotContains(t, dump(w.open()), "Answer in a form")

	w = newWorld(t, bot.LocaleEN)
	in := w.input(bot.Event{})
	in.Open, in.Forms = true, true
	require.Contains(t, dump(w.apply(conversations.Step(in))), "(Start) (Answer in a form) (Skip this week)")
}

func TestStaleFormSubmission(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	in := w.input(bot.Event{})
	in.Open, in.Forms = true, true
	w.apply(conversations.Step(in))
	in = w.input(bot.Event{Kind: bot.KindAction, Action: button(t, w.last, "Answer in a form")})
	in.Forms = true
	res := w.apply(conversations.Step(in))
	require.Len(t, res.Out, 1)
	form := res.Out[0].Message.Form
	require.NotNil(t, form)
	require.Equal(t, conversations.StepForm, w.state.Checkin.Step)

	w.say("checkin") // carries on in chat instead
	res = w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{"q_done": "late"}})))
	require.Contains(t, dump(res), "out of date")
	require.Empty(t, w.round.Answer(store.QuestionDone), "a stale form changes nothing")
}

// openedForm opens this week's check-in as a form and returns it.
func openedForm(t *testing.T, w *world, label string) *bot.Form {
	in := w.input(bot.Event{})
	in.Open, in.Forms = true, true
	w.apply(conversations.Step(in))
	in = w.input(bot.Event{Kind: bot.KindAction, Action: button(t, w.last, label)})
	in.Forms = true
	res := w.apply(conversations.Step(in))
	require.NotNil(t, res.Out[0].Message.Form)
	return res.Out[0].Message.Form
}

// A form submitted empty, or half filled in, says what became of it before
// chat asks what it left open.
func TestFormSubmittedEmptySaysSo(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	form := openedForm(t, w, "Answer in a form")
	res := w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{}})))
	require.Equal(t, "The form came back empty, so nothing was saved. Let's go through the questions here instead (or type cancel).",
		res.Out[0].Message.Text, dump(res))
	require.Contains(t, res.Out[1].Message.Text, "(1/6) What did you get done this week?")
	require.Equal(t, 0, w.state.Checkin.Item)

	w = newWorld(t, bot.LocaleZH)
	form = openedForm(t, w, "用表单填写")
	res = w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{
		"q_done": "迁移完成", "mood": "4",
	}})))
	require.Equal(t, "已保存表单里填写的 2 项。还有 4 项没填：我在这里接着问。", res.Out[0].Message.Text, dump(res))
	require.Equal(t, 1, w.state.Checkin.Item, "on to the first one left")

	// All of it: straight to the review, nothing more to say.
	w = newWorld(t, bot.LocaleEN)
	form = openedForm(t, w, "Answer in a form")
	res = w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{
		"q_done": "a", "q_blockers": "b", "q_next": "c", "goal_11": "40", "goal_12": "7", "mood": "4",
	}})))
	require.Len(t, res.Out, 1, dump(res))
	require.Equal(t, conversations.StepReview, w.state.Checkin.Step)
}
