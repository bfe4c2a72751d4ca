package conversations

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Every button perfbot makes is owned by exactly one flow, and a state a
// flow keeps the dialog in has its owner.
func TestRouterOwnsEveryAction(t *testing.T) {
	for _, a := range []string{
		actStart, actSkip, actLater, actMood, actTrim, actSubmit, actEdit, actReview, actForm, actFormOK, actRemindTeam,
		actVoiceConfirm, actVoiceEdit, actVoicePart, actVoiceDiscard, actAck, actBroadcastSend, actBroadcastStop,
		actThanks, actTalk, actPraise, actPraiseValue, actPraiseNote, actReqGive, actReqDecline, actAskManager,
		actBizPraise, actBizSBI, actPick, actSBIChat, actSBIForm, actSBIFormOK, actSBISend, actSBIEdit, actSBICancel, actSBITrim,
	} {
		require.NotNil(t, flows().actions[a], "action %q has no flow", a)
	}
	for _, s := range []string{FlowCheckin, FlowVoice, FlowFeedback, FlowPick, FlowPraiseNote, FlowBroadcast} {
		require.NotNil(t, flows().states[s], "state %q has no flow", s)
	}
	for _, e := range []event{evOpen, evNoteReady, evReturned, evGroup, evVoice, evWeek} {
		require.NotNil(t, flows().events[e], "event %d has no flow", e)
	}
	require.NotNil(t, flows().fallback)
}

// A second flow claiming what one owns is refused when the router is built.
func TestRouterRefusesTwoOwners(t *testing.T) {
	require.PanicsWithValue(t, `conversations: two flows own action review`, func() {
		newRouter(
			func(c *turn) flow { return reviews{turn: c} },
			func(c *turn) flow { return reviews{turn: c} },
		)
	})
	require.Panics(t, func() {
		newRouter(func(c *turn) flow { return checkin{turn: c} }, func(c *turn) flow { return checkin{turn: c} })
	})
}

// A flow registered later only gets what it owns: a new flow owning a new
// action steps it, and the others are untouched.
func TestRouterDispatchesByRegistration(t *testing.T) {
	r := newRouter(append(append([]func(*turn) flow(nil), flows().all...), func(c *turn) flow { return echo{turn: c} })...)
	cat, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	res := r.step(Input{Event: bot.Event{Kind: bot.KindAction, Action: "echo:0:0:hi"}, Texts: cat})
	require.Len(t, res.Out, 1)
	require.Equal(t, "hi", res.Out[0].Message.Text)
	require.Equal(t, []Effect{echoed{"hi"}}, res.Effects, "its own kind of effect, before any audit")
}

// echo is a flow for the test: it owns one action, repeats its arg, and
// audits that with an effect of its own.
type echo struct {
	*turn
	base
}

func (echo) owns() owns { return owns{actions: []string{"echo"}} }

func (c echo) click(a action) {
	c.say(a.Arg)
	c.effect(echoed{a.Arg})
}

type echoed struct{ text string }

func (e echoed) Apply(ctx context.Context, w Writer) error {
	return w.Audit(ctx, store.AuditEntry{Action: "echo", Detail: e.text})
}

// Every command parseCommand may return has its step.
func TestCheckinTakesEveryCommand(t *testing.T) {
	for _, name := range commandWords {
		require.NotNil(t, checkinCommands[name], "command %q", name)
	}
	require.NotNil(t, checkinCommands[cmdNone])
}

// A button's id is a round when the flow owning it says so, and for the
// buttons no flow owns, which go to the check-in.
func TestRoundOf(t *testing.T) {
	for value, want := range map[string]int64{
		"start:5:1": 5, "mood:5:2:4": 5, "review:5:0": 5, "praise:5:0": 5, "askmgr:5:0": 5, "zzz:5:1": 5,
		"vok:5:1": 0, "ack:5:0": 0, "nudgeall:0:0:2026-W48": 0, "rgive:5:0": 0, "sbisend:5:1": 0,
		"fthx:5:0": 0, "pval:5:0": 0, "pick:5:0": 0, "not a button": 0,
	} {
		require.Equal(t, want, RoundOf(value), value)
	}
}
