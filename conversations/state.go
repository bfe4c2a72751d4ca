package conversations

import (
	"encoding/json"
	"fmt"

	"github.com/perfbot/perfbot/internal/store"
)

// Flow names.
const (
	FlowNone    = ""
	FlowCheckin = "checkin"
	// FlowVoice is a voice note outside a check-in: a weekly 3x3 note.
	FlowVoice = "voice"
	// FlowFeedback is an SBI feedback draft being written (sbi.go).
	FlowFeedback = "feedback"
	// FlowPick waits for the person to pick who they meant (mention.go).
	FlowPick = "pick"
	// FlowPraiseNote waits for a note to add to praise just sent (kudos.go).
	FlowPraiseNote = "praise_note"
)

// Steps of the check-in flow.
const (
	StepPrompt     = "prompt"      // offered Start / Skip / Later
	StepSkipReason = "skip_reason" // asked why the week is skipped
	StepItem       = "item"        // asking item CheckinState.Item (a question, a goal or the mood)
	StepReview     = "review"      // showing all answers with Submit and Edit
	StepSubmitted  = "submitted"   // done; edits still possible until reviewed
	StepForm       = "form"        // a form with every question is open
	StepVoice      = "voice"       // a voice note's summary waits for Confirm / Edit / Discard
	StepVoicePart  = "voice_part"  // asked for the new text of summary part VoiceState.Part
)

// State is where a person is in a conversation. It is kept between events by
// the dialog store, and is small on purpose: the answers live in the round.
// Flow names the flow the dialog is in, and each flow keeps its own state in
// its own field; only the feedback draft (Fb) outlives the other flows'
// steps, so a prompt arriving mid-draft loses nothing.
type State struct {
	Flow string `json:"flow,omitempty"`
	// Seq grows with every step; buttons carry it, so an old button is
	// recognised as old.
	Seq int `json:"seq,omitempty"`

	Checkin   CheckinState   `json:"ci,omitzero"`
	Voice     VoiceState     `json:"vn,omitzero"`
	SBI       SBIState       `json:"sbi,omitzero"`
	Pick      PickState      `json:"pick,omitzero"`
	Broadcast BroadcastState `json:"bc,omitzero"`
	Goal      GoalState      `json:"goal,omitzero"`
	// Fb is a feedback draft (see feedback.go).
	Fb Draft `json:"fb,omitzero"`
}

// CheckinState is where the check-in (FlowCheckin) stands.
type CheckinState struct {
	RoundID int64  `json:"round,omitempty"`
	Step    string `json:"step,omitempty"`
	// Item is the 0-based index of the item being asked (see items).
	Item int `json:"item,omitempty"`
	// Editing means the item is asked from the review: answer it, then
	// return to the review.
	Editing bool `json:"editing,omitempty"`
	// Draft keeps an answer that was too long, so nothing is lost while the
	// person shortens it.
	Draft string `json:"draft,omitempty"`
}

// VoiceState is a voice note's summary being confirmed: in FlowVoice, or
// inside FlowCheckin when the note answers the check-in.
type VoiceState struct {
	Note int64  `json:"note,omitempty"`
	Step string `json:"step,omitempty"` // StepVoice or StepVoicePart
	// Part is the summary part being edited, at StepVoicePart.
	Part int `json:"part,omitempty"`
}

// SBIState is where an SBI feedback draft (FlowFeedback) is being
// written; the draft itself is State.Fb.
type SBIState struct {
	Step string `json:"step,omitempty"`
	// Item is the part being asked (see sbiParts).
	Item    int  `json:"item,omitempty"`
	Editing bool `json:"editing,omitempty"`
	// Draft keeps a part that was too long.
	Draft string `json:"draft,omitempty"`
}

// PickState is the feedback command waiting (FlowPick) for the person to
// pick who they meant.
type PickState struct {
	Text string `json:"text,omitempty"`
}

// BroadcastState is the broadcast waiting (FlowBroadcast) for Send.
type BroadcastState struct {
	Text string `json:"text,omitempty"`
}

// Encode serialises s for the dialog store; the zero State encodes to nil.
func (s State) Encode() ([]byte, error) {
	if s == (State{}) {
		return nil, nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("conversations: encode state: %w", err)
	}
	return b, nil
}

// DecodeState reads what Encode wrote; nil is the zero State. A state
// written before each flow had its own (one flat struct, still in Redis
// for up to the state's time to live) reads as the same place.
func DecodeState(b []byte) (State, error) {
	if len(b) == 0 {
		return State{}, nil
	}
	var v struct {
		State
		flat
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return State{}, fmt.Errorf("conversations: decode state: %w", err)
	}
	if v.flat != (flat{}) {
		return v.flat.state(v.State), nil
	}
	return v.State, nil
}

// flat is the fields of the State every flow once shared.
type flat struct {
	RoundID int64  `json:"round,omitempty"`
	Step    string `json:"step,omitempty"`
	Item    int    `json:"item,omitempty"`
	Editing bool   `json:"editing,omitempty"`
	Draft   string `json:"draft,omitempty"`
	Voice   int64  `json:"voice,omitempty"`
}

// state gives f's fields to the flow s.Flow names.
func (f flat) state(s State) State {
	switch s.Flow {
	case FlowCheckin:
		if f.Step == StepVoice || f.Step == StepVoicePart {
			s.Checkin = CheckinState{RoundID: f.RoundID}
			s.Voice = VoiceState{Note: f.Voice, Step: f.Step, Part: f.Item}
			break
		}
		s.Checkin = CheckinState{RoundID: f.RoundID, Step: f.Step, Item: f.Item, Editing: f.Editing, Draft: f.Draft}
	case FlowVoice:
		s.Voice = VoiceState{Note: f.Voice, Step: f.Step, Part: f.Item}
	case FlowFeedback:
		s.SBI = SBIState{Step: f.Step, Item: f.Item, Editing: f.Editing, Draft: f.Draft}
	case FlowPick:
		s.Pick = PickState{Text: f.Draft}
	case FlowBroadcast:
		s.Broadcast = BroadcastState{Text: f.Draft}
	}
	return s
}

// Active reports whether a check-in is under way (not merely submitted), so
// the dialog's round is still the one the person is talking about.
func (s State) Active() bool {
	return s.Flow != FlowNone && s.Flow != FlowBroadcast && s.Checkin.Step != StepSubmitted
}

// VoiceKindFor says what a voice note arriving in state s is for: the
// answers of a check-in under way, or else a weekly 3x3 note.
func VoiceKindFor(s State) store.VoiceKind {
	if s.Flow == FlowCheckin && (s.Checkin.Step == StepItem || s.Checkin.Step == StepReview || s.Voice.Step == StepVoice) {
		return store.VoiceCheckin
	}
	return store.VoiceNote3x3
}
