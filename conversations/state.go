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
	StepItem       = "item"        // asking item State.Item (a question, a goal or the mood)
	StepReview     = "review"      // showing all answers with Submit and Edit
	StepSubmitted  = "submitted"   // done; edits still possible until reviewed
	StepForm       = "form"        // a form with every question is open
	StepVoice      = "voice"       // a voice note's summary waits for Confirm / Edit / Discard
	StepVoicePart  = "voice_part"  // asked for the new text of summary part State.Item
)

// State is where a person is in a conversation. It is kept between events by
// the dialog store, and is small on purpose: the answers live in the round.
type State struct {
	Flow    string `json:"flow,omitempty"`
	RoundID int64  `json:"round,omitempty"`
	Step    string `json:"step,omitempty"`
	// Item is the 0-based index of the item being asked (see items).
	Item int `json:"item,omitempty"`
	// Editing means the item is asked from the review: answer it, then
	// return to the review.
	Editing bool `json:"editing,omitempty"`
	// Seq grows with every step; buttons carry it, so an old button is
	// recognised as old.
	Seq int `json:"seq,omitempty"`
	// Draft keeps an answer that was too long, so nothing is lost while the
	// person shortens it.
	Draft string `json:"draft,omitempty"`
	// Voice is the voice note whose summary is being confirmed.
	Voice int64 `json:"voice,omitempty"`
	// Fb is a feedback draft. It outlives check-in steps, so a prompt
	// arriving mid-draft loses nothing (see feedback.go).
	Fb Draft `json:"fb,omitzero"`
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

// DecodeState reads what Encode wrote; nil is the zero State.
func DecodeState(b []byte) (State, error) {
	var s State
	if len(b) == 0 {
		return s, nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("conversations: decode state: %w", err)
	}
	return s, nil
}

// Active reports whether a check-in is under way (not merely submitted), so
// the dialog's round is still the one the person is talking about.
func (s State) Active() bool {
	return s.Flow != FlowNone && s.Flow != FlowBroadcast && s.Step != StepSubmitted
}

// VoiceKindFor says what a voice note arriving in state s is for: the
// answers of a check-in under way, or else a weekly 3x3 note.
func VoiceKindFor(s State) store.VoiceKind {
	if s.Flow == FlowCheckin && (s.Step == StepItem || s.Step == StepReview || s.Step == StepVoice) {
		return store.VoiceCheckin
	}
	return store.VoiceNote3x3
}
