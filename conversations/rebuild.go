package conversations

import (
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// A dialog state can be lost: Redis restarted without persistence, or the
// state outlived its time to live. Input.Lost says so, and the step then
// runs on what the records still say, so the person's next answer lands on
// the question it answers. What only the state held (a feedback or
// broadcast draft, an answer too long to keep, which summary part was being
// edited) cannot come back; the person is told plainly (see lostNotice).

// rebuild is the state in's records say the person is in: the check-in of
// their round in progress, at its next unanswered item or its review; or,
// for a tap on a voice summary's button, that summary waiting for Confirm,
// Edit or Discard. The zero State when the records say nothing.
func rebuild(in Input) State {
	a, clicked := parseAction(in.Event.Action)
	clicked = clicked && in.Event.Kind == bot.KindAction
	if n := in.Note; clicked && voiceAction(a.Name) && n != nil && n.ID == a.ID &&
		n.PersonID == in.Person.ID && n.Status == store.VoiceReady {
		st := State{Flow: FlowVoice, Seq: a.Seq, Voice: VoiceState{Note: n.ID, Step: StepVoice}}
		if n.Kind != store.VoiceCheckin {
			return st
		}
		if in.Round == nil {
			return State{} // its check-in is not the one loaded: nothing to fill
		}
		st.Flow, st.Checkin = FlowCheckin, CheckinState{RoundID: in.Round.ID}
		return st
	}
	r := in.Round
	if in.Open || r == nil || r.PersonID != in.Person.ID || !resumable(*r) {
		return State{}
	}
	st := State{Flow: FlowCheckin, Seq: int(r.Version), Checkin: CheckinState{RoundID: r.ID, Step: StepReview}}
	if clicked && flows().roundOf(a) == r.ID {
		// A button offered before the loss is taken as current: it
		// still fits only the step the round is at.
		st.Seq = a.Seq
	}
	for i, it := range items(in.Team, in.Goals) {
		if !it.answered(r) {
			st.Checkin.Step, st.Checkin.Item = StepItem, i
			break
		}
	}
	return st
}

// resumable reports whether r is a check-in under way, which a lost state
// is rebuilt into.
func resumable(r store.Round) bool {
	return r.Status == store.StatusInProgress && r.ReviewedAt.IsZero()
}

// VoiceKindLost says what a voice note is for when the dialog state was
// lost: the answers of r, the person's current round, when its check-in is
// under way (as the next step rebuilds it), or else a weekly 3x3 note.
func VoiceKindLost(r store.Round) store.VoiceKind {
	if resumable(r) {
		return store.VoiceCheckin
	}
	return store.VoiceNote3x3
}

// lostNotice tells the person, once, that where they were was lost and
// what to do: when their state was lost, nothing could be rebuilt, and
// what they typed or tapped found no place.
func (c *turn) lostNotice() {
	k := c.in.Event.Kind
	if !c.in.Lost || c.in.State != (State{}) || (k != bot.KindMessage && k != bot.KindAction) {
		return
	}
	if _, other := eventOf(c.in); other {
		return // not the person's doing, as a voice note's result
	}
	c.say(c.t.T("state.lost"))
	if c.res.State == (State{}) {
		// A state is written, so the next event is not taken as lost
		// again and the notice is said once.
		c.res.State.Seq = 1
	}
}
