package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// voiceReady delivers a transcribed note to the conversation, as the engine
// does when the pipeline is done.
func (w *world) voiceReady(n *store.VoiceNote) conversations.Result {
	in := w.input(bot.Event{})
	in.Note, in.NoteReady = n, true
	res := w.apply(conversations.Step(in))
	if w.saved.Note != nil {
		*n = *w.saved.Note
	}
	return res
}

// withNote runs a step with the note loaded, as the engine loads it for the
// note's buttons and while its summary is being edited.
func (w *world) withNote(n *store.VoiceNote, ev bot.Event) conversations.Result {
	in := w.input(ev)
	in.Note = n
	res := w.apply(conversations.Step(in))
	if w.saved.Note != nil {
		*n = *w.saved.Note
	}
	return res
}

func (w *world) clickNote(n *store.VoiceNote, label string) conversations.Result {
	w.t.Helper()
	return w.withNote(n, bot.Event{Kind: bot.KindAction, Action: button(w.t, w.last, label), Ref: "voice-card"})
}

func readyNote(kind store.VoiceKind) *store.VoiceNote {
	return &store.VoiceNote{
		ID: 900, PersonID: 7, Kind: kind, Status: store.VoiceReady,
		Transcript: "this week I finished the billing migration I am blocked by the vendor keys next week I will start the dashboard",
		Summary:    store.VoiceSummary{Done: "finished the billing migration", Blockers: "blocked by the vendor keys", Next: "start the dashboard"},
	}
}

func TestVoiceFillsTheCheckin(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	n := readyNote(store.VoiceCheckin)

	out := dump(w.voiceReady(n))
	require.Equal(t, conversations.StepVoice, w.state.Voice.Step)
	require.Contains(t, out, "Here's what I heard From your voice note: “this week I finished the billing migration")
	require.Contains(t, out, "| Done this week: finished the billing migration | Blockers: blocked by the vendor keys | Plan for next week: start the dashboard")
	require.Contains(t, out, "(Confirm) (Edit) (Discard)")
	require.Empty(t, w.round.Answers, "nothing is saved before it is confirmed")

	out = dump(w.clickNote(n, "Confirm"))
	require.Equal(t, store.VoiceConfirmed, n.Status)
	require.Equal(t, "finished the billing migration", w.round.Answer(store.QuestionDone))
	require.Equal(t, "start the dashboard", w.round.Answer(store.QuestionNext))
	require.Contains(t, out, `(4/6) How far along is "Ship v2"?`, "the check-in carries on after the spoken part")
	require.Equal(t, int64(100), n.RoundID)
}

func TestVoiceEditAPart(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	n := readyNote(store.VoiceCheckin)
	w.voiceReady(n)
	require.Contains(t, dump(w.clickNote(n, "Edit")), "Which part would you like to change? (Done this week) (Blockers) (Plan for next week)")
	require.Contains(t, dump(w.clickNote(n, "Blockers")), "Now it says: blocked by the vendor keys")
	out := dump(w.withNote(n, bot.Event{Kind: bot.KindMessage, Text: "waiting for the API keys"}))
	require.Contains(t, out, "| Blockers: waiting for the API keys")
	require.Equal(t, store.VoiceReady, n.Status, "edited, not yet confirmed")
	require.Empty(t, w.round.Answers)
	w.clickNote(n, "Confirm")
	require.Equal(t, "waiting for the API keys", w.round.Answer(store.QuestionBlockers))
}

func TestVoiceDiscard(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	n := readyNote(store.VoiceCheckin)
	w.voiceReady(n)
	old := button(t, w.last, "Confirm")
	out := dump(w.clickNote(n, "Discard"))
	require.Equal(t, store.VoiceDiscarded, n.Status)
	require.Empty(t, w.round.Answers)
	require.Contains(t, out, "Discarded")
	require.Contains(t, out, "(1/6) What did you get done this week?", "back to where the check-in was")

	// The card's other buttons are spent.
	out = dump(w.withNote(n, bot.Event{Kind: bot.KindAction, Action: old}))
	require.Contains(t, out, "already been used")
	require.Equal(t, store.VoiceDiscarded, n.Status)
}

func TestVoice3x3GoesToTheManager(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.round = nil
	n := readyNote(store.VoiceNote3x3)
	n.Summary = store.VoiceSummary{Win: "closed the Acme deal", Improve: "my estimates", Support: "a second reviewer"}
	require.Equal(t, store.VoiceNote3x3, conversations.VoiceKindFor(w.state))

	out := dump(w.voiceReady(n))
	require.Contains(t, out, "Your weekly 3x3 note From your voice note")
	require.Contains(t, out, "| A win: closed the Acme deal | Something to improve: my estimates")
	out = dump(w.clickNote(n, "Confirm"))
	require.Contains(t, out, "[person 3] Anna 的每周 3x3 小结  | 一项成果: closed the Acme deal | 一项待改进: my estimates | 需要的支持: a second reviewer")
	require.Contains(t, out, "Sent your note to Li Wei.")
	require.Equal(t, conversations.State{}, w.state)
}

func TestVoiceFailureIsExplained(t *testing.T) {
	w := newWorld(t, bot.LocaleZH)
	w.open()
	w.say("签到")
	n := &store.VoiceNote{ID: 901, PersonID: 7, Kind: store.VoiceCheckin, Status: store.VoiceFailed, Error: "too_long"}
	out := dump(w.voiceReady(n))
	require.Contains(t, out, "这条语音太长了")
	require.Contains(t, out, "当前是第 1/6 题", "and where the check-in stands")
	require.Equal(t, conversations.StepItem, w.state.Checkin.Step)
}

func TestVoiceKindFor(t *testing.T) {
	require.Equal(t, store.VoiceCheckin, conversations.VoiceKindFor(conversations.State{Flow: conversations.FlowCheckin, Checkin: conversations.CheckinState{Step: conversations.StepItem}}))
	require.Equal(t, store.VoiceCheckin, conversations.VoiceKindFor(conversations.State{Flow: conversations.FlowCheckin, Checkin: conversations.CheckinState{Step: conversations.StepReview}}))
	require.Equal(t, store.VoiceNote3x3, conversations.VoiceKindFor(conversations.State{Flow: conversations.FlowCheckin, Checkin: conversations.CheckinState{Step: conversations.StepSubmitted}}))
	require.Equal(t, store.VoiceNote3x3, conversations.VoiceKindFor(conversations.State{}))
}
