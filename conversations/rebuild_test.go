package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// checkinAnswers answer the world's six items in order.
var checkinAnswers = []string{"Shipped the importer", "Waiting on legal", "Start the exporter", "40%", "7", "4"}

// A check-in whose dialog state was lost resumes where the round stands:
// the next answer lands on the question it answers.
func TestLostStateResumesTheCheckin(t *testing.T) {
	for _, c := range []struct {
		name     string
		answered int // items answered before the state was lost
		say      string
		landed   func(t *testing.T, r *store.Round)
		next     string
		step     string
	}{
		{"a question", 1, "Waiting on legal", func(t *testing.T, r *store.Round) {
			require.Equal(t, "Waiting on legal", r.Answer(store.QuestionBlockers))
		}, "(3/6) What is your plan for next week?", conversations.StepItem},
		{"a goal's progress", 3, "40", func(t *testing.T, r *store.Round) {
			require.Equal(t, []store.GoalProgress{{GoalID: 11, Title: "Ship v2", Value: 40}}, r.Goals)
		}, `(5/6) How far along is "Close deals"? (target: 10)`, conversations.StepItem},
		{"a goal with a target", 4, "7", func(t *testing.T, r *store.Round) {
			require.Len(t, r.Goals, 2)
			require.Equal(t, store.GoalProgress{GoalID: 12, Title: "Close deals", Value: 7, Target: 10}, r.Goals[1])
		}, "(6/6) How do you feel about this week?", conversations.StepItem},
		{"the mood", 5, "4", func(t *testing.T, r *store.Round) {
			require.Equal(t, 4, r.Mood)
		}, "Check your answers", conversations.StepReview},
		{"the review", 6, "submit", func(t *testing.T, r *store.Round) {
			require.Equal(t, store.StatusSubmitted, r.Status)
			require.Equal(t, "Waiting on legal", r.Answer(store.QuestionBlockers))
		}, "Submitted your check-in for 2026-W48 and sent it to Li Wei", conversations.StepSubmitted},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, bot.LocaleEN)
			w.open()
			w.click("Start")
			for _, a := range checkinAnswers[:c.answered] {
				w.say(a)
			}
			w.lose()
			out := dump(w.say(c.say))
			require.NotContains(t, out, "didn't understand", out)
			require.Contains(t, out, c.next)
			require.Equal(t, c.step, w.state.Checkin.Step)
			require.Equal(t, w.round.ID, w.state.Checkin.RoundID)
			c.landed(t, w.round)
		})
	}
}

// The check-in completes after the loss, the rebuilt state being written
// back like any other.
func TestLostStateCheckinCompletes(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	w.say(checkinAnswers[0])
	w.lose()
	for _, a := range checkinAnswers[1:] {
		w.say(a)
	}
	require.False(t, w.lost, "the rebuilt state is kept")
	w.click("Submit")
	require.Equal(t, store.StatusSubmitted, w.round.Status)
	for i, k := range []string{store.QuestionDone, store.QuestionBlockers, store.QuestionNext} {
		require.Equal(t, checkinAnswers[i], w.round.Answer(k))
	}
	require.Len(t, w.round.Goals, 2)
	require.Equal(t, 4, w.round.Mood)
}

// A button offered before the loss still works at the step the round is
// at, and only there.
func TestLostStateButtonsStillFit(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	for _, a := range checkinAnswers[:5] {
		w.say(a)
	}
	moodCard := w.last
	w.lose()
	w.last = moodCard
	require.Contains(t, dump(w.click("3 😐")), "Check your answers")
	require.Equal(t, 3, w.round.Mood)

	// The prompt's Start, from before, no longer fits an answered round.
	w2 := newWorld(t, bot.LocaleEN)
	w2.open()
	prompt := w2.last
	w2.click("Start")
	w2.say(checkinAnswers[0])
	w2.lose()
	w2.last = prompt
	out := dump(w2.click("Start"))
	require.Contains(t, out, "That button has already been used")
	require.Contains(t, out, "We're at question 2 of 6: Any blockers?")
}

// A voice summary waiting for Confirm is rebuilt from its note when one of
// its buttons is tapped.
func TestLostStateVoiceSummaryConfirms(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	n := readyNote(store.VoiceCheckin)
	w.voiceReady(n)
	w.lose()
	out := dump(w.clickNote(n, "Confirm"))
	require.Equal(t, store.VoiceConfirmed, n.Status)
	require.Equal(t, "blocked by the vendor keys", w.round.Answer(store.QuestionBlockers))
	require.Contains(t, out, `(4/6) How far along is "Ship v2"?`, "the check-in carries on")
}

// Where nothing can be rebuilt, the person is told plainly what was lost
// and what to do, in their language.
func TestLostStateIsToldPlainly(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open() // the prompt: nothing started, nothing to resume
	w.lose()
	out := dump(w.say("40"))
	require.Contains(t, out, "didn't understand")
	require.Contains(t, out, "I've lost track of it, sorry. Your check-in answers are safe: type checkin to carry on.")
	require.Contains(t, out, "A feedback or announcement draft was not kept: please start it again")
	require.False(t, w.lost, "a state is written once the person was told")
	require.NotContains(t, dump(w.say("40")), "lost track", "told once")

	helped := newWorld(t, bot.LocaleEN)
	helped.lose()
	require.NotContains(t, dump(helped.say("help")), "lost track", "help is no place for it: nothing went amiss")

	zh := newWorld(t, bot.LocaleZH)
	zh.open()
	zh.lose()
	require.Contains(t, dump(zh.say("40")), "我已经丢失了进度，抱歉。你的周报回答都已保存：输入「签到」即可继续。")

	o := newOffice(t)
	o.say(idAnna, "feedback @sam")
	o.say(idAnna, "In Tuesday's sprint review with the payments team")
	o.states[idAnna], o.lost[idAnna] = conversations.State{}, true
	out = dump(o.say(idAnna, "You joined the call at 10:10"))
	require.Contains(t, out, "A feedback or announcement draft was not kept: please start it again (for example feedback @name).")
	require.Empty(t, o.feedback, "nothing half-written was sent")
}

// A state cleared on purpose (cancel) is not a lost one: nothing is
// rebuilt, and no loss is announced.
func TestClearedStateIsNotRebuilt(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	w.say(checkinAnswers[0])
	w.say("cancel")
	require.Equal(t, conversations.State{}, w.state)
	out := dump(w.say("Waiting on legal"))
	require.Contains(t, out, "didn't understand")
	require.NotContains(t, out, "lost track")
	require.Empty(t, w.round.Answer(store.QuestionBlockers))
}
