package conversations

import (
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Changing an agreed goal: "goal change" picks a key result, asks for the
// new target or due date and why, and sends the request to the manager;
// one for a goal aligned to a company goal then goes to hr as well. The key
// result changes, as a new version of its goal, only once all have
// approved; nobody rewrites a goal silently.

// startChange is "goal change": the key results of the person's agreed
// goals, to pick from.
func (c goals) startChange() {
	c.enter(GoalState{Step: StepChangeKR})
	var bs []bot.Button
	for _, o := range c.in.Goal.Mine {
		if !o.Counts() {
			continue
		}
		for _, k := range o.KeyResults {
			if len(bs) < maxParents {
				bs = append(bs, c.button(actChangeKR, k.ID, "", short(k.Title, 40), bot.StyleDefault))
			}
		}
	}
	if len(bs) == 0 {
		c.res.State = State{}
		c.say(c.t.T("goal.change_none"))
		return
	}
	c.send(bot.Message{Text: c.t.T("goal.ask_change_kr"), Buttons: bs})
}

// mineKR finds key result id among the person's agreed goals.
func (c goals) mineKR(id int64) (store.Objective, store.KeyResult, bool) {
	for _, o := range c.in.Goal.Mine {
		for _, k := range o.KeyResults {
			if k.ID == id && o.Counts() {
				return o, k, true
			}
		}
	}
	return store.Objective{}, store.KeyResult{}, false
}

func (c goals) pickChangeKR(a action) {
	if !c.fresh(a) {
		return
	}
	o, k, ok := c.mineKR(a.ID)
	if !ok {
		c.say(c.t.T("goal.not_found"))
		return
	}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", bot.Neutralize(k.Title))})
	c.enter(GoalState{Step: StepChangeTo, Goal: o.ID, Version: o.Version, KR: k.ID})
	c.say(c.t.T("goal.ask_change_to", "KR", bot.Neutralize(k.Title), "Target", num(k.Target), "Due", dueOf(o, k)))
}

// changeTo takes the new target, due date, or both.
func (c goals) changeTo(text string) {
	target, due, ok := parseChange(text, c.in.Today)
	if !ok {
		c.sayKept(c.t.T("goal.change_bad"), text)
		return
	}
	st := c.in.State.Goal
	st.Step, st.Due, st.HasTarget = StepChangeWhy, due, target != nil
	if target != nil {
		st.Target = *target
	}
	c.enter(st)
	c.say(c.t.T("goal.ask_change_why"))
}

// changeWhy takes the reason and sends the request.
func (c goals) changeWhy(text string) {
	st := c.in.State.Goal
	reason, ok := c.typed(text, MaxNote)
	if !ok {
		return
	}
	o, k, ok := c.mineKR(st.KR)
	if !ok {
		c.res.State = State{}
		c.say(c.t.T("goal.not_found"))
		return
	}
	ch := store.GoalChange{ObjectiveID: o.ID, KeyResultID: k.ID, RequesterID: c.in.Person.ID, NewDue: st.Due,
		Reason: reason, NeedsHR: c.in.Goal.companyAligned(o), Status: store.ChangePending, CreatedAt: c.in.Now}
	if st.HasTarget {
		target := st.Target
		ch.NewTarget = &target
	}
	c.effect(&SaveGoalChange{Change: ch, ActorID: c.in.Person.ID, Action: "goal.change_request", At: c.in.Now})
	c.res.State = State{}
	approvers := c.approvers(c.in.Person)
	if len(approvers) == 0 {
		c.say(c.t.T("goal.no_approver"))
		return
	}
	names := make([]string, len(approvers))
	for i, p := range approvers {
		names[i] = p.Name
		c.tell(p, changeCard(c.in.Texts.For(p.Locale), ch, pendingChange, o, k, c.in.Person))
	}
	c.say(c.t.T("goal.change_sent", "Name", strings.Join(names, c.t.T("list.sep"))))
}

// changeStage is who a change waits for.
type changeStage int

const (
	stageDone    changeStage = iota
	stageManager             // the owner's manager (hr for someone without one)
	stageHR                  // someone with the hr role, not the manager who approved
)

func stageOf(ch store.GoalChange) changeStage {
	switch {
	case ch.Status != store.ChangePending:
		return stageDone
	case ch.ManagerBy == 0:
		return stageManager
	case ch.NeedsHR && ch.HRBy == 0:
		return stageHR
	}
	return stageDone
}

// deciding is the change, its goal, key result and owner a change button
// names, and the stage the person decides; otherwise it says why not.
func (c goals) deciding(a action) (store.GoalChange, store.Objective, store.KeyResult, changeStage, bool) {
	ch, g, owner := c.in.Goal.Change, c.in.Goal.Goal, c.in.Goal.Owner
	fail := func(key string) (store.GoalChange, store.Objective, store.KeyResult, changeStage, bool) {
		c.say(c.t.T(key))
		return store.GoalChange{}, store.Objective{}, store.KeyResult{}, stageDone, false
	}
	if ch == nil || ch.ID != a.ID || g == nil || g.ID != ch.ObjectiveID || owner == nil {
		return fail("goal.not_found")
	}
	var k store.KeyResult
	found := false
	for _, x := range g.KeyResults {
		if x.ID == ch.KeyResultID {
			k, found = x, true
		}
	}
	me := c.in.Person
	switch stage := stageOf(*ch); {
	case !found:
		return fail("goal.not_found")
	case stage == stageDone:
		return fail("goal.decided")
	case stage == stageManager && !c.mayApprove(owner):
		return fail("goal.not_yours")
	case stage == stageHR && (!me.Has(bot.RoleHR) || me.ID == ch.ManagerBy || me.ID == owner.ID):
		return fail("goal.not_yours")
	default:
		return *ch, *g, k, stage, true
	}
}

// approveChange is Approve on a change: the manager's, then hr's where it
// needs it; the last approval changes the key result.
func (c goals) approveChange(a action) {
	ch, o, k, stage, ok := c.deciding(a)
	if !ok {
		return
	}
	owner := *c.in.Goal.Owner
	if stage == stageManager {
		ch.ManagerBy, ch.ManagerAt = c.in.Person.ID, c.in.Now
	} else {
		ch.HRBy, ch.HRAt = c.in.Person.ID, c.in.Now
	}
	c.replaceClicked(c.decidedChange(ch, o, k, owner, "goal.button.approve"))
	ot := c.in.Texts.For(owner.Locale)
	if !ch.Approved() {
		c.effect(&SaveGoalChange{Change: ch, ActorID: c.in.Person.ID, Action: "goal.change_manager_ok", At: c.in.Now})
		hr := c.in.Goal.hr(c.in.Person.ID)
		for _, p := range hr {
			if p.ID != owner.ID {
				c.tell(p, changeCard(c.in.Texts.For(p.Locale), ch, ch.ID, o, k, owner))
			}
		}
		c.say(c.t.T("goal.change_to_hr"))
		c.tell(owner, bot.Message{Text: ot.T("goal.change_waits_hr", "Name", c.in.Person.Name, "KR", bot.Neutralize(k.Title))})
		return
	}
	ch.Status = store.ChangeApproved
	c.effect(&SaveGoalChange{Change: ch, ActorID: c.in.Person.ID, Action: "goal.change_approve", At: c.in.Now})
	o.KeyResults = append([]store.KeyResult(nil), o.KeyResults...)
	for i := range o.KeyResults {
		if o.KeyResults[i].ID == k.ID {
			if ch.NewTarget != nil {
				o.KeyResults[i].Target = *ch.NewTarget
			}
			if ch.NewDue != "" {
				o.KeyResults[i].Due = ch.NewDue
			}
		}
	}
	c.effect(&SaveObjective{Objective: o, ActorID: c.in.Person.ID, Action: "goal.change_apply", At: c.in.Now})
	c.say(c.t.T("goal.change_approved", "Name", owner.Name))
	c.tell(owner, bot.Message{Text: ot.T("goal.change_approved_notify", "KR", bot.Neutralize(k.Title))})
}

// rejectChange is Reject on a change, at the stage the person decides.
func (c goals) rejectChange(a action) {
	ch, o, k, _, ok := c.deciding(a)
	if !ok {
		return
	}
	owner := *c.in.Goal.Owner
	ch.Status = store.ChangeRejected
	c.effect(&SaveGoalChange{Change: ch, ActorID: c.in.Person.ID, Action: "goal.change_reject", At: c.in.Now})
	c.replaceClicked(c.decidedChange(ch, o, k, owner, "goal.button.reject"))
	c.say(c.t.T("goal.change_rejected", "Name", owner.Name))
	ot := c.in.Texts.For(owner.Locale)
	c.tell(owner, bot.Message{Text: ot.T("goal.change_rejected_notify", "Name", c.in.Person.Name, "KR", bot.Neutralize(k.Title))})
}

func (c goals) decidedChange(ch store.GoalChange, o store.Objective, k store.KeyResult, owner bot.Person, button string) bot.Message {
	m := changeCard(c.t, ch, ch.ID, o, k, owner)
	m.Buttons = nil
	m.Text += "\n\n" + c.t.T("chosen", "Choice", c.t.T(button))
	return m
}

// changeCard is a change request as an approver reads it.
func changeCard(t i18n.Texts, ch store.GoalChange, id int64, o store.Objective, k store.KeyResult, owner bot.Person) bot.Message {
	var lines []string
	lines = append(lines, t.T("goal.change_goal", "Goal", bot.Neutralize(o.Title), "KR", bot.Neutralize(k.Title)))
	if ch.NewTarget != nil {
		lines = append(lines, t.T("goal.change_target", "From", num(k.Target), "To", num(*ch.NewTarget)))
	}
	if ch.NewDue != "" {
		lines = append(lines, t.T("goal.change_due", "From", dueOf(o, k), "To", ch.NewDue))
	}
	lines = append(lines, t.T("goal.change_reason", "Reason", bot.Neutralize(ch.Reason)))
	if ch.NeedsHR {
		lines = append(lines, t.T("goal.change_needs_hr"))
	}
	ok, no := action{Name: actChangeOK, ID: id}, action{Name: actChangeNo, ID: id}
	return bot.Message{
		Title: t.T("goal.change_title", "Name", owner.Name),
		Text:  strings.Join(lines, "\n"),
		Buttons: []bot.Button{
			{Label: t.T("goal.button.approve"), Value: ok.value(), Style: bot.StylePrimary},
			{Label: t.T("goal.button.reject"), Value: no.value()},
		},
	}
}

// dueOf is a key result's due date: its own, or its goal's end.
func dueOf(o store.Objective, k store.KeyResult) string {
	if k.Due != "" {
		return k.Due
	}
	return o.Ends
}
