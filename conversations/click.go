package conversations

import (
	"strconv"

	"github.com/perfbot/perfbot/internal/store"
)

// click steps the check-in's buttons. A button names its round and the
// step it was offered at; one that no longer fits gets a polite reply and
// changes nothing.
func (c checkin) click(a action) {
	r, st := c.in.Round, c.in.State
	switch {
	case r == nil || r.ID != a.ID || r.PersonID != c.in.Person.ID:
		c.say(c.t.T("button.unknown"))
		c.where()
		return
	case st.Flow != FlowCheckin || st.Checkin.RoundID != r.ID || st.Seq != a.Seq:
		if r.Period != c.in.Period {
			c.say(c.t.T("button.old_period", "Period", r.Period))
		} else {
			c.say(c.t.T("button.used"))
		}
		c.where()
		return
	}
	press := checkinButtons[buttonAt{a.Name, st.Checkin.Step}]
	if press == nil {
		press = checkinButtons[buttonAt{a.Name, ""}]
	}
	if press == nil || !press(c, a) {
		c.say(c.t.T("button.used"))
		c.where()
	}
}

// buttonAt is a button action and the step it fits ("" for any).
type buttonAt struct{ name, step string }

// checkinButtons step the check-in's buttons, each at the step it was
// offered at. A press reports false when the button does not fit after
// all.
var checkinButtons = map[buttonAt]func(c checkin, a action) bool{
	{actStart, StepPrompt}: func(c checkin, _ action) bool {
		c.replaceClicked(c.promptCard(c.t.T("button.start")))
		c.begin()
		return true
	},
	{actForm, StepPrompt}: func(c checkin, _ action) bool {
		c.replaceClicked(c.promptCard(c.t.T("button.form")))
		c.openForm()
		return true
	},
	{actFormOK, StepForm}: func(c checkin, _ action) bool { c.formSubmitted(); return true },
	{actLater, StepPrompt}: func(c checkin, _ action) bool {
		c.replaceClicked(c.promptCard(c.t.T("button.later")))
		c.later()
		return true
	},
	{actSkip, StepPrompt}: func(c checkin, _ action) bool {
		c.replaceClicked(c.promptCard(c.t.T("button.skip_week")))
		c.askSkipReason()
		return true
	},
	{actSkip, StepSkipReason}: func(c checkin, a action) bool {
		if a.Arg != "leave" && a.Arg != "nothing" {
			return false
		}
		c.skipWeek(c.t.T("skip.reason." + a.Arg))
		return true
	},
	{actMood, StepItem}: func(c checkin, a action) bool {
		if n, ok := parseMood(a.Arg); ok {
			c.replaceClicked(c.askCard(c.in.State.Checkin.Item, moodLabel(n)))
		}
		c.answer(a.Arg)
		return true
	},
	// Trim keeps the first MaxAnswer characters of an answer that was too
	// long, at whichever step asked for it.
	{actTrim, ""}: func(c checkin, _ action) bool {
		st := c.in.State.Checkin
		if st.Draft == "" {
			return false
		}
		cut := string([]rune(st.Draft)[:MaxAnswer])
		if st.Step == StepSkipReason {
			c.skipWeek(cut)
		} else {
			c.answer(cut)
		}
		return true
	},
	{actSubmit, StepReview}: func(c checkin, _ action) bool {
		label := c.t.T("button.submit")
		if c.in.Round.Status == store.StatusSubmitted {
			label = c.t.T("button.submit_changes")
		}
		c.replaceClicked(c.reviewCard(label))
		c.submit()
		return true
	},
	{actEdit, StepReview}: func(c checkin, a action) bool {
		n, _ := strconv.Atoi(a.Arg)
		c.replaceClicked(c.reviewCard(c.t.T("button.edit", "N", n)))
		c.edit(n)
		return true
	},
}
