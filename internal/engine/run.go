package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// trigger is what a step runs for: an inbound event, a round just opened
// (opened names its period), or a voice note just transcribed or failed.
type trigger struct {
	event    bot.Event
	opened   string
	note     int64
	returned bool // the person's absence ended
	nudge    int  // with opened: the scheduler's nth reminder
}

// run steps person's conversation for tr, retrying when another event for
// the same person won a race.
func (e *Engine) run(ctx context.Context, person bot.Person, tr trigger) error {
	release, err := e.lease(ctx, person.ID)
	if err != nil {
		return err
	}
	defer release()
	key := dialogKey(person.ID)
	for range attempts {
		raw, version, err := e.dialog.Get(ctx, key)
		if err != nil {
			return fmt.Errorf("engine: read dialog: %w", err)
		}
		st, err := conversations.DecodeState(raw)
		if err != nil {
			// A state we can't read is one we start over from; the answers
			// are safe in the round.
			e.log.WarnContext(ctx, "dropping unreadable dialog state", "person", person.ID, "err", err)
			st = conversations.State{}
		}
		in, err := e.load(ctx, person, st, tr)
		if err != nil {
			return err
		}
		res := conversations.Step(in)
		if res.OpenPeriod != "" {
			if _, err := e.openRound(ctx, person, res.OpenPeriod); err != nil {
				return err
			}
			continue // step again, now with the round
		}
		dedupKeys(tr.event, &res)
		err = e.commit(ctx, key, version, st, &res)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, errConflict) {
			e.metrics.conflicts.Inc()
			continue
		}
		if err != nil {
			return err
		}
		sent := e.deliver(ctx, person, tr.event, res.Out)
		if res.RemindTeam != "" {
			return e.remindTeam(ctx, person, res.RemindTeam)
		}
		if tr.event.Kind != "" {
			// An inbound event is done: a platform retry would step again.
			return nil
		}
		return sent
	}
	return ErrContended
}

var errConflict = errors.New("engine: dialog state changed")

// commit makes what a step decided: every store effect in one transaction
// (a round changed meanwhile fails it with store.ErrConflict, and nothing of
// the step is kept), then the dialog state by compare-and-set. A dialog
// conflict means step again: the effects already made are found again by
// the round's version and the records' dedup keys.
func (e *Engine) commit(ctx context.Context, key string, version int64, before conversations.State, res *conversations.Result) error {
	if len(res.Effects) > 0 {
		err := e.store.InTx(ctx, func(s store.Store) error { return res.Apply(ctx, s) })
		if err != nil {
			return fmt.Errorf("engine: %w", err)
		}
	}
	if res.State == before {
		return nil
	}
	raw, err := res.State.Encode()
	if err != nil {
		return err
	}
	if _, err := e.dialog.Set(ctx, key, version, raw, stateTTL); err != nil {
		if errors.Is(err, dialog.ErrConflict) {
			return errConflict
		}
		return fmt.Errorf("engine: write dialog: %w", err)
	}
	return nil
}

// deliver sends a committed step's messages. It is the one place a step's
// messages leave the engine.
func (e *Engine) deliver(ctx context.Context, person bot.Person, ev bot.Event, out []conversations.Outbound) error {
	return e.dispatch(ctx, person, ev, out)
}

// load reads what a step needs: the person's manager, team and goals, and the
// round the event is about, read as the person, so a button for a round
// they may not see finds nothing.
func (e *Engine) load(ctx context.Context, person bot.Person, st conversations.State, tr trigger) (conversations.Input, error) {
	now := e.now()
	ev := tr.event
	loc := e.location(person)
	in := conversations.Input{
		Now: now, Event: ev, Open: tr.opened != "", State: st, Person: person, Texts: e.texts,
		Period: period.Of(now, loc), Today: now.In(loc).Format(time.DateOnly),
		NoteReady: tr.note != 0, Returned: tr.returned, Nudge: tr.nudge,
	}
	if tr.opened != "" {
		in.Period = tr.opened
	}
	in.Forms = e.showsForms(person, ev)
	var err error
	if person.ManagerID != 0 {
		if in.Manager, err = e.optionalPerson(ctx, person.ManagerID); err != nil {
			return in, err
		}
	}
	if person.TeamID != 0 {
		switch in.Team, err = e.store.Team(ctx, person.TeamID); {
		case errors.Is(err, store.ErrNotFound):
			in.Team = store.Team{}
		case err != nil:
			return in, fmt.Errorf("engine: load team: %w", err)
		}
	}
	if in.Goals, err = e.store.Goals(ctx, person.ID); err != nil {
		return in, fmt.Errorf("engine: load goals: %w", err)
	}
	if in.Round, err = e.round(ctx, person, st, ev, in.Period, in.Open); err != nil {
		return in, err
	}
	if in.Note, err = e.note(ctx, person, st, tr); err != nil {
		return in, err
	}
	if err = e.loadBroadcast(ctx, person, st, &in); err != nil {
		return in, err
	}
	if r := in.Round; r != nil {
		if r.PersonID != person.ID {
			if in.Owner, err = e.optionalPerson(ctx, r.PersonID); err != nil {
				return in, err
			}
		}
		if r.ReviewedBy != 0 {
			if in.Reviewer, err = e.optionalPerson(ctx, r.ReviewedBy); err != nil {
				return in, err
			}
		}
	}
	if err = e.loadFeedback(ctx, &in); err != nil {
		return in, err
	}
	return in, nil
}

// round finds the round an event is about: the one its button names, the
// one the dialog is on while a check-in is under way, or this period's.
func (e *Engine) round(ctx context.Context, person bot.Person, st conversations.State, ev bot.Event, current string, open bool) (*store.Round, error) {
	viewer := store.Viewer(person.ID)
	var (
		r   store.Round
		err error
	)
	switch id := conversations.RoundOf(ev.Action); {
	case ev.Kind == bot.KindAction && id != 0:
		r, err = e.store.Round(ctx, viewer, id)
	case st.Active() && !open:
		r, err = e.store.Round(ctx, viewer, st.RoundID)
	default:
		r, err = e.store.RoundByPeriod(ctx, viewer, person.ID, current)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("engine: load round: %w", err)
	}
	return &r, nil
}

// note finds the voice note a step is about: the one just transcribed, the
// one a button names, or the one the dialog is confirming. It is read as
// the person, so nobody acts on someone else's.
func (e *Engine) note(ctx context.Context, person bot.Person, st conversations.State, tr trigger) (*store.VoiceNote, error) {
	id := tr.note
	if id == 0 && tr.event.Kind == bot.KindAction {
		id = conversations.VoiceOf(tr.event.Action)
	}
	if id == 0 {
		id = st.Voice
	}
	if id == 0 {
		return nil, nil
	}
	n, err := e.store.VoiceNote(ctx, store.Viewer(person.ID), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("engine: load voice note: %w", err)
	}
	return &n, nil
}

// showsForms reports whether the platform the person is talking on (or
// would be reached on) can show a form.
func (e *Engine) showsForms(p bot.Person, ev bot.Event) bool {
	platform := ev.From.Platform
	if platform == "" {
		to, ok := e.reach(p, "")
		if !ok {
			return false
		}
		platform = to.Platform
	}
	a, ok := e.adapter(platform)
	_, opener := a.(bot.FormOpener)
	return ok && opener
}

func (e *Engine) optionalPerson(ctx context.Context, id int64) (*bot.Person, error) {
	p, err := e.store.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("engine: load person %d: %w", id, err)
	}
	return &p, nil
}

func (e *Engine) location(p bot.Person) *time.Location {
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			return loc
		}
	}
	return e.tz
}

func dialogKey(personID int64) string { return "dialog:" + strconv.FormatInt(personID, 10) }
