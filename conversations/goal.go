package conversations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Goals in chat (issue 13): "goal new" drafts an objective with one to
// five key results and the team or company goal it supports, and sends it
// to the manager, who approves it or asks for changes with a note (goal
// draft.go); "goal change" asks to move a key result's target or due date,
// approved by the manager and, for a goal aligned to a company goal, by HR
// too (goal_change.go); "goal list" and "goal tree" show goals with their
// progress, rolled up, as the reader may see them (goal_view.go). Every
// version of a goal is kept by the store and audited by the step's
// effects (goal_effect.go).

// FlowGoal is a goal being drafted, noted or changed (GoalState).
const FlowGoal = "goal"

// Steps of the goal flow.
const (
	StepGoalLevel   = "level"  // asked whose goal it is (managers and hr)
	StepGoalTitle   = "title"  // asked for the objective
	StepGoalKR      = "kr"     // asked for key result N+1, or done
	StepGoalParent  = "parent" // offered the goals it may support
	StepGoalReview  = "review" // showing the draft with Send / Cancel
	StepGoalNote    = "note"   // a manager asked for changes: waiting for the note
	StepChangeKR    = "c_kr"   // offered the key results to change
	StepChangeTo    = "c_to"   // asked for the new target or due date
	StepChangeWhy   = "c_why"  // asked why
	StepProgress    = "p_val"  // after the check-in: asked key result N's new value
	StepConfidence  = "p_conf" // asked the confidence in it
	StepProgressWhy = "p_why"  // confidence dropped: asked why
)

// GoalState is where the goal flow (FlowGoal) stands: the draft being
// written, or the goal a note or a change is about. Fixed size, so State
// stays comparable and small.
type GoalState struct {
	Step  string          `json:"step,omitempty"`
	Level store.GoalLevel `json:"lvl,omitempty"`
	Title string          `json:"title,omitempty"`
	KRs   [maxKRs]KRDraft `json:"krs,omitzero"`
	N     int             `json:"n,omitempty"` // how many of KRs are written
	// Parent is the goal the draft supports; NoParent when the person said
	// none.
	Parent int64 `json:"parent,omitempty"`
	// Goal and Version are the goal revised, noted or changed, as read.
	Goal    int64 `json:"goal,omitempty"`
	Version int64 `json:"ver,omitempty"`
	// KR, Target (when HasTarget) and Due are the change asked for.
	KR        int64   `json:"kr,omitempty"`
	Target    float64 `json:"to,omitempty"`
	HasTarget bool    `json:"has_to,omitempty"`
	Due       string  `json:"due,omitempty"`
	// Confidence and Evidence (a link) go with the weekly value (Target)
	// being given.
	Confidence store.Confidence `json:"conf,omitempty"`
	Evidence   string           `json:"ev,omitempty"`
}

// GoalInput is what the goal flow looks at, loaded as goalWants says.
type GoalInput struct {
	// Mine are the person's own goals.
	Mine []store.Objective
	// Aligned are the approved team and company goals the person may see:
	// the goals theirs may support, and the ancestors of theirs.
	Aligned []store.Objective
	// All are every goal the person may see, for the tree, and People
	// everyone, for the owners' names and the approvers with the hr role.
	All    []store.Objective
	People []bot.Person
	// Goal is the goal a button or the state names, Owner its owner, and
	// Change the change request a button names.
	Goal   *store.Objective
	Owner  *bot.Person
	Change *store.GoalChange
}

// goals is the goal flow.
type goals struct {
	*turn
	base
}

func (goals) owns() owns {
	return owns{actions: actionsOf(goalButtons), states: []string{FlowGoal}}
}

func (c goals) click(a action) {
	if press := goalButtons[buttonAt{a.Name, c.in.State.Goal.Step}]; press != nil && c.in.State.Flow == FlowGoal {
		press(c, a)
		return
	}
	if press := goalButtons[buttonAt{a.Name, ""}]; press != nil {
		press(c, a)
		return
	}
	c.say(c.t.T("button.used"))
	c.where()
}

// goalAction reports whether a button is the goal flow's.
func goalAction(name string) bool {
	return slices.Contains([]string{actGoalLevel, actGoalKRDone, actGoalParent, actGoalSend, actGoalCancel,
		actGoalApprove, actGoalChanges, actGoalRevise, actChangeKR, actChangeOK, actChangeNo, actConfidence}, name)
}

// text takes the goal commands, and what the goal flow waits for.
func (c goals) text(cmd command) bool {
	if c.in.State.Flow == FlowGoal {
		if cmd.Name == cmdCancel {
			c.res.State = State{}
			c.say(c.t.T("goal.cancelled"))
			return true
		}
		if step := goalTexts[c.in.State.Goal.Step]; step != nil {
			step(c, c.in.Event.Text)
			return true
		}
	}
	if c.expecting() {
		return false
	}
	switch parseGoalCommand(c.in.Event.Text) {
	case goalNew:
		c.startDraft()
	case goalChange:
		c.startChange()
	case goalList:
		c.list()
	case goalTree:
		c.tree()
	case goalHelp:
		c.say(c.t.T("help.goals"))
	default:
		return false
	}
	return true
}

// goalTexts step the text each goal step waits for.
var goalTexts = map[string]func(c goals, text string){
	StepGoalTitle:   goals.draftTitle,
	StepGoalKR:      goals.draftKR,
	StepGoalParent:  func(c goals, text string) { c.draftNoParentText(text) },
	StepGoalReview:  func(c goals, _ string) { c.stands() },
	StepGoalLevel:   func(c goals, _ string) { c.stands() },
	StepGoalNote:    goals.changesNote,
	StepChangeKR:    func(c goals, _ string) { c.stands() },
	StepChangeTo:    goals.changeTo,
	StepChangeWhy:   goals.changeWhy,
	StepProgress:    goals.progressValue,
	StepConfidence:  func(c goals, _ string) { c.stands() },
	StepProgressWhy: goals.progressWhy,
}

// typed is text without its surrounding space, when it holds something and
// fits in max characters; otherwise the person is told what the flow waits
// for (nothing typed) or asked for a shorter text, theirs kept (too long).
// A manager's note and a change's reason are bounded like praise notes.
func (c goals) typed(text string, max int) (string, bool) {
	text = strings.TrimSpace(text)
	switch n := runeLen(text); {
	case n == 0:
		c.stands()
		return "", false
	case n > max:
		c.sayKept(c.t.T("goal.too_long", "Count", n, "Max", max), text)
		return "", false
	}
	return text, true
}

// stands says what the goal flow waits for.
func (c goals) stands() bool {
	st := c.in.State.Goal
	switch st.Step {
	case StepGoalKR:
		c.say(c.t.T("goal.where.kr", "N", st.N+1))
	case StepGoalNote:
		c.say(c.t.T("goal.where.note"))
	case StepProgress:
		c.askProgress(st.N)
	default:
		c.say(c.t.T("goal.where." + st.Step))
	}
	return true
}

// goalState enters step with st.
func (c goals) enter(st GoalState) {
	c.res.State = State{Flow: FlowGoal, Seq: max(c.in.State.Seq, c.res.State.Seq) + 1, Goal: st}
}

// goalNeeds is what a goal step will look at.
type goalNeeds struct {
	mine, aligned, all, people bool
	goal, change               int64
}

// goalWants says what the step for the event in state st will need.
func goalWants(in *Input) goalNeeds {
	var n goalNeeds
	st := in.State
	if st.Flow == FlowCheckin && st.Checkin.Step == StepReview && submits(in.Event) {
		// A check-in is submitted only from its review, and then asks
		// the key results next; no other check-in step reads goals,
		// nor does an edit or an answer at the review.
		n.mine = true
	}
	if st.Flow == FlowGoal {
		n.mine, n.aligned = true, true
		if st.Goal.Goal != 0 {
			n.goal = st.Goal.Goal
		}
	}
	switch in.Event.Kind {
	case bot.KindMessage:
		switch parseGoalCommand(in.Event.Text) {
		case goalNew, goalChange, goalList:
			n.mine, n.aligned = true, true
		case goalTree:
			n.all, n.people = true, true
		}
	case bot.KindAction:
		a, ok := parseAction(in.Event.Action)
		if !ok || !goalAction(a.Name) {
			break
		}
		n.mine, n.aligned, n.people = true, true, true
		switch a.Name {
		case actGoalApprove, actGoalChanges, actGoalRevise:
			n.goal = a.ID
		case actChangeOK, actChangeNo:
			n.change = a.ID
		}
	}
	return n
}

// submits reports whether ev submits a check-in at its review: the submit
// command or button.
func submits(ev bot.Event) bool {
	switch ev.Kind {
	case bot.KindMessage:
		return parseCommand(ev.Text).Name == cmdSubmit
	case bot.KindAction:
		a, ok := parseAction(ev.Action)
		return ok && a.Name == actSubmit
	}
	return false
}

// load reads what the goal flow will look at (see goalWants).
func (goals) load(ctx context.Context, l *loader) error {
	in := l.in
	n := goalWants(in)
	g := &in.Goal
	var err error
	if n.mine {
		if g.Mine, err = l.r.Objectives(ctx, store.ObjectiveFilter{OwnerID: in.Person.ID}); err != nil {
			return fmt.Errorf("conversations: load goals: %w", err)
		}
	}
	if n.aligned {
		for _, level := range []store.GoalLevel{store.LevelCompany, store.LevelTeam} {
			list, err := l.r.Objectives(ctx, store.ObjectiveFilter{Level: level, Status: store.GoalApproved})
			if err != nil {
				return fmt.Errorf("conversations: load aligned goals: %w", err)
			}
			g.Aligned = append(g.Aligned, list...)
		}
	}
	if n.all {
		if g.All, err = l.r.Objectives(ctx, store.ObjectiveFilter{}); err != nil {
			return fmt.Errorf("conversations: load goal tree: %w", err)
		}
	}
	if n.people {
		if g.People, err = l.r.People(ctx); err != nil {
			return fmt.Errorf("conversations: load people: %w", err)
		}
	}
	if n.change != 0 {
		switch ch, err := l.r.GoalChange(ctx, n.change); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load goal change: %w", err)
		default:
			g.Change, n.goal = &ch, ch.ObjectiveID
		}
	}
	if n.goal != 0 {
		switch o, err := l.r.Objective(ctx, n.goal); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load goal: %w", err)
		default:
			g.Goal = &o
			if g.Owner, err = l.person(ctx, o.OwnerID); err != nil {
				return err
			}
		}
	}
	return nil
}

// person finds id among the people loaded.
func (g GoalInput) person(id int64) (bot.Person, bool) {
	for _, p := range g.People {
		if p.ID == id {
			return p, true
		}
	}
	return bot.Person{}, false
}

// hr is everyone with the hr role but the one acting.
func (g GoalInput) hr(except int64) []bot.Person {
	var out []bot.Person
	for _, p := range g.People {
		if p.Has(bot.RoleHR) && p.ID != except {
			out = append(out, p)
		}
	}
	return out
}

// find is the goal with id among list.
func find(list []store.Objective, id int64) (store.Objective, bool) {
	for _, o := range list {
		if o.ID == id {
			return o, true
		}
	}
	return store.Objective{}, false
}

// companyAligned reports whether o supports a company goal, through any
// number of goals between, as far as the reader can see.
func (g GoalInput) companyAligned(o store.Objective) bool {
	seen := map[int64]bool{}
	for o.ParentID != 0 && !seen[o.ID] {
		seen[o.ID] = true
		p, ok := find(g.Aligned, o.ParentID)
		if !ok {
			return false
		}
		if p.Level == store.LevelCompany {
			return true
		}
		o = p
	}
	return o.Level == store.LevelCompany
}
