package conversations

import (
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// submit stores the round as submitted and sends it where the team wants it.
func (c checkin) submit() {
	if !c.in.Round.ReviewedAt.IsZero() {
		c.say(c.t.T("edit.reviewed", "Period", c.in.Round.Period))
		c.res.State = State{}
		return
	}
	r := c.round()
	updated := r.Status == store.StatusSubmitted
	r.Status = store.StatusSubmitted
	if r.SubmittedAt.IsZero() {
		r.SubmittedAt = c.in.Now
	}
	c.next(StepSubmitted, 0, false)

	action, confirm := "checkin.submit", "submit.done"
	if updated {
		action, confirm = "checkin.edit", "submit.updated"
	}
	c.audit(action, r, "")
	mgr := c.in.Manager
	toManager := mgr != nil && (c.in.Team.ID == 0 || c.in.Team.NotifyManager)
	if toManager {
		c.send(requests{turn: c.turn}.withAskManager(c.t.T(confirm+".manager", "Period", r.Period, "Manager", mgr.Name), r))
		mt := c.in.Texts.For(mgr.Locale)
		c.res.Out = append(c.res.Out, to(mgr.ID, summaryCard(mt, r, c.in.Person, c.in.Team, updated, "")))
	} else {
		c.say(c.t.T(confirm, "Period", r.Period))
	}
	if !updated {
		goals{turn: c.turn}.afterCheckin() // then the key results' new values
	}
	if ch := c.in.Team.Channel; ch.IsChannel() {
		c.res.Out = append(c.res.Out, Outbound{Channel: ch, Message: c.channelCard(r, updated)})
	}
}

// channelCard is a submitted check-in as the team's channel reads it: in
// the person's language (a channel has no one locale), without the mood
// unless the team posts whole check-ins, and nothing to click (reviewing
// is the manager's, from their own copy).
func (c checkin) channelCard(r *store.Round, updated bool) bot.Message {
	shown := *r
	if c.in.Team.ChannelPosts != store.ChannelFull {
		shown.Mood = 0
	}
	m := summaryCard(c.t, &shown, c.in.Person, c.in.Team, updated, "")
	m.Buttons = nil
	return m
}

// summaryCard is a submitted check-in as others read it, in their language
// where the owner's team template has it. reviewer, once set, replaces the
// Mark reviewed button with who reviewed it.
func summaryCard(t i18n.Texts, r *store.Round, owner bot.Person, team store.Team, updated bool, reviewer string) bot.Message {
	title := "summary.title"
	if updated {
		title = "summary.title_updated"
	}
	m := bot.Message{Title: t.T(title, "Name", owner.Name, "Period", r.Period)}
	for _, a := range r.Answers {
		label := a.Question // as the owner read it, when nothing better is known
		switch a.Key {
		case store.QuestionDone, store.QuestionBlockers, store.QuestionNext:
			label = t.T("summary." + a.Key)
		default:
			for _, q := range team.Questions {
				if q.Key == a.Key && team.ID == r.TeamID {
					label = questionText(t, q)
				}
			}
		}
		m.Fields = append(m.Fields, bot.Field{Label: label, Value: orSkipped(t, a.Text)})
	}
	for _, g := range r.Goals {
		m.Fields = append(m.Fields, bot.Field{Label: t.T("summary.goal", "Goal", g.Title), Value: progressLabel(t, g)})
	}
	if r.Mood != 0 {
		m.Fields = append(m.Fields, bot.Field{Label: t.T("summary.mood"), Value: moodLabel(r.Mood)})
	}
	praise := praiseButton(t, r)
	if reviewer != "" {
		m.Text = t.T("summary.reviewed", "Name", reviewer)
		m.Buttons = []bot.Button{praise}
		return m
	}
	review := action{Name: actReview, ID: r.ID}
	m.Buttons = []bot.Button{{Label: t.T("button.mark_reviewed"), Value: review.value(), Style: bot.StylePrimary}, praise}
	return m
}

func orSkipped(t i18n.Texts, text string) string {
	if text == "" {
		return t.T("answer.skipped")
	}
	return text
}

// edit asks item n (1-based) again; 0 shows the review.
func (c checkin) edit(n int) {
	r := c.in.Round
	switch {
	case r == nil || r.Status == store.StatusPending || r.Status == store.StatusSkipped:
		c.say(c.t.T("edit.not_started"))
		return
	case r.Status == store.StatusMissed:
		c.say(c.t.T("checkin.closed", "Period", r.Period))
		return
	case !r.ReviewedAt.IsZero():
		c.say(c.t.T("edit.reviewed", "Period", r.Period))
		return
	}
	total := len(items(c.in.Team, c.in.Goals))
	switch {
	case n == 0:
		c.review("")
	case n > total:
		c.say(c.t.T("edit.range", "Max", total))
	default:
		c.ask(n-1, true)
	}
}
