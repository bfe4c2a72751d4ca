package conversations

import (
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// SBI feedback is written part by part (situation, behavior, impact, an
// optional suggestion), or in one form where the platform shows forms, then
// reviewed with the quality check's advice before it is sent. The draft
// lives in the dialog state, so nothing typed is lost.

// Steps of the SBI flow.
const (
	StepSBIIntro  = "sbi_intro"  // offered step by step / a form
	StepSBIPart   = "sbi_part"   // asking part State.Item
	StepSBIReview = "sbi_review" // showing the draft with Send / Edit / Cancel
	StepSBIForm   = "sbi_form"   // a form with every part is open
)

// MaxPart is the longest part of SBI feedback kept, in characters.
const MaxPart = 1000

// sbi is SBI feedback (situation, behaviour, impact, suggestion) written
// step by step or in a form, reviewed, and sent.
type sbi struct {
	*turn
	base
}

func (sbi) owns() owns {
	return owns{
		actions: append(actionsOf(sbiButtons), actBizSBI),
		states:  []string{FlowFeedback},
	}
}

func (c sbi) click(a action) {
	if a.Name == actBizSBI {
		c.sbiEvent(a)
		return
	}
	c.sbiClick(a)
}

// text takes the part being asked, skip and cancel.
func (c sbi) text(cmd command) bool {
	if c.in.State.Flow != FlowFeedback {
		return false
	}
	switch cmd.Name {
	case cmdCancel:
		return c.cancelDraft(cmd)
	case cmdSkip:
		c.sbiSkip()
	case cmdNone:
		c.sbiText(c.in.Event.Text)
	default:
		return false
	}
	return true
}

func sbiAction(name string) bool {
	switch name {
	case actSBIChat, actSBIForm, actSBIFormOK, actSBISend, actSBIEdit, actSBICancel, actSBITrim:
		return true
	}
	return false
}

func (d *Draft) part(i int) *string {
	switch i {
	case 0:
		return &d.Situation
	case 1:
		return &d.Behavior
	case 2:
		return &d.Impact
	}
	return &d.Suggestion
}

// sbiStart begins feedback for p.
func (c sbi) sbiStart(p bot.Person, d Draft) {
	if p.ID == c.in.Person.ID {
		c.say(c.t.T("sbi.self"))
		return
	}
	if old := c.in.State.Fb; old.Situation+old.Behavior+old.Impact+old.Suggestion != "" {
		if old.To == p.ID && old.Request == d.Request {
			c.sbiResume() // the same draft, picked up again
			return
		}
		// One draft at a time, and a draft is never thrown away unasked.
		c.say(c.t.T("sbi.draft_pending"))
		return
	}
	d.To = p.ID
	intro := c.t.T("sbi.intro", "Name", p.Name)
	if c.in.Forms {
		// The form opens at once where the platform can (a Slack modal from
		// /feedback); where it cannot (no click or command to open it from),
		// the intro with its choices is what the person sees instead.
		m := c.sbiFormMessage(d, p.Name)
		m.Text = intro
		m.Buttons = []bot.Button{
			c.fbButton(actSBIChat, p.ID, "", c.t.T("sbi.button.chat"), bot.StylePrimary),
			c.fbButton(actSBIForm, p.ID, "", c.t.T("button.form"), bot.StyleDefault),
			c.fbButton(actSBICancel, p.ID, "", c.t.T("sbi.button.cancel"), bot.StyleDefault),
		}
		c.send(m)
		return
	}
	c.say(intro)
	c.sbiAsk(d, 0, false)
}

// sbiResume picks an unsent draft up where it stands.
func (c sbi) sbiResume() {
	d := c.in.State.Fb
	c.say(c.t.T("sbi.resume", "Name", c.peerName()))
	for i := range 3 {
		if *d.part(i) == "" {
			c.sbiAsk(d, i, false)
			return
		}
	}
	c.sbiReview(d)
}

func (c sbi) peerName() string {
	if c.in.Fb.Peer != nil {
		return c.in.Fb.Peer.Name
	}
	return c.t.T("someone")
}

// sbiState moves the dialog to step of the SBI flow, with draft d.
func (c sbi) sbiState(step string, item int, editing bool, d Draft) {
	c.fbState(FlowFeedback, d)
	c.res.State.SBI = SBIState{Step: step, Item: item, Editing: editing}
}

// sbiAsk asks part i of d.
func (c sbi) sbiAsk(d Draft, i int, editing bool) {
	c.sbiState(StepSBIPart, i, editing, d)
	text := c.t.T("sbi.ask."+sbiParts[i], "N", i+1)
	if cur := *d.part(i); cur != "" {
		text += "\n" + c.t.T("sbi.current", "Text", bot.Neutralize(cur))
	}
	c.say(text)
}

// sbiText takes typed text in the SBI flow.
func (c sbi) sbiText(text string) {
	st := c.in.State.SBI
	switch st.Step {
	case StepSBIIntro:
		c.sbiAnswer(0, false, text)
	case StepSBIPart:
		c.sbiAnswer(st.Item, st.Editing, text)
	case StepSBIReview:
		c.say(c.t.T("sbi.where.review"))
	default: // StepSBIForm: the form is open; typing goes on in chat
		c.sbiAnswer(firstMissing(c.in.State.Fb), false, text)
	}
}

func firstMissing(d Draft) int {
	for i := range 3 {
		if *d.part(i) == "" {
			return i
		}
	}
	return 3
}

// sbiAnswer keeps text as part i and moves on.
func (c sbi) sbiAnswer(i int, editing bool, text string) {
	d := c.in.State.Fb
	text = strings.TrimSpace(text)
	switch n := runeLen(text); {
	case text == "":
		c.say(c.t.T("answer.empty"))
		return
	case n > MaxPart:
		c.sbiState(StepSBIPart, i, editing, d)
		c.res.State.SBI.Draft = text
		c.send(bot.Message{Text: c.t.T("sbi.too_long", "Count", n, "Max", MaxPart), Buttons: []bot.Button{
			c.fbButton(actSBITrim, d.To, "", c.t.T("button.trim", "Max", MaxPart), bot.StyleDefault),
		}})
		return
	}
	*d.part(i) = text
	c.sbiNext(d, i, editing)
}

// sbiNext goes on after part i: to the next part, or to the review.
func (c sbi) sbiNext(d Draft, i int, editing bool) {
	if editing || i >= 3 {
		c.sbiReview(d)
		return
	}
	c.sbiAsk(d, i+1, false)
}

// sbiSkip skips the optional suggestion; the other parts are needed.
func (c sbi) sbiSkip() {
	if st := c.in.State.SBI; st.Step != StepSBIPart || st.Item != 3 {
		c.say(c.t.T("sbi.needed"))
		return
	}
	d := c.in.State.Fb
	d.Suggestion = ""
	c.sbiReview(d)
}

// sbiReview shows the draft, what the quality check advises, and Send /
// Edit / Cancel.
func (c sbi) sbiReview(d Draft) {
	c.sbiState(StepSBIReview, 0, false, d)
	c.send(c.sbiReviewCard(d, ""))
}

func (c sbi) sbiReviewCard(d Draft, chosen string) bot.Message {
	m := bot.Message{Title: c.t.T("sbi.review.title", "Name", c.peerName()), Fields: sbiFields(c.t.T, d)}
	// The embedded rules are tested to load; were they broken, feedback
	// would go unchecked rather than be stuck.
	sets, err := qualityRules()
	var findings []finding
	if err == nil {
		findings = checkSBI(sets, d)
	}
	send, sendStyle, fix := c.t.T("sbi.button.send"), bot.StylePrimary, ""
	if len(findings) > 0 {
		var lines []string
		for _, f := range findings {
			lines = append(lines, "• "+c.t.T("sbi.rule."+f.Rule, "Part", c.t.T("sbi.part."+f.Part),
				"Match", bot.Neutralize(f.Match), "Hint", c.t.T("sbi.advice."+f.Part)))
		}
		m.Text = c.t.T("sbi.review.advice") + "\n" + strings.Join(lines, "\n")
		// Fixing the first problem is what the card suggests; sending as it
		// is stays possible, less prominent.
		send, sendStyle, fix = c.t.T("sbi.button.send_anyway"), bot.StyleDefault, findings[0].Part
	} else {
		m.Text = c.t.T("sbi.review.ok")
	}
	bs := []bot.Button{c.fbButton(actSBISend, d.To, "", send, sendStyle)}
	for i, p := range sbiParts {
		style := bot.StyleDefault
		if p == fix {
			style = bot.StylePrimary
		}
		bs = append(bs, c.fbButton(actSBIEdit, d.To, strconv.Itoa(i), c.t.T("sbi.button.edit", "Part", c.t.T("sbi.part."+p)), style))
	}
	// Six buttons: WeCom's cap. Cancel may be typed too.
	bs = append(bs, c.fbButton(actSBICancel, d.To, "", c.t.T("sbi.button.cancel"), bot.StyleDanger))
	return c.withButtons(m, chosen, bs...)
}

// sbiFields lists the parts of d as labelled fields, in the reader's words.
func sbiFields(tr func(string, ...any) string, d Draft) []bot.Field {
	var fs []bot.Field
	for i, p := range sbiParts {
		v := *d.part(i)
		if v == "" {
			if i == 3 {
				continue
			}
			v = tr("answer.none")
		}
		fs = append(fs, bot.Field{Label: tr("sbi.part." + p), Value: bot.Neutralize(v)})
	}
	return fs
}

// sbiClick handles the SBI flow's buttons. They name the draft's
// recipient and the step they were offered at.
func (c sbi) sbiClick(a action) {
	st := c.in.State
	if st.Flow != FlowFeedback || st.Seq != a.Seq || st.Fb.To != a.ID {
		c.say(c.t.T("button.used"))
		c.fbWhere()
		return
	}
	press := sbiButtons[buttonAt{a.Name, st.SBI.Step}]
	if press == nil {
		press = sbiButtons[buttonAt{a.Name, ""}]
	}
	if press == nil || !press(c, a) {
		c.say(c.t.T("button.used"))
		c.fbWhere()
	}
}

// sbiButtons step the SBI flow's buttons, each at the steps it is offered
// at ("" for any); a press reports false when it does not fit after all.
var sbiButtons = func() map[buttonAt]func(c sbi, a action) bool {
	chat := func(c sbi, _ action) bool {
		c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("sbi.button.chat"))})
		c.sbiAsk(c.in.State.Fb, 0, false)
		return true
	}
	form := func(c sbi, _ action) bool { c.sbiForm(c.in.State.Fb); return true }
	return map[buttonAt]func(c sbi, a action) bool{
		{actSBIChat, StepSBIIntro}:  chat,
		{actSBIChat, StepSBIForm}:   chat,
		{actSBIForm, StepSBIIntro}:  form,
		{actSBIForm, StepSBIReview}: form,
		{actSBIForm, StepSBIForm}:   form,
		{actSBIFormOK, StepSBIForm}: func(c sbi, _ action) bool {
			d := c.in.State.Fb
			for i, p := range sbiParts {
				v := strings.TrimSpace(c.in.Event.Values[p])
				if r := []rune(v); len(r) > MaxPart {
					v = string(r[:MaxPart]) // the form said so; the platform usually enforces it
				}
				*d.part(i) = v
			}
			c.sbiReview(d)
			return true
		},
		{actSBITrim, StepSBIPart}: func(c sbi, _ action) bool {
			st := c.in.State.SBI
			if st.Draft == "" {
				return false
			}
			d := c.in.State.Fb
			*d.part(st.Item) = string([]rune(st.Draft)[:MaxPart])
			c.sbiNext(d, st.Item, st.Editing)
			return true
		},
		{actSBIEdit, StepSBIReview}: func(c sbi, a action) bool {
			d := c.in.State.Fb
			i, err := strconv.Atoi(a.Arg)
			if err != nil || i < 0 || i >= len(sbiParts) {
				c.say(c.t.T("button.unknown"))
				return true
			}
			c.replaceClicked(c.sbiReviewCard(d, c.t.T("sbi.button.edit", "Part", c.t.T("sbi.part."+sbiParts[i]))))
			c.sbiAsk(d, i, true)
			return true
		},
		{actSBISend, StepSBIReview}: func(c sbi, _ action) bool {
			d := c.in.State.Fb
			c.replaceClicked(c.sbiReviewCard(d, c.t.T("sbi.button.send")))
			c.sbiSend(d)
			return true
		},
		{actSBICancel, ""}: func(c sbi, _ action) bool {
			c.res.State = State{}
			c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("sbi.button.cancel"))})
			c.say(c.t.T("fb.cancelled"))
			return true
		},
	}
}()

// sbiForm opens a form with every part, prefilled with the draft.
func (c sbi) sbiForm(d Draft) {
	m := c.sbiFormMessage(d, c.peerName())
	m.Text = c.t.T("sbi.form.fallback")
	c.send(m)
}

// sbiFormMessage moves to the form step and returns the form, to be sent
// with what to show where it does not open.
func (c sbi) sbiFormMessage(d Draft, name string) bot.Message {
	c.sbiState(StepSBIForm, 0, false, d)
	f := bot.Form{
		Title:  c.t.T("sbi.form.title", "Name", name),
		Submit: c.t.T("sbi.button.review"),
		Value:  c.fbButton(actSBIFormOK, d.To, "", "", bot.StyleDefault).Value,
	}
	for i, p := range sbiParts {
		f.Fields = append(f.Fields, bot.FormField{
			Key: p, Label: c.t.T("sbi.part." + p), Hint: c.t.T("sbi.hint." + p), Value: *d.part(i),
			Multiline: true, Optional: i == 3, MaxLength: MaxPart,
		})
	}
	return bot.Message{Form: &f}
}

// sbiSend saves the feedback, answers the request it was for, and gives it
// to the recipient with Thanks and Let's talk.
func (c sbi) sbiSend(d Draft) {
	p := c.in.Fb.Peer
	if p == nil || p.ID != d.To {
		c.res.State = State{}
		c.say(c.t.T("fb.nobody", "Name", "#"+strconv.FormatInt(d.To, 10)))
		return
	}
	f := store.Feedback{
		Kind: store.FeedbackSBI, GiverID: c.in.Person.ID, RecipientID: p.ID,
		Situation: d.Situation, Behavior: d.Behavior, Impact: d.Impact, Suggestion: d.Suggestion,
		Source: d.Source, CreatedAt: c.in.Now,
	}
	if r := c.in.Fb.Request; r != nil && r.ID == d.Request && r.AskedID == c.in.Person.ID {
		f.RequestID = r.ID
		if r.Open() {
			nr := *r
			nr.AnsweredAt, nr.FeedbackID = c.in.Now, pendingFeedback(0)
			c.w.request = &nr
		}
	}
	c.w.feedback = append(c.w.feedback, f)
	c.res.State = State{}
	c.fbAudit("feedback.sbi", "person:"+strconv.FormatInt(p.ID, 10), "")
	c.say(c.t.T("sbi.sent", "Name", p.Name))
	rt := c.in.Texts.For(p.Locale)
	m := c.receivedCard(rt, f, c.in.Person, "")
	if r := c.in.Fb.Request; f.RequestID != 0 {
		m.Text = strings.TrimSpace(rt.T("sbi.received.request", "About", aboutText(rt, *r)) + "\n" + m.Text)
	}
	c.tell(*p, m)
}

// receivedCard is SBI feedback as its recipient reads it; chosen, once set,
// replaces the Thanks and Let's talk buttons.
func (c *turn) receivedCard(rt i18n.Texts, f store.Feedback, giver bot.Person, chosen string) bot.Message {
	d := Draft{Situation: f.Situation, Behavior: f.Behavior, Impact: f.Impact, Suggestion: f.Suggestion}
	m := bot.Message{Title: rt.T("sbi.received.title", "Name", giver.Name), Fields: sbiFields(rt.T, d)}
	if f.Source != "" {
		m.Text = rt.T("fb.source", "Source", bot.Neutralize(f.Source))
	}
	if chosen != "" {
		m.Text = strings.TrimSpace(m.Text + "\n\n" + rt.T("chosen", "Choice", chosen))
		return m
	}
	id := f.ID
	if id == 0 {
		id = pendingFeedback(0)
	}
	thanks := action{Name: actThanks, ID: id}
	talk := action{Name: actTalk, ID: id}
	m.Buttons = []bot.Button{
		{Label: rt.T("fb.button.thanks"), Value: thanks.value(), Style: bot.StylePrimary},
		{Label: rt.T("fb.button.talk"), Value: talk.value()},
	}
	return m
}

// sbiEvent starts feedback for the person a business event was about.
func (c sbi) sbiEvent(a action) {
	p := c.in.Fb.Peer
	if p == nil || p.ID != a.ID {
		c.say(c.t.T("fb.nobody", "Name", "#"+strconv.FormatInt(a.ID, 10)))
		return
	}
	c.sbiStart(*p, Draft{Source: a.Arg})
}

// stands says where the draft is.
func (c sbi) stands() bool {
	if st := c.in.State.SBI; st.Step == StepSBIPart {
		c.say(c.t.T("sbi.where.part", "Part", c.t.T("sbi.part."+sbiParts[min(st.Item, 3)]), "Name", c.peerName()))
		return true
	}
	c.say(c.t.T("sbi.where.review"))
	return true
}

// fbWhere reminds the person where a feedback flow stands, when one is
// under way (and nothing of a check-in's).
func (c *turn) fbWhere() {
	switch c.in.State.Flow {
	case FlowFeedback, FlowPraiseNote, FlowPick:
		c.where()
	}
}
