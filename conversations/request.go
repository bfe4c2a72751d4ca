package conversations

import (
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Feedback requests: "ask feedback @li about the demo", or Ask my manager
// on a submitted check-in. The asked person gets Give feedback (the SBI
// flow, linked to the request) and Decline. The scheduler reminds them and
// then tells their manager (RequestReminder, RequestEscalation); when is
// its decision.

// MaxAbout is the longest request topic kept, in characters.
const MaxAbout = 300

// requests is feedback asked for: by command, or of one's manager under a
// check-in; given (through sbi) or declined.
type requests struct {
	*turn
	base
}

func (requests) owns() owns {
	return owns{
		actions: []string{actAskManager, actReqGive, actReqDecline},
		rounds:  []string{actAskManager}, // the check-in feedback is asked on
	}
}

func (c requests) click(a action) {
	if a.Name == actAskManager {
		c.askManager(a)
		return
	}
	c.answerRequest(a)
}

// askFeedback asks p for feedback about about.
func (c requests) askFeedback(p bot.Person, about string, roundID int64) {
	if p.ID == c.in.Person.ID {
		c.say(c.t.T("request.self"))
		return
	}
	if n := runeLen(about); n > MaxAbout {
		c.sayKept(c.t.T("request.too_long", "Count", n, "Max", MaxAbout), about)
		return
	}
	r := store.FeedbackRequest{RequesterID: c.in.Person.ID, AskedID: p.ID, About: strings.TrimSpace(about), RoundID: roundID, CreatedAt: c.in.Now}
	c.w.request = &r
	c.fbAudit("feedback.request", "person:"+strconv.FormatInt(p.ID, 10), r.About)
	c.say(c.t.T("request.sent", "Name", p.Name))
	c.tell(p, requestCard(c.in.Texts.For(p.Locale), r, c.in.Person, false))
}

// askManager is Ask my manager for feedback on a submitted check-in.
func (c requests) askManager(a action) {
	r, mgr := c.in.Round, c.in.Manager
	switch {
	case r == nil || r.ID != a.ID || r.PersonID != c.in.Person.ID:
		c.say(c.t.T("button.unknown"))
		return
	case mgr == nil:
		c.say(c.t.T("request.no_manager"))
		return
	case c.in.Fb.RoundRequest != nil && c.in.Fb.RoundRequest.RoundID == r.ID && c.in.Fb.RoundRequest.Open():
		c.say(c.t.T("request.already", "Name", mgr.Name))
		return
	}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("request.button.ask_manager"))})
	// The period, not a sentence: each reader reads it in their language.
	c.askFeedback(*mgr, r.Period, r.ID)
}

// requestCard is a request as the asked person reads it: Give feedback and
// Decline, or, for a reminder, the same with a nudge.
func requestCard(t i18n.Texts, r store.FeedbackRequest, requester bot.Person, reminder bool) bot.Message {
	id := r.ID
	if id == 0 {
		id = pendingRequest
	}
	about := aboutText(t, r)
	title := "request.title"
	if reminder {
		title = "request.reminder"
	}
	give, decline := action{Name: actReqGive, ID: id}, action{Name: actReqDecline, ID: id}
	return bot.Message{
		Title: t.T(title, "Name", requester.Name),
		Text:  t.T("request.text", "Name", requester.Name, "About", about),
		Buttons: []bot.Button{
			{Label: t.T("request.button.give"), Value: give.value(), Style: bot.StylePrimary},
			{Label: t.T("request.button.decline"), Value: decline.value()},
		},
	}
}

// answerRequest is Give feedback or Decline on a request, read as the
// person clicking: only the asked person may answer it.
func (c requests) answerRequest(a action) {
	r, requester := c.in.Fb.Request, c.in.Fb.Peer
	switch {
	case r == nil || r.ID != a.ID:
		c.say(c.t.T("request.not_found"))
		return
	case r.AskedID != c.in.Person.ID:
		c.say(c.t.T("request.not_yours"))
		return
	case requester == nil || requester.ID != r.RequesterID:
		c.say(c.t.T("request.not_found"))
		return
	case r.Declined:
		c.say(c.t.T("request.declined_already"))
		return
	case !r.AnsweredAt.IsZero():
		c.say(c.t.T("request.answered_already"))
		return
	}
	if a.Name == actReqGive {
		c.replaceClicked(c.chosenRequest(*r, *requester, "request.button.give"))
		sbi{turn: c.turn}.sbiStart(*requester, Draft{Request: r.ID})
		return
	}
	nr := *r
	nr.Declined = true
	c.w.request = &nr
	c.fbAudit("feedback.request_decline", "request:"+strconv.FormatInt(r.ID, 10), "")
	c.replaceClicked(c.chosenRequest(*r, *requester, "request.button.decline"))
	c.say(c.t.T("request.declined", "Name", requester.Name))
	rt := c.in.Texts.For(requester.Locale)
	c.tell(*requester, bot.Message{Text: rt.T("request.declined_notify", "Name", c.in.Person.Name, "About", aboutText(rt, *r))})
}

func (c requests) chosenRequest(r store.FeedbackRequest, requester bot.Person, button string) bot.Message {
	m := requestCard(c.t, r, requester, false)
	m.Buttons = nil
	m.Text += "\n\n" + c.t.T("chosen", "Choice", c.t.T(button))
	return m
}

// aboutText is what a request is about, in the reader's words: one about a
// check-in names its period in the reader's language.
func aboutText(t i18n.Texts, r store.FeedbackRequest) string {
	switch {
	case r.RoundID != 0 && period.Valid(r.About):
		return t.T("request.about_checkin", "Period", r.About)
	case r.About == "":
		return t.T("request.about_anything")
	}
	return bot.Neutralize(r.About)
}

// RequestReminder reminds the asked person of an open request.
func RequestReminder(cat *i18n.Catalog, r store.FeedbackRequest, requester, asked bot.Person) Outbound {
	return to(asked.ID, requestCard(cat.For(asked.Locale), r, requester, true))
}

// RequestEscalation tells the asked person's manager that a request waits.
// It has no buttons: answering is the asked person's. It says who and
// since when, not what about: the manager may not read the request itself.
func RequestEscalation(cat *i18n.Catalog, r store.FeedbackRequest, requester, asked, manager bot.Person) Outbound {
	t := cat.For(manager.Locale)
	return to(manager.ID, bot.Message{
		Title: t.T("request.escalation_title"),
		Text:  t.T("request.escalation", "Name", asked.Name, "Requester", requester.Name, "Since", r.CreatedAt.Format("2006-01-02")),
	})
}

// maxSource bounds the business event a button carries, as platforms
// bound a button's value.
const maxSource = 80

// BusinessEventCard prompts manager to praise or give feedback to subject
// for a business event (a deal won, an incident resolved).
func BusinessEventCard(cat *i18n.Catalog, subject, manager bot.Person, kind, title, url string) Outbound {
	t := cat.For(manager.Locale)
	// The record keeps the kind as sent; the manager reads the kinds
	// perfbot knows in their own language.
	source, shown := kind, kind
	if key := eventkind.LabelKey(kind); t.T(key) != key {
		shown = t.T(key)
	}
	if title != "" {
		source += " — " + title
		shown += " — " + title
	}
	if r := []rune(source); len(r) > maxSource {
		source = string(r[:maxSource-1]) + "…"
	}
	text := subject.Name + ": " + bot.Neutralize(shown)
	if url != "" {
		text += "\n" + bot.Neutralize(url)
	}
	praise := action{Name: actBizPraise, ID: subject.ID, Arg: source}
	sbi := action{Name: actBizSBI, ID: subject.ID, Arg: source}
	return to(manager.ID, bot.Message{
		Title: t.T("event.title", "Name", subject.Name),
		Text:  text + "\n\n" + t.T("event.text"),
		Buttons: []bot.Button{
			{Label: t.T("event.button.praise"), Value: praise.value(), Style: bot.StylePrimary},
			{Label: t.T("event.button.feedback"), Value: sbi.value()},
		},
	})
}

// withAskManager offers, under a submitted check-in's confirmation, to ask
// the manager for feedback on it.
func (c requests) withAskManager(text string, r *store.Round) bot.Message {
	a := action{Name: actAskManager, ID: r.ID}
	return bot.Message{Text: text, Buttons: []bot.Button{{Label: c.t.T("request.button.ask_manager"), Value: a.value()}}}
}
