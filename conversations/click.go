package conversations

import (
	"strconv"

	"github.com/perfbot/perfbot/bot"
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
			c.where()
			return
		}
		c.outOfDate(a)
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

// outOfDate answers a button on a card a later one superseded (the review
// shown again after an edit, a prompt after Start): nobody used it, it is
// just old. A review card loses its buttons (a used one has none left), and
// the check-in is shown where it stands.
func (c checkin) outOfDate(a action) {
	if a.Name == actSubmit || a.Name == actEdit {
		c.replaceClicked(c.staleCard(c.t.T("review.title", "Period", c.in.Round.Period)))
	}
	c.say(c.t.T("button.stale"))
	from := len(c.res.Out)
	c.showStep()
	c.joinReplies(from)
}

// staleCard is what an out-of-date card becomes: its title, and no buttons.
func (c checkin) staleCard(title string) bot.Message {
	return bot.Message{Title: title, Text: c.t.T("button.stale_card")}
}

// showStep shows the check-in where it stands: the current step's card,
// with buttons that work, or what became of the round.
func (c checkin) showStep() {
	st, r := c.in.State, c.in.Round
	if st.Flow == FlowCheckin && st.Checkin.RoundID == r.ID {
		switch st.Checkin.Step {
		case StepReview:
			c.send(c.reviewCard(""))
			return
		case StepItem:
			c.send(c.askCard(st.Checkin.Item, ""))
			return
		case StepPrompt:
			c.send(c.promptCard(""))
			return
		case StepSkipReason, StepForm:
			c.where()
			return
		}
	} else if st.Flow != "" && st.Flow != FlowCheckin {
		c.where() // in another conversation: that one's step
		return
	}
	switch r.Status {
	case store.StatusSubmitted:
		c.say(c.submittedNote(r))
	case store.StatusSkipped:
		c.say(c.t.T("skip.already", "Period", r.Period))
	case store.StatusMissed:
		c.say(c.t.T("checkin.closed", "Period", r.Period))
	default:
		c.say(c.t.T("where.none"))
	}
}
