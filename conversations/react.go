package conversations

import (
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// reactions is Thanks or Let's talk on feedback received.
type reactions struct {
	*turn
	base
}

func (reactions) owns() owns { return owns{actions: []string{actThanks, actTalk}} }

func (c reactions) click(a action) { c.react(a) }

// react is Thanks or Let's talk on feedback received. The feedback is read
// as the person clicking, and only its recipient may answer it; Let's talk
// tells the giver.
func (c reactions) react(a action) {
	f, giver := c.in.Fb.Feedback, c.in.Fb.Peer
	switch {
	case f == nil || f.ID != a.ID:
		c.say(c.t.T("feedback.not_found"))
		return
	case f.RecipientID != c.in.Person.ID:
		c.say(c.t.T("feedback.not_yours"))
		return
	case giver == nil || giver.ID != f.GiverID:
		c.say(c.t.T("feedback.not_found"))
		return
	case f.Reaction != store.ReactionNone:
		c.say(c.t.T("feedback.reacted_already"))
		return
	}
	nf := *f
	nf.ReactedAt = c.in.Now
	label := c.t.T("fb.button.thanks")
	notify := "feedback.thanked"
	if a.Name == actTalk {
		label = c.t.T("fb.button.talk")
		notify = "feedback.talk"
	}
	nf.Reaction = store.ReactionThanks
	if a.Name == actTalk {
		nf.Reaction = store.ReactionTalk
	}
	c.w.feedback = append(c.w.feedback, nf)
	c.fbAudit("feedback.react", "feedback:"+strconv.FormatInt(f.ID, 10), string(nf.Reaction))
	if nf.Kind == store.FeedbackSBI {
		c.replaceClicked(c.receivedCard(c.t, nf, *giver, label))
	} else {
		m := praiseCard(c.t, nf, giver.Name, c.in.Person.Name, false)
		m.Text = strings.TrimSpace(m.Text + "\n\n" + c.t.T("chosen", "Choice", label))
		c.replaceClicked(m)
	}
	c.say(c.t.T(notify+"_done", "Name", giver.Name))
	gt := c.in.Texts.For(giver.Locale)
	c.tell(*giver, bot.Message{Text: gt.T(notify, "Name", c.in.Person.Name, "Date", f.CreatedAt.Format("2006-01-02"))})
}
