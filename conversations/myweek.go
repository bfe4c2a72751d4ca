package conversations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// "My week": `today` (本周) answers with one card of the few things that
// need the person this week, each with its button: the check-in due, key
// results not updated for a week, feedback requests waiting for them, goal
// drafts and changes waiting for their approval. Nothing due is a short
// line, never an empty card. What it looks at is read by load, only when
// it is asked for; the card itself is pure.

// weekWords are the whole messages that ask for the card.
var weekWords = map[string]bool{
	"today": true, "my week": true, "week": true, "本周": true, "本周待办": true, "今天": true, "待办": true,
}

// maxWeekItems keeps the card to what can be done in a week.
const maxWeekItems = 5

// staleKR is how long a key result may go without an update before it is
// one to update.
const staleKR = 7 * 24 * time.Hour

// isMyWeek reports whether text asks for the card.
func isMyWeek(text string) bool {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	t = strings.TrimRight(strings.TrimLeft(t, "/"), ".!。！?？")
	return weekWords[strings.Join(strings.Fields(t), " ")]
}

// WeekInput is what the card is made of.
type WeekInput struct {
	// Objectives are the person's own approved goals.
	Objectives []store.Objective
	// Requests are open feedback requests asked of the person.
	Requests []store.FeedbackRequest
	// Drafts are goals waiting for the person's approval, and Changes the
	// change requests.
	Drafts  []store.Objective
	Changes []store.GoalChange
	// Names are the people the items name, by id.
	Names map[int64]string
}

type myWeek struct {
	*turn
	base
}

func (myWeek) owns() owns { return owns{events: []event{evWeek}} }

// on sends the Monday card; nothing at all when nothing is due.
func (c myWeek) on(event) {
	if m, ok := c.card(); ok && c.in.Week != nil {
		c.send(m)
	}
}

// text takes the command, except as the answer to a question.
func (c myWeek) text(command) bool {
	if !isMyWeek(c.in.Event.Text) || c.expecting() || c.in.Week == nil {
		return false
	}
	m, ok := c.card()
	if !ok {
		c.say(c.t.T("week.nothing"))
		return true
	}
	c.send(m)
	return true
}

// card is the "my week" card; false when nothing needs the person.
func (c myWeek) card() (bot.Message, bool) {
	w := c.in.Week
	var lines []string
	var buttons []bot.Button
	add := func(line string, b bot.Button) {
		if len(lines) < maxWeekItems {
			lines = append(lines, "• "+line)
			buttons = append(buttons, b)
		}
	}
	r := c.in.Round
	open := r != nil && r.PersonID == c.in.Person.ID && (r.Status == store.StatusPending || r.Status == store.StatusInProgress)
	start := func(label string) bot.Button {
		a := action{Name: actStart, ID: r.ID, Seq: c.res.State.Seq}
		return bot.Button{Label: label, Value: a.value(), Style: bot.StylePrimary}
	}
	// The Monday card leaves the check-in out: its prompt and nudges
	// already say it, and a card that only repeats a nudge sent the same
	// minute is the noise people mute bots for.
	if open && !c.in.WeekDue {
		add(c.t.T("week.checkin", "Period", r.Period), start(c.t.T("week.button.checkin")))
	}
	var stale []string
	for _, o := range w.Objectives {
		for _, k := range o.KeyResults {
			if c.in.Now.Sub(k.UpdatedAt) >= staleKR {
				stale = append(stale, bot.Neutralize(short(k.Title, 40)))
			}
		}
	}
	if len(stale) > 0 {
		line := c.t.T("week.krs", "Count", len(stale), "List", strings.Join(stale[:min(3, len(stale))], ", "))
		if open {
			add(line, start(c.t.T("week.button.update")))
		} else {
			add(line+" "+c.t.T("week.krs_next"), bot.Button{})
		}
	}
	for _, q := range w.Requests {
		a := action{Name: actReqGive, ID: q.ID}
		add(c.t.T("week.request", "Name", w.Names[q.RequesterID], "About", bot.Neutralize(short(q.About, 60))),
			bot.Button{Label: c.t.T("week.button.give", "Name", w.Names[q.RequesterID]), Value: a.value()})
	}
	for _, o := range w.Drafts {
		a := action{Name: actGoalApprove, ID: o.ID, Seq: int(o.Version)}
		add(c.t.T("week.draft", "Name", w.Names[o.OwnerID], "Title", bot.Neutralize(short(o.Title, 60))),
			bot.Button{Label: c.t.T("week.button.approve", "Name", w.Names[o.OwnerID]), Value: a.value()})
	}
	for _, ch := range w.Changes {
		a := action{Name: actChangeOK, ID: ch.ID}
		add(c.t.T("week.change", "Name", w.Names[ch.RequesterID]),
			bot.Button{Label: c.t.T("week.button.approve", "Name", w.Names[ch.RequesterID]), Value: a.value()})
	}
	if len(lines) == 0 {
		return bot.Message{}, false
	}
	var bs []bot.Button
	for _, b := range buttons {
		if b.Value != "" {
			bs = append(bs, b)
		}
	}
	return bot.Message{Title: c.t.T("week.title", "Count", len(lines)), Text: strings.Join(lines, "\n"), Buttons: bs}, true
}

// load reads the card's records, only when the card is asked for.
func (myWeek) load(ctx context.Context, l *loader) error {
	ev := l.in.Event
	if !l.tr.Week && (ev.Kind != bot.KindMessage || ev.Group || !isMyWeek(ev.Text)) {
		return nil
	}
	me := l.in.Person.ID
	w := &WeekInput{Names: map[int64]string{}}
	var err error
	if w.Objectives, err = l.r.Objectives(ctx, store.ObjectiveFilter{OwnerID: me, Level: store.LevelPerson, Status: store.GoalApproved}); err != nil {
		return fmt.Errorf("conversations: my week: goals: %w", err)
	}
	if w.Requests, err = l.r.FeedbackRequests(ctx, store.RequestFilter{AskedID: me, OpenOnly: true}); err != nil {
		return fmt.Errorf("conversations: my week: requests: %w", err)
	}
	pending, err := l.r.Objectives(ctx, store.ObjectiveFilter{Status: store.GoalPending})
	if err != nil {
		return fmt.Errorf("conversations: my week: drafts: %w", err)
	}
	// What the person may see of others' pending goals is their reports'
	// (and those further down): only their direct reports' wait for them.
	reports := map[int64]bool{}
	direct := func(id int64) (bool, error) {
		if v, ok := reports[id]; ok {
			return v, nil
		}
		p, err := l.person(ctx, id)
		if err != nil || p == nil {
			return false, err
		}
		reports[id] = p.ManagerID == me
		w.Names[id] = p.Name
		return reports[id], nil
	}
	for _, o := range pending {
		if ok, err := direct(o.OwnerID); err != nil {
			return err
		} else if ok && o.OwnerID != me {
			w.Drafts = append(w.Drafts, o)
		}
	}
	changes, err := l.r.GoalChanges(ctx, store.ChangeFilter{Status: store.ChangePending})
	if err != nil {
		return fmt.Errorf("conversations: my week: changes: %w", err)
	}
	for _, ch := range changes {
		if ok, err := direct(ch.RequesterID); err != nil {
			return err
		} else if ok && ch.ManagerBy == 0 {
			w.Changes = append(w.Changes, ch)
		}
	}
	for _, q := range w.Requests {
		if _, ok := w.Names[q.RequesterID]; !ok {
			p, err := l.person(ctx, q.RequesterID)
			if err != nil {
				return err
			}
			if p != nil {
				w.Names[p.ID] = p.Name
			}
		}
	}
	l.in.Week = w
	return nil
}
