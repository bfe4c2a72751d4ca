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
	require.Contains(t, dump(res), "already been used")
	require.Empty(t, w.round.Answer(store.QuestionDone), "a stale form changes nothing")
}
