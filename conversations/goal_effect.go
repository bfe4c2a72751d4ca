package conversations

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// The goal flows' writes. Each saves, then audits what it saved, in the
// step's transaction: every version of a goal, every change request and
// every automatic update has its audit entry, and a retried step (its
// records keyed by the event) audits nothing twice.

// Placeholders for the records a goal step creates, in its buttons until
// Bind gives their ids.
const (
	pendingGoal   = -1
	pendingChange = -2
)

// SaveObjective saves a goal (a new one, or a new version of one) and
// audits the version as Action.
type SaveObjective struct {
	Objective store.Objective
	ActorID   int64
	Action    string
	At        time.Time
	id        int64
}

// Apply implements Effect.
func (e *SaveObjective) Apply(ctx context.Context, w Writer) error {
	o := e.Objective
	o.ChangedBy = e.ActorID
	isNew := o.ID == 0
	if err := w.SaveObjective(ctx, &o); err != nil {
		return fmt.Errorf("save goal: %w", err)
	}
	e.id = o.ID
	if isNew && o.Version > 1 {
		return nil // a retried step found its goal
	}
	return Audit{store.AuditEntry{At: e.At, ActorID: e.ActorID, Action: e.Action, Object: goalObject(o.ID),
		Detail: fmt.Sprintf("v%d %s", o.Version, o.Status)}}.Apply(ctx, w)
}

// Bind implements Binder.
func (e *SaveObjective) Bind(out []Outbound) { bindPending(out, pendingGoal, e.id) }

// Key implements Keyed.
func (e *SaveObjective) Key(base string) {
	if e.Objective.ID == 0 {
		e.Objective.DedupKey = base + "goal"
	}
}

func goalObject(id int64) string { return "goal:" + strconv.FormatInt(id, 10) }

// SaveGoalChange saves a change request and audits it as Action.
type SaveGoalChange struct {
	Change  store.GoalChange
	ActorID int64
	Action  string
	At      time.Time
	id      int64
}

// Apply implements Effect.
func (e *SaveGoalChange) Apply(ctx context.Context, w Writer) error {
	c := e.Change
	if err := w.SaveGoalChange(ctx, &c); err != nil {
		return fmt.Errorf("save goal change: %w", err)
	}
	e.id = c.ID
	return Audit{store.AuditEntry{At: e.At, ActorID: e.ActorID, Action: e.Action,
		Object: "goal_change:" + strconv.FormatInt(c.ID, 10), Detail: goalObject(c.ObjectiveID) + " " + string(c.Status)}}.Apply(ctx, w)
}

// Bind implements Binder.
func (e *SaveGoalChange) Bind(out []Outbound) { bindPending(out, pendingChange, e.id) }

// Key implements Keyed.
func (e *SaveGoalChange) Key(base string) {
	if e.Change.ID == 0 {
		e.Change.DedupKey = base + "change"
	}
}

// AddProgress records a key result's new value: typed in the check-in, or
// (Update.Automatic, Update.Add) an increment from a business event. It
// is audited, automatic ones as such.
type AddProgress struct {
	Update  store.ProgressUpdate
	created bool
}

// Apply implements Effect.
func (e *AddProgress) Apply(ctx context.Context, w Writer) error {
	u := e.Update
	created, err := w.AddProgress(ctx, &u)
	if err != nil {
		return fmt.Errorf("add progress: %w", err)
	}
	e.Update, e.created = u, created
	if !created {
		return nil // a redelivered event: audited when it was recorded
	}
	action, actor := "goal.progress", u.AuthorID
	if u.Automatic {
		action, actor = "goal.progress_auto", 0
	}
	detail := fmt.Sprintf("kr:%d = %s (%+g)", u.KeyResultID, num(u.Value), u.Delta)
	if u.Source != "" {
		detail += " " + u.Source
	}
	return Audit{store.AuditEntry{At: u.At, ActorID: actor, Actor: autoActor(u), Action: action,
		Object: "kr:" + strconv.FormatInt(u.KeyResultID, 10), Detail: detail}}.Apply(ctx, w)
}

func autoActor(u store.ProgressUpdate) string {
	if u.Automatic {
		return "system"
	}
	return ""
}

// AutoProgress is an increment of a key result by a business event: the
// effect the business-event hook (and the connectors) make for an event
// mapped to a key result, e.g. every ticket_resolved adding 1 to
// "Resolve 30 tickets". Key makes it idempotent: the event's id, so a
// redelivered event adds nothing twice.
func AutoProgress(kr int64, delta float64, source, key string, at time.Time) Effect {
	return &AddProgress{Update: store.ProgressUpdate{KeyResultID: kr, Value: delta, Add: true, Automatic: true,
		Source: source, At: at, DedupKey: key}}
}

// bindPending puts id into the goal buttons of out that name placeholder.
func bindPending(out []Outbound, placeholder, id int64) {
	for i := range out {
		bs := out[i].Message.Buttons
		var bound []bot.Button
		for j, b := range bs {
			a, ok := parseAction(b.Value)
			if !ok || a.ID != placeholder || !goalAction(a.Name) {
				continue
			}
			if bound == nil {
				bound = append([]bot.Button(nil), bs...)
			}
			a.ID = id
			bound[j].Value = a.value()
		}
		if bound != nil {
			out[i].Message.Buttons = bound
		}
	}
}
