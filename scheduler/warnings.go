package scheduler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// GoalRecords is what the early warnings read (the store): the subjects
// the dashboard reads too. A Records that is one too gets them evaluated.
type GoalRecords interface {
	okr.SubjectReader
}

// WarningNotifier sends the early warnings (the engine). A Notifier that is
// one too gets them sent.
type WarningNotifier interface {
	// GoalWarnings sends a manager the one digest of their reports'
	// warnings.
	GoalWarnings(ctx context.Context, managerID int64, ws []okr.Warning) error
	// AskPlan asks a key result's owner for a plan.
	AskPlan(ctx context.Context, w okr.Warning) error
}

// The kinds of deliveries of the early warnings: the manager's digest,
// each warning in it (the record that it was told, so it is told once),
// and the owner's plan request.
const (
	DeliveryGoalDigest  = "goal-warnings"
	DeliveryGoalWarning = "goal-warning"
	DeliveryGoalPlan    = "goal-plan"
)

// warnings are the manager warnings gathered in one tick, by manager.
type warnings map[int64]*warnGroup

type warnGroup struct {
	hours Hours // the nudge hours of the first team gathered
	ws    []okr.Warning
}

// warn evaluates a team's early warnings for its people: the owner's plan
// requests go out now, in the owner's hours; the manager's are gathered
// into one digest per manager. The team's subjects are read at once by
// okr.ReadSubjects, which the dashboard's warnings are built on too.
func (f *followUp) warn(ctx context.Context, t store.Team, people []bot.Person, into warnings) {
	gr, ok := f.recs.(GoalRecords)
	wn, ok2 := f.send.(WarningNotifier)
	if !ok || !ok2 {
		return
	}
	rules, err := okr.WarnRulesFor(t.Rules, f.warnBase)
	if err != nil {
		f.log.WarnContext(ctx, "team warning rules; using the defaults", "team", t.Name, "err", err)
	}
	var here []bot.Person
	for _, p := range people {
		if !f.away(p) {
			here = append(here, p)
		}
	}
	subjects, err := okr.ReadSubjects(ctx, gr, store.System, here, okr.UpdatesLookedAt(rules))
	if err != nil {
		f.log.ErrorContext(ctx, "goal warnings", "team", t.Name, "err", err)
		return
	}
	for _, p := range here {
		s, ok := subjects[p.ID]
		if !ok {
			continue // nobody is warned about someone without agreed goals
		}
		who := f.person(p)
		for _, w := range okr.Warnings(rules, s, f.now, f.now.In(who.loc()).Format(time.DateOnly)) {
			if w.To == p.ID {
				f.askPlan(ctx, wn, p, w)
				continue
			}
			g := into[w.To]
			if g == nil {
				g = &warnGroup{hours: f.rules.NudgeHours}
				into[w.To] = g
			}
			g.ws = append(g.ws, w)
		}
	}
}

// askPlan asks the owner for a plan once per key result and due date, in
// the owner's hours.
func (f *followUp) askPlan(ctx context.Context, wn WarningNotifier, p bot.Person, w okr.Warning) {
	if !f.fresh(f.person(p), f.now) {
		return
	}
	d := f.delivery("goal-plan:"+w.Key, DeliveryGoalPlan, p.ID, 0)
	d.Subject = fmt.Sprintf("key-result:%d", w.KeyResult)
	if f.deliver(ctx, d, func() (bool, error) { return true, wn.AskPlan(ctx, w) }) {
		f.c.GoalPlans++
	}
}

// goalDigests sends each manager one message with the warnings about
// their reports not told yet, in the manager's hours on a working day. The
// digest is claimed under a key naming its warnings, and each warning under
// its own, so replicas send it once and a warning is told once.
func (f *followUp) goalDigests(ctx context.Context, into warnings) {
	wn, ok := f.send.(WarningNotifier)
	if !ok {
		return
	}
	for id, g := range into {
		m, err := f.lookup(ctx, id)
		if err != nil || f.away(m) {
			continue
		}
		in := *f
		in.rules.NudgeHours = g.hours
		if !in.fresh(f.person(m), f.now) {
			continue
		}
		keys := make([]string, len(g.ws))
		for i, w := range g.ws {
			keys[i] = w.Key
		}
		slices.Sort(keys)
		sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
		d := f.delivery(fmt.Sprintf("goal-warnings:%d:%s", id, hex.EncodeToString(sum[:8])), DeliveryGoalDigest, id, 0)
		d.Subject = fmt.Sprintf("warnings:%d", len(g.ws))
		if f.deliver(ctx, d, func() (bool, error) { return f.sendWarnings(ctx, wn, id, g.ws) }) {
			f.c.GoalDigests++
		}
	}
}

// sendWarnings claims each warning, sends those it claimed and records
// how that went for each.
func (f *followUp) sendWarnings(ctx context.Context, wn WarningNotifier, manager int64, ws []okr.Warning) (bool, error) {
	var claimed []okr.Warning
	for _, w := range ws {
		d := f.delivery("goal-warning:"+w.Key, DeliveryGoalWarning, manager, 0)
		d.Subject = fmt.Sprintf("person:%d", w.PersonID)
		ok, err := f.recs.ClaimDelivery(ctx, d)
		if err != nil {
			return false, fmt.Errorf("claim %s: %w", d.Key, err)
		}
		if ok {
			claimed = append(claimed, w)
		}
	}
	if len(claimed) == 0 {
		return false, nil
	}
	err := wn.GoalWarnings(ctx, manager, claimed)
	status, reason := store.DeliverySent, ""
	if err != nil {
		status, reason = store.DeliveryFailed, err.Error()
	}
	for _, w := range claimed {
		if ferr := f.recs.FinishDelivery(ctx, "goal-warning:"+w.Key, status, reason, f.Runner.now()); ferr != nil {
			err = fmt.Errorf("%w; finish: %w", err, ferr)
		}
	}
	return err == nil, err
}

// WeekNotifier sends the Monday "my week" card (the engine). A Notifier
// that is one too gets it sent.
type WeekNotifier interface {
	// MyWeek sends a person their card if anything is due, and reports
	// whether it did.
	MyWeek(ctx context.Context, personID int64) (bool, error)
}

// DeliveryMyWeek is the kind of the Monday "my week" deliveries.
const DeliveryMyWeek = "my-week"

// weekMorningEnd is the end of "Monday morning", local time: a replica
// down until the afternoon lets the card go rather than send it late.
const weekMorningEnd = 12 * 60

// myWeek sends p's card once a week, on Monday morning in their hours,
// on a working day (a Monday off waits for next week).
func (f *followUp) myWeek(ctx context.Context, p bot.Person) {
	wn, ok := f.send.(WeekNotifier)
	if !ok || f.away(p) {
		return
	}
	who := f.person(p)
	local := f.now.In(who.loc())
	if local.Weekday() != time.Monday || local.Hour()*60+local.Minute() >= weekMorningEnd || !f.fresh(who, f.now) {
		return
	}
	y, w := local.ISOWeek()
	d := f.delivery(fmt.Sprintf("my-week:%d:%d-W%02d", p.ID, y, w), DeliveryMyWeek, p.ID, 0)
	if f.deliver(ctx, d, func() (bool, error) { return wn.MyWeek(ctx, p.ID) }) {
		f.c.Weeks++
	}
}
