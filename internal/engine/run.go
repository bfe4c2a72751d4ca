package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/store"
)

// trigger is what a step runs for: an inbound event, a round just opened
// (opened names its period), or a voice note just transcribed or failed.
type trigger struct {
	event    bot.Event
	opened   string
	note     int64
	returned bool // the person's absence ended
	week     bool // Monday morning: the "my week" card
	nudge    int  // with opened: the scheduler's nth reminder
	// said, when set, is told whether the step had anything to say (the
	// scheduler records a card that had nothing in it as skipped).
	said *bool
}

// run steps person's conversation for tr, retrying when another event for
// the same person won a race.
func (e *Engine) run(ctx context.Context, person bot.Person, tr trigger) error {
	held, err := e.lease(ctx, person.ID)
	if err != nil {
		return err
	}
	release := sync.OnceFunc(held)
	defer release()
	key := dialogKey(person.ID)
	for range attempts {
		raw, version, err := e.dialog.Get(ctx, key)
		if err != nil {
			return fmt.Errorf("engine: read dialog: %w", err)
		}
		st, err := conversations.DecodeState(raw)
		// No key at all, not a cleared one: the state was lost (Redis
		// restarted without persistence) or expired, and the step rebuilds
		// what the round says.
		lost := raw == nil && version == 0
		if err != nil {
			// A state we can't read is one we rebuild too; the answers are
			// safe in the round.
			e.log.WarnContext(ctx, "dropping unreadable dialog state", "person", person.ID, "err", err)
			st, lost = conversations.State{}, true
		}
		tg := e.trigger(person, st, tr)
		tg.Lost = lost
		in, err := conversations.Load(ctx, e.reader(person), tg)
		if err != nil {
			return fmt.Errorf("engine: %w", err)
		}
		res := conversations.Step(in)
		if res.OpenPeriod != "" {
			if _, err := e.openRound(ctx, person, res.OpenPeriod); err != nil {
				return err
			}
			continue // step again, now with the round
		}
		dedupKeys(tr.event, &res)
		if tr.said != nil {
			*tr.said = len(res.Out) > 0
		}
		// The answer to an inbound event is kept with its step, in the
		// outbox: no platform retries what it was told is delivered.
		// Without one, the caller (the scheduler, under its delivery keys)
		// is told a failed send and tries again.
		var q queue
		if tr.event.Kind != "" {
			q = e.queueFor(ctx, person, tr.event, res.Out)
		}
		out, err := e.commit(ctx, key, version, st, &res, q)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, errConflict) {
			e.metrics.conflicts.Inc()
			continue
		}
		if err != nil {
			return err
		}
		// Held before the lease goes: the person's next step, whose
		// messages go after these, finds them.
		e.held.hold(out)
		// The step is committed: the person is free for their next event
		// before any platform is waited for, so a slow send never holds the
		// lease past its time.
		release()
		var sent error
		if tr.event.Kind != "" {
			e.sendQueued(ctx, out, e.waitsForReplies(ctx))
		} else {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
			sent = e.deliver(sctx, person, tr.event, res.Out)
			cancel()
		}
		if res.RemindTeam != "" {
			return e.remindTeam(ctx, person, res.RemindTeam)
		}
		return sent
	}
	return ErrContended
}

var errConflict = errors.New("engine: dialog state changed")

// sendTimeout bounds sending a committed step's messages; the person's
// lease is no longer held by then.
const sendTimeout = time.Minute

// commit makes what a step decided: every store effect, and the messages
// q keeps (claimed by this process), in one transaction (a round changed
// meanwhile fails it with store.ErrConflict), then the dialog state by
// compare-and-set. Before the transaction commits, the dialog state is
// checked to be still the one the step read: when another step changed it,
// nothing is kept and the step runs again. A change that slips in between
// that check and the compare-and-set also means step again, the effects
// already made being found by the round's version and the records' dedup
// keys, and the messages kept given up on: the step says what it says when
// it runs again. commit returns the messages kept.
func (e *Engine) commit(ctx context.Context, key string, version int64, before conversations.State, res *conversations.Result, q queue) ([]store.Outgoing, error) {
	changed := res.State != before
	// An event from the runtime's inbox is marked done in the transaction
	// of a step that writes records: its writes and "handled" are kept
	// together or not at all. A step that only answers opens no transaction;
	// the runtime records its event done with the next batch, and should the
	// process die before that, the step runs again and answers twice at
	// worst.
	rc, inboxed := bot.ReceiptFrom(ctx)
	var out []store.Outgoing
	settle := inboxed && !rc.Settled() && len(res.Effects) > 0
	if len(res.Effects) == 0 && len(q.to) > 0 {
		// Its one write needs no transaction, nor the check of the dialog
		// state, which the compare-and-set below makes anyway.
		out = q.messages(res.Out)
		if err := e.store.EnqueueOutbox(ctx, out, e.now().Add(outboxLease)); err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
	} else if len(res.Effects) > 0 {
		err := e.store.InTx(ctx, func(s store.Store) error {
			if err := res.Apply(ctx, s); err != nil {
				return err
			}
			// Kept with the step, the messages go out even if this process
			// dies the moment it commits.
			out = q.messages(res.Out)
			if err := s.EnqueueOutbox(ctx, out, e.now().Add(outboxLease)); err != nil {
				return err
			}
			if settle {
				if err := s.EventDone(ctx, rc.Envelope); err != nil {
					return err
				}
			}
			if !changed {
				return nil
			}
			return e.stillAt(ctx, key, version)
		})
		if err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		if settle {
			rc.Settle()
		}
	}
	if !changed {
		return out, nil
	}
	raw, err := res.State.Encode()
	if err == nil {
		_, err = e.dialog.Set(ctx, key, version, raw, stateTTL)
	}
	if err != nil {
		// The step runs again, now or on the event's redelivery.
		e.drop(ctx, out)
		if errors.Is(err, dialog.ErrConflict) {
			return nil, errConflict
		}
		return nil, fmt.Errorf("engine: write dialog: %w", err)
	}
	return out, nil
}

// stillAt reports errConflict when the dialog state at key is no longer at
// version.
func (e *Engine) stillAt(ctx context.Context, key string, version int64) error {
	_, now, err := e.dialog.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("read dialog: %w", err)
	}
	if now != version {
		return errConflict
	}
	return nil
}

// deliver sends a committed step's messages. It is the one place a step's
// messages leave the engine.
func (e *Engine) deliver(ctx context.Context, person bot.Person, ev bot.Event, out []conversations.Outbound) error {
	return e.dispatch(ctx, person, ev, out)
}

// trigger is what conversations.Load starts from for tr.
func (e *Engine) trigger(person bot.Person, st conversations.State, tr trigger) conversations.Trigger {
	return conversations.Trigger{
		Now: e.now(), Event: tr.event, State: st, Person: person, Location: e.location(person),
		Opened: tr.opened, Nudge: tr.nudge, Note: tr.note, Returned: tr.returned, Week: tr.week,
		Forms: e.showsForms(person, tr.event), Feedback: e.feedback, Texts: e.texts,
	}
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
