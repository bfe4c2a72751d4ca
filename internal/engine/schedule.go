package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// Nudge reminds the owner of round roundID, the scheduler's nth reminder,
// and reports whether there was anything to remind them of: not once the
// round is submitted or skipped, or while they are away.
func (e *Engine) Nudge(ctx context.Context, roundID int64, n int) (bool, error) {
	r, err := e.store.Round(ctx, store.System, roundID)
	if err != nil {
		return false, fmt.Errorf("engine: nudge round %d: %w", roundID, err)
	}
	if r.Status != store.StatusPending && r.Status != store.StatusInProgress {
		return false, nil
	}
	person, err := e.store.Person(ctx, r.PersonID)
	if err != nil {
		return false, fmt.Errorf("engine: nudge person %d: %w", r.PersonID, err)
	}
	if person.AwayOn(e.today(person)) {
		return false, nil
	}
	return true, e.run(ctx, person, trigger{opened: r.Period, nudge: n})
}

// Digest sends a manager the one message of the deadline: who of their
// reports has not submitted for period.
func (e *Engine) Digest(ctx context.Context, managerID int64, period string, missing []int64) error {
	manager, err := e.store.Person(ctx, managerID)
	if err != nil {
		return fmt.Errorf("engine: digest for %d: %w", managerID, err)
	}
	people := make([]bot.Person, 0, len(missing))
	for _, id := range missing {
		p, err := e.store.Person(ctx, id)
		if err != nil {
			return fmt.Errorf("engine: digest: person %d: %w", id, err)
		}
		people = append(people, p)
	}
	return e.notify(ctx, manager, conversations.Digest(e.texts.For(manager.Locale), period, people))
}

// RemindReview asks the manager of round roundID again to review it; it
// has waited since its submission. It reports false when there is nothing
// to ask: reviewed already, or no manager.
func (e *Engine) RemindReview(ctx context.Context, roundID int64) (bool, error) {
	r, owner, manager, err := e.unreviewed(ctx, roundID)
	if err != nil || manager == nil {
		return false, err
	}
	team, err := e.teamOf(ctx, r.TeamID)
	if err != nil {
		return false, err
	}
	t := e.texts.For(manager.Locale)
	return true, e.notify(ctx, *manager, conversations.ReviewReminder(t, &r, owner, team, e.now().Sub(r.SubmittedAt)))
}

// EscalateReview tells the manager's manager that round roundID has waited
// too long for its review, and reports false when there is nobody to tell
// or nothing to tell them.
func (e *Engine) EscalateReview(ctx context.Context, roundID int64) (bool, error) {
	r, owner, manager, err := e.unreviewed(ctx, roundID)
	if err != nil || manager == nil || manager.ManagerID == 0 {
		return false, err
	}
	skip, err := e.store.Person(ctx, manager.ManagerID)
	if err != nil {
		return false, fmt.Errorf("engine: escalate to %d: %w", manager.ManagerID, err)
	}
	t := e.texts.For(skip.Locale)
	return true, e.notify(ctx, skip, conversations.ReviewEscalation(t, &r, owner, *manager, e.now().Sub(r.SubmittedAt)))
}

// unreviewed reads a submitted round not yet reviewed, its owner and their
// manager (nil when the round needs nothing, or the owner has no manager).
func (e *Engine) unreviewed(ctx context.Context, roundID int64) (store.Round, bot.Person, *bot.Person, error) {
	r, err := e.store.Round(ctx, store.System, roundID)
	if err != nil {
		return r, bot.Person{}, nil, fmt.Errorf("engine: round %d: %w", roundID, err)
	}
	owner, err := e.store.Person(ctx, r.PersonID)
	if err != nil {
		return r, owner, nil, fmt.Errorf("engine: person %d: %w", r.PersonID, err)
	}
	if r.Status != store.StatusSubmitted || r.ReviewedBy != 0 || owner.ManagerID == 0 {
		return r, owner, nil, nil
	}
	manager, err := e.optionalPerson(ctx, owner.ManagerID)
	return r, owner, manager, err
}

func (e *Engine) teamOf(ctx context.Context, id int64) (store.Team, error) {
	if id == 0 {
		return store.Team{}, nil
	}
	t, err := e.store.Team(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Team{}, nil
	}
	if err != nil {
		return t, fmt.Errorf("engine: team %d: %w", id, err)
	}
	return t, nil
}

// notify sends m to p, outside any conversation.
func (e *Engine) notify(ctx context.Context, p bot.Person, m bot.Message) error {
	to, ok := e.reach(p, "")
	if !ok {
		return fmt.Errorf("engine: %w: person %d", ErrUnreachable, p.ID)
	}
	m.To = to
	return e.send(ctx, bot.Event{}, m)
}

// ErrUnreachable is returned when a person has no identity on any platform
// perfbot is connected to.
var ErrUnreachable = errors.New("no way to reach person")

// manualLease is how long a "remind them" tap holds each reminder it sends.
const manualLease = 10 * time.Minute

// remindTeam reminds manager's reports who have not submitted for period,
// each once however often the button is tapped, and tells the manager how
// many. Only the manager's own reports are reminded, and each in their own
// hours: someone whose night it is gets the reminder in their morning.
func (e *Engine) remindTeam(ctx context.Context, manager bot.Person, period string) error {
	reports, err := e.store.People(ctx, store.PeopleFilter{ManagerID: manager.ID})
	if err != nil {
		return fmt.Errorf("engine: reports of %d: %w", manager.ID, err)
	}
	now, later := 0, 0
	for _, p := range reports {
		r, err := e.store.RoundByPeriod(ctx, store.System, p.ID, period)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("engine: round of %d: %w", p.ID, err)
		}
		at := e.now()
		next := e.nextNudge(p, at)
		key := "remind-team:" + strconv.FormatInt(r.ID, 10)
		d := store.Delivery{Key: key, Kind: "remind-team", PersonID: p.ID, Subject: "round:" + strconv.FormatInt(r.ID, 10),
			ClaimedAt: at, ClaimUntil: at.Add(manualLease)}
		sent, err := store.Deliver(ctx, e.store, e.now, d, func() (bool, error) {
			if next.After(at) {
				return e.remindLater(ctx, p, r, next)
			}
			return e.Nudge(ctx, r.ID, 1)
		})
		if err != nil {
			e.log.WarnContext(ctx, "remind report", "person", p.ID, "err", err)
		}
		switch {
		case !sent:
		case next.After(at):
			later++
		default:
			now++
		}
	}
	return e.notify(ctx, manager, conversations.TeamReminded(e.texts.For(manager.Locale), period, now, later))
}

// remindLater has round r's owner reminded at next, by the round's own
// "remind me later" (RemindDue), unless it is submitted or they are away.
func (e *Engine) remindLater(ctx context.Context, p bot.Person, r store.Round, next time.Time) (bool, error) {
	if (r.Status != store.StatusPending && r.Status != store.StatusInProgress) || p.AwayOn(e.today(p)) {
		return false, nil
	}
	if !r.RemindAt.IsZero() && r.RemindAt.Before(next) {
		return true, nil // they asked to be reminded sooner themselves
	}
	r.RemindAt = next
	if err := e.store.SaveRound(ctx, &r); err != nil {
		return false, fmt.Errorf("engine: remind later: %w", err)
	}
	return true, nil
}

// nextNudge is the first moment at or after t that a nudge may reach p.
func (e *Engine) nextNudge(p bot.Person, t time.Time) time.Time {
	if e.nudgeTime == nil {
		return t
	}
	return e.nudgeTime(p, t)
}

// SendImage sends img to person p, then m, where p's platform can show an
// image (bot.ImageSender); elsewhere, or when the image is refused, m
// alone, whose words carry what the image shows. m's buttons are sealed
// for p.
func (e *Engine) SendImage(ctx context.Context, p bot.Person, m bot.Message, img bot.Image) error {
	to, ok := e.reach(p, "")
	if !ok {
		return fmt.Errorf("engine: %w: person %d", ErrUnreachable, p.ID)
	}
	if a, _ := e.adapter(to.Platform); a != nil {
		if is, can := a.(bot.ImageSender); can {
			if _, err := is.SendImage(ctx, to, img); err != nil {
				// The words carry what the picture shows: without it (a
				// workspace that refused files:write, an upload down) the
				// digest still goes.
				e.metrics.sent.WithLabelValues(string(to.Platform), "error").Inc()
				e.log.WarnContext(ctx, "image not sent; sending the words only", "person", p.ID, "platform", to.Platform, "err", err)
			}
		}
	}
	m.To = to
	return e.send(ctx, bot.Event{}, m)
}
