package conversations

import (
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Praise: "kudos @ann @bo great demo #teamwork" from anyone, or one tap on
// a check-in summary or a business event. Each recipient gets a point from
// the giver's monthly allowance, within a daily cap; nobody praises
// themselves. Public praise is posted to the recipient's team channel when
// the team turned its praise feed on.

// MaxNote is the longest praise note kept, in characters.
const MaxNote = 500

// kudos is praise: given by command or from a check-in summary or a
// business event, tagged with a value, a note added after, the
// leaderboard.
type kudos struct {
	*turn
	base
}

func (kudos) owns() owns {
	return owns{
		actions: []string{actPraise, actPraiseValue, actPraiseNote, actBizPraise},
		rounds:  []string{actPraise}, // the check-in praised
		states:  []string{FlowPraiseNote},
	}
}

func (c kudos) click(a action) {
	switch a.Name {
	case actPraise:
		c.praiseRound(a)
	case actBizPraise:
		c.praiseEvent(a)
	default:
		c.praiseMore(a)
	}
}

// text takes the note added to praise just sent, and cancel.
func (c kudos) text(cmd command) bool {
	if c.in.State.Flow != FlowPraiseNote {
		return false
	}
	if cmd.Name == cmdNone {
		c.praiseNote(c.in.Event.Text)
		return true
	}
	return c.cancelDraft(cmd)
}

func (c kudos) stands() bool {
	c.say(c.t.T("kudos.where.note"))
	return true
}

// kudos sends typed praise to people.
func (c kudos) kudos(people []bot.Person, fc fbCommand) {
	me := c.in.Person
	var to []bot.Person
	for _, p := range people {
		if p.ID != me.ID {
			to = append(to, p)
		}
	}
	if len(to) == 0 {
		c.say(c.t.T("kudos.self"))
		return
	}
	if n := runeLen(fc.text); n > MaxNote {
		c.sayKept(c.t.T("kudos.too_long", "Count", n, "Max", MaxNote), fc.raw)
		return
	}
	if problem := c.allowance(len(to)); problem != "" {
		c.sayKept(problem, fc.raw)
		return
	}
	value, unknown := c.matchValue(fc.tags)
	text := fc.text
	if unknown != "" {
		text = strings.TrimSpace(text + " #" + unknown) // not a company value: part of the note
	}
	var names []string
	for _, p := range to {
		c.givePraise(p, store.Feedback{Text: text, Value: value, Points: 1})
		names = append(names, p.Name)
	}
	if len(to) < len(people) {
		c.say(c.t.T("kudos.self_skipped"))
	}
	c.say(c.t.T("kudos.sent", "Names", strings.Join(names, c.t.T("list.sep")), "Left", c.left()-len(to)))
}

// left is what the person may still give this month.
func (c kudos) left() int { return max(c.in.Fb.Config.Allowance-c.in.Fb.Given.Month, 0) }

// allowance says why n more points cannot be given, or "".
func (c kudos) allowance(n int) string {
	cfg, g := c.in.Fb.Config, c.in.Fb.Given
	switch {
	case g.Month+n > cfg.Allowance:
		return c.t.T("kudos.allowance", "Left", c.left(), "Allowance", cfg.Allowance)
	case g.Today+n > cfg.DailyCap:
		return c.t.T("kudos.daily_cap", "Cap", cfg.DailyCap, "Left", max(cfg.DailyCap-g.Today, 0))
	}
	return ""
}

// matchValue finds the company value a hashtag names; unknown is the
// first tag that names none.
func (c kudos) matchValue(tags []string) (value, unknown string) {
	for _, tag := range tags {
		if v, ok := findValue(c.in.Fb.Config.Values, tag); ok {
			if value == "" {
				value = v
			}
		} else if unknown == "" {
			unknown = tag
		}
	}
	return value, unknown
}

// findValue matches a tag to a value in any of its languages, ignoring
// case, spaces, dashes and underscores.
func findValue(values []string, tag string) (string, bool) {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s))
	}
	for _, v := range values {
		for name := range strings.SplitSeq(v, "/") {
			if norm(name) == norm(tag) {
				return v, true
			}
		}
	}
	return "", false
}

// givePraise records praise f for p and tells p, and p's team channel when
// praise is public.
func (c kudos) givePraise(p bot.Person, f store.Feedback) {
	f.Kind, f.GiverID, f.RecipientID, f.CreatedAt = store.FeedbackPraise, c.in.Person.ID, p.ID, c.in.Now
	f.Public = c.in.Fb.Config.Feed
	i := len(c.w.feedback)
	c.w.feedback = append(c.w.feedback, f)
	c.fbAudit("feedback.praise", "person:"+strconv.FormatInt(p.ID, 10), f.Value)
	rt := c.in.Texts.For(p.Locale)
	m := praiseCard(rt, f, c.in.Person.Name, p.Name, false)
	thanks := action{Name: actThanks, ID: pendingFeedback(i)}
	m.Buttons = []bot.Button{{Label: rt.T("fb.button.thanks"), Value: thanks.value(), Style: bot.StylePrimary}}
	c.tell(p, m)
	if team, ok := c.in.Fb.Teams[p.TeamID]; ok && f.Public && team.PraiseFeed && team.Channel.IsChannel() {
		c.res.Out = append(c.res.Out, Outbound{Channel: team.Channel, Message: praiseCard(rt, f, c.in.Person.Name, p.Name, true)})
	}
}

// praiseCard is praise as its recipient, or the team feed, reads it.
func praiseCard(t i18n.Texts, f store.Feedback, giver, recipient string, feed bool) bot.Message {
	title := t.T("kudos.received", "Name", giver)
	if feed {
		title = t.T("kudos.feed", "Giver", giver, "Name", recipient)
	}
	m := bot.Message{Title: title, Text: bot.Neutralize(f.Text)}
	if f.Value != "" {
		m.Fields = append(m.Fields, bot.Field{Label: t.T("kudos.value"), Value: f.Value})
	}
	if f.Points > 0 {
		m.Fields = append(m.Fields, bot.Field{Label: t.T("kudos.points"), Value: "+" + strconv.Itoa(f.Points)})
	}
	if f.Source != "" {
		m.Fields = append(m.Fields, bot.Field{Label: t.T("kudos.for"), Value: bot.Neutralize(f.Source)})
	}
	return m
}

// praiseRound is one tap on Praise under a check-in summary: praise for
// its owner, read as the person tapping, so only who may see the check-in
// can.
func (c kudos) praiseRound(a action) {
	r, owner := c.in.Round, c.in.Owner
	if r != nil && r.ID == a.ID && r.PersonID == c.in.Person.ID {
		c.say(c.t.T("kudos.self"))
		return
	}
	if r == nil || r.ID != a.ID || owner == nil {
		c.say(c.t.T("review.not_found"))
		return
	}
	if p := c.in.Fb.RoundPraise; p != nil && p.RoundID == r.ID && p.RecipientID == owner.ID {
		c.say(c.t.T("kudos.already", "Name", owner.Name))
	} else {
		c.praiseTap(*owner, store.Feedback{RoundID: r.ID})
	}
	c.redrawSummary(r, *owner)
}

// praiseEvent is one tap on Praise under a business event.
func (c kudos) praiseEvent(a action) {
	p := c.in.Fb.Peer
	if p == nil || p.ID != a.ID {
		c.say(c.t.T("fb.nobody", "Name", "#"+strconv.FormatInt(a.ID, 10)))
		return
	}
	c.praiseTap(*p, store.Feedback{Source: a.Arg})
}

// praiseTap sends one-tap praise to p, with a point if the allowance has
// one left, and offers to add a value or a note.
func (c kudos) praiseTap(p bot.Person, f store.Feedback) {
	if p.ID == c.in.Person.ID {
		c.say(c.t.T("kudos.self"))
		return
	}
	if c.allowance(1) == "" {
		f.Points = 1
	}
	c.givePraise(p, f)
	text := c.t.T("kudos.tapped", "Name", p.Name, "Left", c.left()-f.Points)
	if f.Points == 0 {
		text = c.t.T("kudos.tapped_no_points", "Name", p.Name)
	}
	id := pendingFeedback(len(c.w.feedback) - 1)
	var bs []bot.Button
	for i, v := range c.in.Fb.Config.Values[:min(len(c.in.Fb.Config.Values), 5)] {
		bs = append(bs, c.fbButton(actPraiseValue, id, strconv.Itoa(i), "#"+valueName(v, c.t.Locale()), bot.StyleDefault))
	}
	bs = append(bs, c.fbButton(actPraiseNote, id, "", c.t.T("kudos.button.note"), bot.StylePrimary))
	c.send(bot.Message{Text: text + "\n" + c.t.T("kudos.more"), Buttons: bs})
}

// valueName is a value's name in locale: its Chinese name for zh-CN when
// it has one (a name with Han characters), else its first.
func valueName(v, locale string) string {
	names := strings.Split(v, "/")
	for _, n := range names {
		if locale == bot.LocaleZH && hasHan(n) {
			return strings.TrimSpace(n)
		}
	}
	return strings.TrimSpace(names[0])
}

// praiseMore adds a value (one tap) or a note (typed next) to praise the
// person just gave.
func (c kudos) praiseMore(a action) {
	f := c.in.Fb.Feedback
	if f == nil || f.ID != a.ID || f.GiverID != c.in.Person.ID || f.Kind != store.FeedbackPraise {
		c.say(c.t.T("feedback.not_found"))
		return
	}
	if a.Name == actPraiseNote {
		c.fbState(FlowPraiseNote, Draft{Praise: f.ID})
		c.say(c.t.T("kudos.ask_note", "Max", MaxNote))
		return
	}
	i, err := strconv.Atoi(a.Arg)
	vs := c.in.Fb.Config.Values
	if err != nil || i < 0 || i >= len(vs) {
		c.say(c.t.T("button.unknown"))
		return
	}
	nf := *f
	nf.Value = vs[i]
	c.amendPraise(nf, c.t.T("kudos.value_added", "Value", valueName(vs[i], c.t.Locale())))
}

// praiseNote adds the typed note to praise just given.
func (c kudos) praiseNote(text string) {
	f := c.in.Fb.Feedback
	text = strings.TrimSpace(text)
	switch n := runeLen(text); {
	case f == nil || f.ID != c.in.State.Fb.Praise || f.GiverID != c.in.Person.ID:
		c.res.State = State{}
		c.say(c.t.T("feedback.not_found"))
		return
	case text == "":
		c.say(c.t.T("answer.empty"))
		return
	case n > MaxNote:
		c.sayKept(c.t.T("kudos.too_long", "Count", n, "Max", MaxNote), text)
		return
	}
	nf := *f
	nf.Text = strings.TrimSpace(nf.Text + "\n" + text)
	c.res.State = State{}
	c.amendPraise(nf, c.t.T("kudos.note_added"))
}

// amendPraise saves changed praise and shows the recipient the new card.
func (c kudos) amendPraise(f store.Feedback, confirm string) {
	c.w.feedback = append(c.w.feedback, f)
	c.fbAudit("feedback.praise_amend", "feedback:"+strconv.FormatInt(f.ID, 10), f.Value)
	c.say(confirm)
	if p := c.in.Fb.Peer; p != nil && p.ID == f.RecipientID {
		rt := c.in.Texts.For(p.Locale)
		m := praiseCard(rt, f, c.in.Person.Name, p.Name, false)
		m.Title = rt.T("kudos.amended", "Name", c.in.Person.Name)
		c.tell(*p, m)
	}
}

// leaderboard shows this month's top receivers of praise points.
func (c kudos) leaderboard() {
	ls := c.in.Fb.Leaders
	if len(ls) == 0 {
		c.say(c.t.T("kudos.board.empty"))
		return
	}
	m := bot.Message{Title: c.t.T("kudos.board.title", "Month", month(c.in))}
	for i, l := range ls {
		m.Fields = append(m.Fields, bot.Field{Label: strconv.Itoa(i+1) + ". " + l.Name, Value: c.t.T("kudos.board.points", "Count", l.Points)})
	}
	c.send(m)
}

// month is the person's current month, "2026-11".
func month(in Input) string {
	if len(in.Today) >= 7 {
		return in.Today[:7]
	}
	return in.Now.Format("2006-01")
}

// praiseButton is the one-tap Praise under a check-in summary.
func praiseButton(t i18n.Texts, r *store.Round) bot.Button {
	a := action{Name: actPraise, ID: r.ID}
	return bot.Button{Label: t.T("kudos.button.praise"), Value: a.value()}
}
