package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Drafting a goal and agreeing it: "goal new" asks whose goal it is (for
// managers and hr), the objective, one to five key results and the goal it
// supports; Send gives the manager a card with Approve and Ask for changes
// (with a note), and the owner revises a goal sent back.

// Goal button actions. The draft's buttons carry the step's sequence
// number; Approve, Ask for changes and Revise the goal's version, so a
// card of a version since changed is recognised as old.
const (
	actGoalLevel   = "glvl"  // arg: the level
	actGoalKRDone  = "gkrok" // no more key results
	actGoalParent  = "gpar"  // id: the goal supported, 0 for none
	actGoalSend    = "gsend" // send the draft
	actGoalCancel  = "gdrop" // drop the draft
	actGoalApprove = "gok"   // id: the goal; seq: its version
	actGoalChanges = "gfix"  // id: the goal; seq: its version
	actGoalRevise  = "grev"  // id: the goal; seq: its version
	actChangeKR    = "gckr"  // id: the key result to change
	actChangeOK    = "gcok"  // id: the change request
	actChangeNo    = "gcno"  // id: the change request
)

// noParent is the draft's Parent when the person chose none.
const noParent = -1

// maxParents bounds the goals offered to support, as platforms bound a
// card's buttons.
const maxParents = 8

// goalButtons step the goal flow's buttons: at the step they were offered
// at, or ("" ) at any.
var goalButtons = map[buttonAt]func(c goals, a action){
	{actGoalLevel, StepGoalLevel}:   goals.pickLevel,
	{actGoalKRDone, StepGoalKR}:     goals.krsDoneButton,
	{actGoalParent, StepGoalParent}: goals.pickParent,
	{actGoalSend, StepGoalReview}:   goals.sendDraft,
	{actGoalCancel, ""}:             goals.cancelButton,
	{actGoalApprove, ""}:            goals.approve,
	{actGoalChanges, ""}:            goals.askChanges,
	{actGoalRevise, ""}:             goals.revise,
	{actChangeKR, StepChangeKR}:     goals.pickChangeKR,
	{actChangeOK, ""}:               goals.approveChange,
	{actChangeNo, ""}:               goals.rejectChange,
	{actConfidence, StepConfidence}: goals.pickConfidence,
}

// fresh reports whether a draft button belongs to the step the dialog is
// at, saying so when not.
func (c goals) fresh(a action) bool {
	if c.in.State.Flow == FlowGoal && a.Seq == c.in.State.Seq {
		return true
	}
	c.say(c.t.T("button.used"))
	c.where()
	return false
}

// button is a goal button bound to the step being entered.
func (c goals) button(name string, id int64, arg, label string, style bot.ButtonStyle) bot.Button {
	return bot.Button{Label: label, Value: action{Name: name, ID: id, Seq: c.res.State.Seq, Arg: arg}.value(), Style: style}
}

// startDraft is "goal new".
func (c goals) startDraft() {
	p := c.in.Person
	if !p.Has(bot.RoleManager) && !p.Has(bot.RoleHR) {
		c.askTitle(GoalState{Level: store.LevelPerson})
		return
	}
	c.enter(GoalState{Step: StepGoalLevel})
	bs := []bot.Button{c.button(actGoalLevel, 0, string(store.LevelPerson), c.t.T("goal.level.person"), bot.StylePrimary)}
	if p.TeamID != 0 {
		bs = append(bs, c.button(actGoalLevel, 0, string(store.LevelTeam), c.t.T("goal.level.team"), bot.StyleDefault))
	}
	if p.Has(bot.RoleHR) {
		bs = append(bs, c.button(actGoalLevel, 0, string(store.LevelCompany), c.t.T("goal.level.company"), bot.StyleDefault))
	}
	c.send(bot.Message{Text: c.t.T("goal.ask_level"), Buttons: bs})
}

func (c goals) pickLevel(a action) {
	if !c.fresh(a) {
		return
	}
	level := store.GoalLevel(a.Arg)
	p := c.in.Person
	switch {
	case level == store.LevelPerson:
	case level == store.LevelTeam && p.TeamID != 0 && (p.Has(bot.RoleManager) || p.Has(bot.RoleHR)):
	case level == store.LevelCompany && p.Has(bot.RoleHR):
	default:
		c.say(c.t.T("button.used"))
		return
	}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("goal.level."+a.Arg))})
	c.askTitle(GoalState{Level: level})
}

func (c goals) askTitle(st GoalState) {
	st.Step = StepGoalTitle
	c.enter(st)
	text := c.t.T("goal.ask_title")
	if st.Title != "" {
		text += "\n" + c.t.T("goal.was", "Text", bot.Neutralize(st.Title))
	}
	c.say(text)
}

// draftTitle takes the objective.
func (c goals) draftTitle(text string) {
	st := c.in.State.Goal
	title, ok := c.typed(text, maxGoalTitle)
	if !ok {
		return
	}
	st.Title, st.N, st.KRs = title, 0, [maxKRs]KRDraft{}
	c.askKR(st)
}

func (c goals) askKR(st GoalState) {
	st.Step = StepGoalKR
	c.enter(st)
	m := bot.Message{Text: c.t.T("goal.ask_kr", "N", st.N+1, "Max", maxKRs)}
	if st.N > 0 {
		m.Buttons = []bot.Button{c.button(actGoalKRDone, 0, "", c.t.T("goal.button.kr_done"), bot.StylePrimary)}
	}
	c.send(m)
}

// doneWords end the key results typed.
var doneWords = map[string]bool{"done": true, "that's all": true, "完成": true, "好了": true, "没有了": true}

// draftKR takes a key result line, or done.
func (c goals) draftKR(text string) {
	st := c.in.State.Goal
	if doneWords[strings.ToLower(strings.TrimSpace(toHalfWidth(text)))] && st.N > 0 {
		c.krsDone()
		return
	}
	k, ok := parseKR(text, c.in.Today)
	if !ok {
		c.sayKept(c.t.T("goal.kr_bad"), text)
		return
	}
	if k.Due == "" {
		_, _, k.Due = quarter(c.in.Today)
	}
	st.KRs[st.N] = k
	st.N++
	c.say(c.t.T("goal.kr_kept", "N", st.N, "KR", krDraftLine(c.t, k)))
	if st.N == maxKRs {
		c.in.State.Goal = st
		c.krsDone()
		return
	}
	c.askKR(st)
}

func (c goals) krsDoneButton(a action) {
	if c.fresh(a) && c.in.State.Goal.N > 0 {
		c.krsDone()
	}
}

// parents are the goals a draft of level may support: company goals for a
// team goal; team goals, the person's team's first, and company goals for
// a person's.
func (c goals) parents(level store.GoalLevel) []store.Objective {
	var mine, others []store.Objective
	for _, o := range c.in.Goal.Aligned {
		switch {
		case o.ID == c.in.State.Goal.Goal, level == store.LevelCompany:
		case level == store.LevelTeam && o.Level != store.LevelCompany:
		case o.Level == store.LevelTeam && o.TeamID == c.in.Person.TeamID:
			mine = append(mine, o)
		default:
			others = append(others, o)
		}
	}
	all := append(mine, others...)
	return all[:min(len(all), maxParents)]
}

// krsDone offers the goals the draft may support, or shows the draft when
// there are none.
func (c goals) krsDone() {
	st := c.in.State.Goal
	options := c.parents(st.Level)
	if len(options) == 0 {
		st.Parent = noParent
		c.review(st)
		return
	}
	st.Step = StepGoalParent
	c.enter(st)
	var bs []bot.Button
	for _, o := range options {
		bs = append(bs, c.button(actGoalParent, o.ID, "", short(o.Title, 40), bot.StyleDefault))
	}
	bs = append(bs, c.button(actGoalParent, 0, "", c.t.T("goal.button.no_parent"), bot.StyleDefault))
	c.send(bot.Message{Text: c.t.T("goal.ask_parent"), Buttons: bs})
}

func (c goals) pickParent(a action) {
	if !c.fresh(a) {
		return
	}
	st := c.in.State.Goal
	st.Parent = noParent
	label := c.t.T("goal.button.no_parent")
	if a.ID != 0 {
		p, ok := find(c.parents(st.Level), a.ID)
		if !ok {
			c.say(c.t.T("goal.not_found"))
			return
		}
		st.Parent, label = p.ID, bot.Neutralize(p.Title)
	}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", label)})
	c.review(st)
}

// draftNoParentText takes "none" typed where a goal to support is offered.
func (c goals) draftNoParentText(text string) {
	if t := strings.ToLower(strings.TrimSpace(text)); t == "none" || t == "无" || t == "没有" {
		st := c.in.State.Goal
		st.Parent = noParent
		c.review(st)
		return
	}
	c.stands()
}

// review shows the draft with Send and Cancel.
func (c goals) review(st GoalState) {
	st.Step = StepGoalReview
	c.enter(st)
	o := c.draftObjective(st)
	c.send(bot.Message{
		Title: c.t.T("goal.review_title"),
		Text:  goalText(c.t, o, c.parentTitle(o)),
		Buttons: []bot.Button{
			c.button(actGoalSend, 0, "", c.t.T("goal.button.send"), bot.StylePrimary),
			c.button(actGoalCancel, 0, "", c.t.T("goal.button.cancel"), bot.StyleDefault),
		},
	})
}

// draftObjective is the goal the draft st makes: a new one, or the goal
// being revised with the draft's words.
func (c goals) draftObjective(st GoalState) store.Objective {
	starts, period, ends := quarter(c.in.Today)
	o := store.Objective{Level: st.Level, OwnerID: c.in.Person.ID, Kind: store.KindOKR, Period: period,
		Starts: starts, Ends: ends, CreatedAt: c.in.Now}
	if g := c.in.Goal.Goal; st.Goal != 0 && g != nil && g.ID == st.Goal {
		o = *g
		o.Version = st.Version
	}
	if o.Level == store.LevelTeam {
		o.TeamID = c.in.Person.TeamID
	}
	o.Title, o.ParentID = st.Title, max(st.Parent, 0)
	if st.N == 1 {
		o.Kind = store.KindKPI
	}
	krs := make([]store.KeyResult, st.N)
	for i, k := range st.KRs[:st.N] {
		if i < len(o.KeyResults) {
			krs[i] = o.KeyResults[i] // the same key result, reworded: its history stays
		}
		krs[i].Title, krs[i].Unit, krs[i].Start, krs[i].Target, krs[i].Due = k.Title, k.Unit, k.Start, k.Target, k.Due
		krs[i].Ref = k.Ref
		krs[i].Direction, krs[i].Weight = store.Up, 1
		if k.Target < k.Start {
			krs[i].Direction = store.Down
		}
		if krs[i].ID == 0 {
			krs[i].Current = k.Start
		}
	}
	o.KeyResults = krs
	return o
}

func (c goals) parentTitle(o store.Objective) string {
	if p, ok := find(c.in.Goal.Aligned, o.ParentID); ok {
		return p.Title
	}
	return ""
}

// approvers are who agree a goal of owner: their manager or, for someone
// without one, hr.
func (c goals) approvers(owner bot.Person) []bot.Person {
	if owner.ID == c.in.Person.ID && c.in.Manager != nil {
		return []bot.Person{*c.in.Manager}
	}
	if m, ok := c.in.Goal.person(owner.ManagerID); ok {
		return []bot.Person{m}
	}
	return c.in.Goal.hr(owner.ID)
}

// mayApprove reports whether the person may agree (or send back) a goal
// or change of owner.
func (c goals) mayApprove(owner *bot.Person) bool {
	me := c.in.Person
	if owner == nil || owner.ID == me.ID {
		return false
	}
	return owner.ManagerID == me.ID || (owner.ManagerID == 0 && me.Has(bot.RoleHR))
}

// sendDraft sends the draft: to the approvers, or, for a company goal hr
// writes, straight to approved.
func (c goals) sendDraft(a action) {
	if !c.fresh(a) {
		return
	}
	st := c.in.State.Goal
	if st.Goal != 0 && (c.in.Goal.Goal == nil || c.in.Goal.Goal.Version != st.Version) {
		c.res.State = State{}
		c.say(c.t.T("goal.changed_meanwhile"))
		return
	}
	o := c.draftObjective(st)
	o.Status, o.Note = store.GoalPending, ""
	action := "goal.submit"
	if o.Level == store.LevelCompany {
		o.Status, o.ApprovedBy, o.ApprovedAt, action = store.GoalApproved, c.in.Person.ID, c.in.Now, "goal.create"
	}
	c.replaceClicked(bot.Message{Text: goalText(c.t, o, c.parentTitle(o)) + "\n\n" + c.t.T("chosen", "Choice", c.t.T("goal.button.send"))})
	c.effect(&SaveObjective{Objective: o, ActorID: c.in.Person.ID, Action: action, At: c.in.Now})
	c.res.State = State{}
	if o.Status == store.GoalApproved {
		c.say(c.t.T("goal.created"))
		return
	}
	id := o.ID
	if id == 0 {
		id = pendingGoal
	}
	o.Version++ // what the save makes it
	approvers := c.approvers(c.in.Person)
	if len(approvers) == 0 {
		c.say(c.t.T("goal.no_approver"))
		return
	}
	names := make([]string, len(approvers))
	for i, p := range approvers {
		names[i] = p.Name
		c.tell(p, approvalCard(c.in.Texts.For(p.Locale), o, id, c.in.Person, c.parentTitle(o)))
	}
	c.say(c.t.T("goal.sent", "Name", strings.Join(names, c.t.T("list.sep"))))
}

// cancelButton is Cancel on a draft.
func (c goals) cancelButton(a action) {
	if !c.fresh(a) {
		return
	}
	c.res.State = State{}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("goal.button.cancel"))})
	c.say(c.t.T("goal.cancelled"))
}

// decidable is the goal an Approve or Ask for changes button names, when
// the person may still decide it; otherwise it says why not.
func (c goals) decidable(a action) (store.Objective, bool) {
	g, owner := c.in.Goal.Goal, c.in.Goal.Owner
	switch {
	case g == nil || g.ID != a.ID:
		c.say(c.t.T("goal.not_found"))
	case !c.mayApprove(owner):
		c.say(c.t.T("goal.not_yours"))
	case g.Status != store.GoalPending || g.Version != int64(a.Seq):
		c.say(c.t.T("goal.decided"))
	default:
		return *g, true
	}
	return store.Objective{}, false
}

// approve is the manager's Approve.
func (c goals) approve(a action) {
	o, ok := c.decidable(a)
	if !ok {
		return
	}
	owner := *c.in.Goal.Owner
	o.Status, o.ApprovedBy, o.ApprovedAt, o.Note = store.GoalApproved, c.in.Person.ID, c.in.Now, ""
	c.effect(&SaveObjective{Objective: o, ActorID: c.in.Person.ID, Action: "goal.approve", At: c.in.Now})
	c.replaceClicked(c.decidedCard(o, owner, "goal.button.approve"))
	c.say(c.t.T("goal.approved", "Name", owner.Name))
	ot := c.in.Texts.For(owner.Locale)
	c.tell(owner, bot.Message{Text: ot.T("goal.approved_notify", "Name", c.in.Person.Name, "Goal", bot.Neutralize(o.Title))})
}

// askChanges is the manager's Ask for changes: the note comes next.
func (c goals) askChanges(a action) {
	o, ok := c.decidable(a)
	if !ok {
		return
	}
	c.replaceClicked(c.decidedCard(o, *c.in.Goal.Owner, "goal.button.changes"))
	c.enter(GoalState{Step: StepGoalNote, Goal: o.ID, Version: o.Version})
	c.say(c.t.T("goal.ask_note", "Name", c.in.Goal.Owner.Name))
}

// changesNote takes the manager's note and sends the goal back.
func (c goals) changesNote(text string) {
	st := c.in.State.Goal
	o, ok := c.decidable(action{Name: actGoalChanges, ID: st.Goal, Seq: int(st.Version)})
	if !ok {
		c.res.State = State{}
		return
	}
	note, ok := c.typed(text, MaxNote)
	if !ok {
		return
	}
	owner := *c.in.Goal.Owner
	o.Status, o.Note = store.GoalChanges, note
	c.effect(&SaveObjective{Objective: o, ActorID: c.in.Person.ID, Action: "goal.changes", At: c.in.Now})
	c.res.State = State{}
	c.say(c.t.T("goal.note_sent", "Name", owner.Name))
	ot := c.in.Texts.For(owner.Locale)
	revise := action{Name: actGoalRevise, ID: o.ID, Seq: int(o.Version + 1)}
	c.tell(owner, bot.Message{
		Title:   ot.T("goal.changes_title", "Name", c.in.Person.Name),
		Text:    ot.T("goal.changes_text", "Goal", bot.Neutralize(o.Title), "Note", bot.Neutralize(note)),
		Buttons: []bot.Button{{Label: ot.T("goal.button.revise"), Value: revise.value(), Style: bot.StylePrimary}},
	})
}

// revise is the owner's Revise on a goal sent back: the draft starts
// again from the goal's words.
func (c goals) revise(a action) {
	g := c.in.Goal.Goal
	switch {
	case g == nil || g.ID != a.ID || g.OwnerID != c.in.Person.ID:
		c.say(c.t.T("goal.not_found"))
		return
	case g.Status != store.GoalChanges || g.Version != int64(a.Seq):
		c.say(c.t.T("goal.decided"))
		return
	}
	st := GoalState{Level: g.Level, Title: g.Title, Goal: g.ID, Version: g.Version, Parent: g.ParentID}
	c.askTitle(st)
}

// decidedCard is an approval card once decided: no buttons, the choice.
func (c goals) decidedCard(o store.Objective, owner bot.Person, button string) bot.Message {
	m := approvalCard(c.t, o, o.ID, owner, c.parentTitle(o))
	m.Buttons = nil
	m.Text += "\n\n" + c.t.T("chosen", "Choice", c.t.T(button))
	return m
}

// approvalCard is a goal as its approver reads it, with Approve and Ask
// for changes; id is the goal's, or its placeholder.
func approvalCard(t i18n.Texts, o store.Objective, id int64, owner bot.Person, parent string) bot.Message {
	ok := action{Name: actGoalApprove, ID: id, Seq: int(o.Version)}
	fix := action{Name: actGoalChanges, ID: id, Seq: int(o.Version)}
	return bot.Message{
		Title: t.T("goal.approval_title", "Name", owner.Name),
		Text:  goalText(t, o, parent),
		Buttons: []bot.Button{
			{Label: t.T("goal.button.approve"), Value: ok.value(), Style: bot.StylePrimary},
			{Label: t.T("goal.button.changes"), Value: fix.value()},
		},
	}
}

// quarter is the quarter of day (YYYY-MM-DD): its first day, its name
// ("2026-Q4") and its last day.
func quarter(day string) (starts, name, ends string) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", "", ""
	}
	q := (int(d.Month()) - 1) / 3
	first := time.Date(d.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 3, -1)
	return first.Format(time.DateOnly), fmt.Sprintf("%d-Q%d", d.Year(), q+1), last.Format(time.DateOnly)
}

// short is s cut to n characters, with an ellipsis when cut.
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
