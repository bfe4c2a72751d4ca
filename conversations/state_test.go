package conversations_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// A state written when every flow shared one flat struct (still in Redis
// for up to its time to live) reads as the same place in each flow's own.
func TestDecodeStateWrittenByTheOldCode(t *testing.T) {
	for _, c := range []struct {
		name, raw string
		want      conversations.State
	}{
		{"a check-in question, with a feedback draft kept",
			`{"flow":"checkin","round":100,"step":"item","item":3,"editing":true,"seq":9,"draft":"too long","fb":{"to":8,"s":"At the review"}}`,
			conversations.State{Flow: conversations.FlowCheckin, Seq: 9,
				Checkin: conversations.CheckinState{RoundID: 100, Step: conversations.StepItem, Item: 3, Editing: true, Draft: "too long"},
				Fb:      conversations.Draft{To: 8, Situation: "At the review"}}},
		{"a voice summary in a check-in",
			`{"flow":"checkin","round":100,"step":"voice_part","item":1,"voice":900,"seq":4}`,
			conversations.State{Flow: conversations.FlowCheckin, Seq: 4,
				Checkin: conversations.CheckinState{RoundID: 100},
				Voice:   conversations.VoiceState{Note: 900, Step: conversations.StepVoicePart, Part: 1}}},
		{"a weekly voice note",
			`{"flow":"voice","step":"voice","voice":901,"seq":5}`,
			conversations.State{Flow: conversations.FlowVoice, Seq: 5, Voice: conversations.VoiceState{Note: 901, Step: conversations.StepVoice}}},
		{"an SBI draft",
			`{"flow":"feedback","step":"sbi_part","item":2,"draft":"long","seq":3,"fb":{"to":8,"s":"S","b":"B"}}`,
			conversations.State{Flow: conversations.FlowFeedback, Seq: 3,
				SBI: conversations.SBIState{Step: conversations.StepSBIPart, Item: 2, Draft: "long"},
				Fb:  conversations.Draft{To: 8, Situation: "S", Behavior: "B"}}},
		{"a pick", `{"flow":"pick","draft":"kudos @alex thanks","seq":2}`,
			conversations.State{Flow: conversations.FlowPick, Seq: 2, Pick: conversations.PickState{Text: "kudos @alex thanks"}}},
		{"a broadcast", `{"flow":"broadcast","step":"broadcast_review","draft":"broadcast everyone: hi","seq":6}`,
			conversations.State{Flow: conversations.FlowBroadcast, Seq: 6, Broadcast: conversations.BroadcastState{Text: "broadcast everyone: hi"}}},
		{"a praise note", `{"flow":"praise_note","seq":2,"fb":{"praise":5}}`,
			conversations.State{Flow: conversations.FlowPraiseNote, Seq: 2, Fb: conversations.Draft{Praise: 5}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := conversations.DecodeState([]byte(c.raw))
			require.NoError(t, err)
			require.Equal(t, c.want, got)
			raw, err := got.Encode()
			require.NoError(t, err)
			again, err := conversations.DecodeState(raw)
			require.NoError(t, err)
			require.Equal(t, got, again, "written anew, it reads the same")
			var top map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &top))
			for _, k := range []string{"round", "step", "item", "editing", "draft", "voice"} {
				require.NotContains(t, top, k, "no flat field is written")
			}
		})
	}
}

// A check-in under way when the new code started goes on from the old
// state: the answer lands on the question it was at.
func TestCheckinGoesOnFromAnOldState(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	for _, a := range checkinAnswers[:3] {
		w.say(a)
	}
	st, err := conversations.DecodeState([]byte(`{"flow":"checkin","round":100,"step":"item","item":3,"seq":` +
		strconv.Itoa(w.state.Seq) + `}`))
	require.NoError(t, err)
	w.state = st
	require.Contains(t, dump(w.say("40")), `(5/6) How far along is "Close deals"?`)
	require.Equal(t, []store.GoalProgress{{GoalID: 11, Title: "Ship v2", Value: 40}}, w.round.Goals)
}
