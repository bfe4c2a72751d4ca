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
	case st.Flow != FlowCheckin || st.RoundID != r.ID || st.Seq != a.Seq:
		if r.Period != c.in.Period {
			c.say(c.t.T("button.old_period", "Period", r.Period))
		} else {
			c.say(c.t.T("button.used"))
		}
		c.where()
		return
	}
	switch {
	case a.Name == actStart && st.Step == StepPrompt:
		c.replaceClicked(c.promptCard(c.t.T("button.start")))
		c.begin()
	case a.Name == actForm && st.Step == StepPrompt:
		c.replaceClicked(c.promptCard(c.t.T("button.form")))
		c.openForm()
	case a.Name == actFormOK && st.Step == StepForm:
		c.formSubmitted()
	case a.Name == actLater && st.Step == StepPrompt:
		c.replaceClicked(c.promptCard(c.t.T("button.later")))
		c.later()
	case a.Name == actSkip && st.Step == StepPrompt:
		c.replaceClicked(c.promptCard(c.t.T("button.skip_week")))
		c.askSkipReason()
	case a.Name == actSkip && st.Step == StepSkipReason && (a.Arg == "leave" || a.Arg == "nothing"):
		c.skipWeek(c.t.T("skip.reason." + a.Arg))
	case a.Name == actMood && st.Step == StepItem:
		if n, ok := parseMood(a.Arg); ok {
			c.replaceClicked(c.askCard(st.Item, moodLabel(n)))
		}
		c.answer(a.Arg)
	case a.Name == actTrim && st.Draft != "":
		cut := string([]rune(st.Draft)[:MaxAnswer])
		if st.Step == StepSkipReason {
			c.skipWeek(cut)
		} else {
			c.answer(cut)
		}
	case a.Name == actSubmit && st.Step == StepReview:
		label := c.t.T("button.submit")
		if r.Status == store.StatusSubmitted {
			label = c.t.T("button.submit_changes")
		}
		c.replaceClicked(c.reviewCard(label))
		c.submit()
	case a.Name == actEdit && st.Step == StepReview:
		n, _ := strconv.Atoi(a.Arg)
		c.replaceClicked(c.reviewCard(c.t.T("button.edit", "N", n)))
		c.edit(n)
	default:
		c.say(c.t.T("button.used"))
		c.where()
	}
}
