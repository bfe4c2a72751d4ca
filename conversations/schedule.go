package conversations

import (
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// nudge is the scheduler's reminder of a round not yet submitted. Someone
// in the middle of answering is reminded where they are and stays there;
// anyone else gets the prompt again, with a one-tap Start (or Resume).
func (c checkin) nudge() {
	r, st := c.in.Round, c.in.State
	if st.Flow == FlowCheckin && st.Checkin.RoundID == r.ID && st.Active() && st.Checkin.Step != StepPrompt {
		c.say(c.t.T("nudge.midway"))
		c.where()
		return
	}
	c.next(StepPrompt, 0, false)
	m := c.promptCard("")
	m.Title = c.t.T("nudge.title", "Period", r.Period)
	total := len(items(c.in.Team, c.in.Goals))
	if answered := len(r.Answers) + len(r.Goals); r.Status == store.StatusInProgress && answered > 0 {
		m.Text = c.t.T("nudge.text_started", "Name", c.in.Person.Name, "Done", min(answered, total), "Total", total)
		m.Buttons[0].Label = c.t.T("button.resume")
	} else {
		m.Text = c.t.T("nudge.text", "Name", c.in.Person.Name, "Count", total)
	}
	c.send(m)
}

// digests is a manager's deadline digest, and its "remind them".
type digests struct {
	*turn
	base
}

func (digests) owns() owns { return owns{actions: []string{actRemindTeam}} }

func (c digests) click(a action) { c.remindTeam(a.Arg) }

// remindTeam is a manager's "remind them" on a deadline digest: the engine
// reminds those of their reports still missing, and says how many.
func (c digests) remindTeam(period string) {
	if period == "" {
		c.say(c.t.T("button.unknown"))
		return
	}
	c.res.RemindTeam = period
	if c.in.Event.Ref != "" {
		c.send(bot.Message{Replace: c.in.Event.Ref, Text: c.t.T("digest.reminding", "Period", period)})
	}
}

// Digest is the one message a manager gets at the deadline, listing those
// of their reports who have not submitted, with a "remind them" button.
func Digest(t i18n.Texts, period string, missing []bot.Person) bot.Message {
	names := make([]string, len(missing))
	for i, p := range missing {
		names[i] = "• " + p.Name
	}
	remind := action{Name: actRemindTeam, Arg: period}
	return bot.Message{
		Title:   t.T("digest.title", "Period", period),
		Text:    t.T("digest.text", "Count", len(missing)) + "\n" + strings.Join(names, "\n"),
		Buttons: []bot.Button{{Label: t.T("button.remind_them"), Value: remind.value(), Style: bot.StylePrimary}},
	}
}

// TeamReminded tells a manager how many of their reports were reminded
// now, and how many will be in their own working hours.
func TeamReminded(t i18n.Texts, period string, now, later int) bot.Message {
	if now+later == 0 {
		return bot.Message{Text: t.T("digest.reminded_none", "Period", period)}
	}
	text := t.T("digest.reminded", "Count", now+later, "Period", period)
	if later > 0 {
		text += " " + t.T("digest.reminded_later", "Count", later)
	}
	return bot.Message{Text: text}
}

// ReviewReminder asks a manager again to review a check-in that has waited
// too long: the summary, with its Mark reviewed button.
func ReviewReminder(t i18n.Texts, r *store.Round, owner bot.Person, team store.Team, waited time.Duration) bot.Message {
	m := summaryCard(t, r, owner, team, false, "")
	m.Text = strings.TrimSpace(t.T("review.reminder", "Name", owner.Name, "Hours", int(waited.Hours())) + "\n" + m.Text)
	return m
}

// ReviewEscalation tells a manager's manager that a check-in in their part
// of the organisation has waited too long for its review. It names who and
// when, not what the check-in says.
func ReviewEscalation(t i18n.Texts, r *store.Round, owner, manager bot.Person, waited time.Duration) bot.Message {
	return bot.Message{
		Title: t.T("escalation.title"),
		Text: t.T("escalation.text", "Manager", manager.Name, "Name", owner.Name,
			"Period", r.Period, "Hours", int(waited.Hours())),
	}
}
