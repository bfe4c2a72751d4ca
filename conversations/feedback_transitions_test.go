package conversations_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// atSBIReview is Anna with a complete draft for Sam on the review screen.
func atSBIReview(o *office) {
	o.say(idAnna, "feedback @sam")
	o.say(idAnna, "In Tuesday's sprint review with the payments team")
	o.say(idAnna, "You walked us through the error logs line by line first")
	o.say(idAnna, "We agreed on the root cause in ten minutes flat")
	o.say(idAnna, "skip")
}

func TestFeedbackTransitions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(o *office)
		act   func(o *office) conversations.Result
		check func(t *testing.T, o *office, out string)
	}{
		{"review: Send twice sends once", atSBIReview,
			func(o *office) conversations.Result {
				send := o.lastTo(idAnna).Buttons[0].Value
				o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: send})
				return o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: send})
			},
			func(t *testing.T, o *office, out string) {
				require.Len(t, o.feedback, 1)
				require.Contains(t, out, "That button has already been used.")
			}},
		{"review: typed text is not taken as a part", atSBIReview,
			func(o *office) conversations.Result { return o.say(idAnna, "hmm") },
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "tap Send or Edit")
				require.Equal(t, conversations.StepSBIReview, o.states[idAnna].SBI.Step)
			}},
		{"review: edit the optional suggestion, back to review", atSBIReview,
			func(o *office) conversations.Result {
				o.click(idAnna, "Edit Suggestion")
				return o.say(idAnna, "Please share the log queries in the team wiki")
			},
			func(t *testing.T, o *office, out string) {
				require.Equal(t, conversations.StepSBIReview, o.states[idAnna].SBI.Step)
				require.Contains(t, out, "Suggestion: Please share the log queries in the team wiki")
			}},
		{"review: cancel typed discards", atSBIReview,
			func(o *office) conversations.Result { return o.say(idAnna, "取消") },
			func(t *testing.T, o *office, out string) {
				require.Equal(t, conversations.State{}, o.states[idAnna])
				require.Empty(t, o.feedback)
			}},
		{"part: an empty answer is refused", func(o *office) { o.say(idAnna, "feedback @sam") },
			func(o *office) conversations.Result { return o.say(idAnna, "   ") },
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "That answer is empty")
				require.Equal(t, 0, o.states[idAnna].SBI.Item)
			}},
		{"part: a kudos with @ mid-draft is a command, and the draft stays", func(o *office) { o.say(idAnna, "feedback @sam") },
			func(o *office) conversations.Result { return o.say(idAnna, "kudos @li.wei thanks for the review") },
			func(t *testing.T, o *office, out string) {
				require.Len(t, o.feedback, 1)
				require.Equal(t, conversations.FlowFeedback, o.states[idAnna].Flow)
				require.Equal(t, int64(idSam), o.states[idAnna].Fb.To)
			}},
		{"part: text that only looks like a command is the answer", func(o *office) { o.say(idAnna, "feedback @sam") },
			func(o *office) conversations.Result {
				return o.say(idAnna, "feedback session on Tuesday with the payments team")
			},
			func(t *testing.T, o *office, out string) {
				require.Equal(t, "feedback session on Tuesday with the payments team", o.states[idAnna].Fb.Situation)
			}},
		{"a stale SBI button from another draft", atSBIReview,
			func(o *office) conversations.Result {
				return o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: "sbisend:99:5"})
			},
			func(t *testing.T, o *office, out string) {
				require.Empty(t, o.feedback)
				require.Contains(t, out, "That button has already been used.")
				require.Contains(t, out, "tap Send or Edit")
			}},
		{"react: unknown feedback", nil,
			func(o *office) conversations.Result {
				return o.step(idSam, bot.Event{Kind: bot.KindAction, Action: "fthx:42:0"})
			},
			func(t *testing.T, o *office, out string) { require.Contains(t, out, "can't find that feedback") }},
		{"react: the giver can't thank themselves", func(o *office) { o.say(idAnna, "kudos @sam nice") },
			func(o *office) conversations.Result {
				return o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: "fthx:1:0"})
			},
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "Only the person this feedback was given to")
				require.Equal(t, store.ReactionNone, o.feedback[0].Reaction)
			}},
		{"pick: cancel while picking", func(o *office) { o.say(idAnna, "kudos alex thanks") },
			func(o *office) conversations.Result { return o.say(idAnna, "cancel") },
			func(t *testing.T, o *office, out string) {
				require.Equal(t, conversations.State{}, o.states[idAnna])
				require.Contains(t, out, "Discarded")
			}},
		{"pick: other text reminds what is awaited", func(o *office) { o.say(idAnna, "kudos alex thanks") },
			func(o *office) conversations.Result { return o.say(idAnna, "what?") },
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "Tap the person you meant")
				require.Equal(t, conversations.FlowPick, o.states[idAnna].Flow)
			}},
		{"note: too long is refused, the note step stays", func(o *office) {
			o.rounds[100] = store.Round{ID: 100, PersonID: idAnna, Status: store.StatusSubmitted}
			o.step(idLi, bot.Event{Kind: bot.KindAction, Action: "praise:100:0"})
			o.click(idLi, "添加留言")
		},
			func(o *office) conversations.Result { return o.say(idLi, strings.Repeat("好", 501)) },
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "最多 500 个字")
				require.Equal(t, conversations.FlowPraiseNote, o.states[idLi].Flow)
			}},
		{"request: decline twice", func(o *office) {
			o.say(idAnna, "ask feedback @sam about onboarding")
			o.click(idSam, "Decline")
		},
			func(o *office) conversations.Result {
				return o.step(idSam, bot.Event{Kind: bot.KindAction, Action: "rdecl:1:0"})
			},
			func(t *testing.T, o *office, out string) { require.Contains(t, out, "already declined") }},
		{"request: asking yourself", nil,
			func(o *office) conversations.Result { return o.say(idAnna, "ask feedback @anna") },
			func(t *testing.T, o *office, out string) {
				require.Contains(t, out, "can't ask yourself")
				require.Empty(t, o.requests)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOffice(t)
			if tc.setup != nil {
				tc.setup(o)
			}
			res := tc.act(o)
			tc.check(t, o, dump(res))
		})
	}
}
