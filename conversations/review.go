package conversations

import (
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// reviews is a manager (or HR) marking a submitted check-in reviewed.
type reviews struct {
	*turn
	base
}

func (reviews) owns() owns { return owns{actions: []string{actReview}, rounds: []string{actReview}} }

// markReviewed is a manager's Mark reviewed on a summary.
func (c reviews) click(a action) {
	r, owner, me := c.in.Round, c.in.Owner, c.in.Person
	switch {
	case r == nil || r.ID != a.ID || owner == nil:
		c.say(c.t.T("review.not_found"))
		return
	case owner.ID == me.ID:
		c.say(c.t.T("review.own"))
		return
	case owner.ManagerID != me.ID && !me.Has(bot.RoleHR) && !me.Has(bot.RoleAdmin):
		c.say(c.t.T("review.not_manager", "Name", owner.Name))
		return
	case !r.ReviewedAt.IsZero():
		c.say(c.t.T("review.already", "Name", c.reviewerName(r)))
		c.redrawSummary(r, *owner)
		return
	case r.Status != store.StatusSubmitted:
		c.say(c.t.T("review.not_submitted", "Name", owner.Name))
		return
	}
	nr := c.round()
	nr.ReviewedBy, nr.ReviewedAt = me.ID, c.in.Now
	c.audit("checkin.review", nr, "")
	if c.in.Event.Ref != "" {
		c.replaceClicked(summaryCard(c.t, nr, *owner, c.in.Team, false, me.Name))
	} else {
		c.say(c.t.T("review.done", "Name", owner.Name))
	}
	ot := c.in.Texts.For(owner.Locale)
	c.res.Out = append(c.res.Out, to(owner.ID, bot.Message{Text: ot.T("review.notify", "Manager", me.Name, "Period", nr.Period)}))
}

// reviewerName is who reviewed r, "" while nobody has.
func (c *turn) reviewerName(r *store.Round) string {
	switch {
	case r.ReviewedAt.IsZero():
		return ""
	case c.in.Reviewer != nil:
		return c.in.Reviewer.Name
	}
	return c.t.T("someone")
}

// redrawSummary redraws the check-in card whose button was clicked as it
// stands now. A platform greys a card's buttons while a click is handled;
// the card drawn again has every button that still applies usable.
func (c *turn) redrawSummary(r *store.Round, owner bot.Person) {
	c.replaceClicked(summaryCard(c.t, r, owner, c.in.Team, false, c.reviewerName(r)))
}
