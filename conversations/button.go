package conversations

import (
	"fmt"
	"strconv"
	"strings"
)

// Button actions. A value is "action:round:seq[:arg]", short because
// platforms limit it (WeCom keys to 1024 bytes, DingTalk less in practice).
const (
	actStart  = "start"
	actSkip   = "skip"
	actLater  = "later"
	actMood   = "mood"
	actTrim   = "trim"
	actSubmit = "submit"
	actEdit   = "edit"
	actReview = "review" // a manager marks a round reviewed; seq is unused
	actForm   = "form"   // answer in a form, where the platform shows forms
	actFormOK = "fsub"   // the form was submitted
	// actRemindTeam is a manager's "remind them" on a deadline digest; the
	// id is unused and the arg is the period.
	actRemindTeam = "nudgeall"

	// Voice note actions: the id is the note's.
	actVoiceConfirm = "vok"
	actVoiceEdit    = "vedit"
	actVoicePart    = "vpart"
	actVoiceDiscard = "vdrop"
)

// voiceAction reports whether a button is about a voice note.
func voiceAction(name string) bool {
	switch name {
	case actVoiceConfirm, actVoiceEdit, actVoicePart, actVoiceDiscard:
		return true
	}
	return false
}

type action struct {
	Name string
	ID   int64 // the round, or for voice actions the voice note
	Seq  int
	Arg  string
}

func (a action) value() string {
	v := fmt.Sprintf("%s:%d:%d", a.Name, a.ID, a.Seq)
	if a.Arg != "" {
		v += ":" + a.Arg
	}
	return v
}

func parseAction(v string) (action, bool) {
	parts := strings.SplitN(v, ":", 4)
	if len(parts) < 3 {
		return action{}, false
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	seq, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || parts[0] == "" {
		return action{}, false
	}
	a := action{Name: parts[0], ID: id, Seq: seq}
	if len(parts) == 4 {
		a.Arg = parts[3]
	}
	return a, true
}

// RoundOf returns the round a button value is about, so Load can read
// it before the step; 0 when the value names none.
func RoundOf(value string) int64 {
	a, ok := parseAction(value)
	if !ok {
		return 0
	}
	return flows().roundOf(a)
}

// voiceOf returns the voice note a button value is about; 0 when none.
func voiceOf(value string) int64 {
	a, ok := parseAction(value)
	if !ok || !voiceAction(a.Name) {
		return 0
	}
	return a.ID
}
