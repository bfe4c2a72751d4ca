package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Trigger is what a step runs for, known before anything is read: an
// inbound event, a round just opened, a voice note just transcribed, an
// absence just ended.
type Trigger struct {
	Now   time.Time
	Event bot.Event
	State State
	// Lost says the dialog store had no state for the person at all (not
	// a cleared one), or one that could not be read.
	Lost   bool
	Person bot.Person
	// Location is the person's time zone.
	Location *time.Location
	// Opened names the period of a round just opened: prompt for it. Nudge,
	// with it, is the scheduler's Nudge-th reminder.
	Opened string
	Nudge  int
	// Note is a voice note just transcribed (or failed).
	Note     int64
	Returned bool // the person's absence ended
	Week     bool // Monday morning: the "my week" card
	// Forms says the person's platform can show a form.
	Forms    bool
	Feedback FeedbackConfig
	Texts    *i18n.Catalog
}

// Load reads through r what the step for tr looks at: what every step gets
// (the person's manager, team and goals, and the round the event is
// about), then what each flow reads for it (its load).
func Load(ctx context.Context, r Reader, tr Trigger) (Input, error) {
	ev, st := tr.Event, tr.State
	in := Input{
		Now: tr.Now, Event: ev, Open: tr.Opened != "", State: st, Person: tr.Person, Texts: tr.Texts,
		Period: period.Of(tr.Now, tr.Location), Today: tr.Now.In(tr.Location).Format(time.DateOnly),
		NoteReady: tr.Note != 0, Returned: tr.Returned, WeekDue: tr.Week, Nudge: tr.Nudge, Forms: tr.Forms, Lost: tr.Lost,
	}
	if tr.Opened != "" {
		in.Period = tr.Opened
	}
	l := loader{r: r, in: &in, tr: tr}
	// What every step gets is read at once: a step waits for the slowest
	// of these reads, not for their sum. Each fills its own fields.
	p := tr.Person
	var (
		wg   sync.WaitGroup
		errs [4]error
	)
	wg.Go(func() { in.Manager, errs[0] = l.person(ctx, p.ManagerID) })
	if p.TeamID != 0 {
		wg.Go(func() {
			if in.Team, errs[1] = optional(r.Team(ctx, p.TeamID)); errs[1] != nil {
				errs[1] = fmt.Errorf("conversations: load team: %w", errs[1])
			}
		})
	}
	wg.Go(func() {
		if in.Goals, errs[2] = r.Goals(ctx); errs[2] != nil {
			errs[2] = fmt.Errorf("conversations: load goals: %w", errs[2])
		}
	})
	wg.Go(func() { errs[3] = l.round(ctx) })
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return in, err
	}
	for _, f := range flows().all {
		if err := f(nil).load(ctx, &l); err != nil {
			return in, err
		}
	}
	return in, nil
}

// loader fills one Input.
type loader struct {
	r  Reader
	in *Input
	tr Trigger
}

// optional turns store.ErrNotFound into the zero value and no error.
func optional[T any](v T, err error) (T, error) {
	if errors.Is(err, store.ErrNotFound) {
		var zero T
		return zero, nil
	}
	return v, err
}

// person reads person id; nil when id is 0 or there is none.
func (l *loader) person(ctx context.Context, id int64) (*bot.Person, error) {
	if id == 0 {
		return nil, nil
	}
	p, err := l.r.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("conversations: load person %d: %w", id, err)
	}
	return &p, nil
}

// round finds the round an event is about: the one its button names, the
// one the dialog is on while a check-in is under way, or this period's;
// and its owner and reviewer.
func (l *loader) round(ctx context.Context) error {
	in := l.in
	var (
		r   store.Round
		err error
	)
	switch id := RoundOf(in.Event.Action); {
	case in.Event.Kind == bot.KindAction && id != 0:
		r, err = l.r.Round(ctx, id)
	case in.State.Active() && !in.Open:
		r, err = l.r.Round(ctx, in.State.Checkin.RoundID)
	default:
		r, err = l.r.RoundByPeriod(ctx, in.Period)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("conversations: load round: %w", err)
	}
	in.Round = &r
	if r.PersonID != in.Person.ID {
		if in.Owner, err = l.person(ctx, r.PersonID); err != nil {
			return err
		}
	}
	in.Reviewer, err = l.person(ctx, r.ReviewedBy)
	return err
}

// EventKey is the start of the keys of the records the step for ev
// creates (see Keyed); "" when ev has no id, as the scheduler's events.
func EventKey(ev bot.Event) string {
	if ev.ID == "" {
		return ""
	}
	return "event:" + ev.From.String() + ":" + ev.ID + ":"
}

// ownKey reports whether key names something ev saved: on an earlier run
// of its step, whose dialog state lost a race.
func ownKey(ev bot.Event, key string) bool {
	k := EventKey(ev)
	return k != "" && strings.HasPrefix(key, k)
}
