package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// BroadcastStore is what the Broadcaster needs of the store: the outbox of
// broadcast deliveries and the people they are for.
type BroadcastStore interface {
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.BroadcastDelivery, error)
	MarkSent(ctx context.Context, ds []store.BroadcastDelivery, at time.Time) error
	MarkFailed(ctx context.Context, ds []store.BroadcastDelivery, reason string) error
	RetryDeliveries(ctx context.Context, ds []store.BroadcastDelivery, at time.Time, reason string) error
	EnqueueReminders(ctx context.Context, now time.Time) (int, error)
	Broadcast(ctx context.Context, id int64) (store.Broadcast, error)
	PeopleByID(ctx context.Context, ids []int64) ([]bot.Person, error)
}

// Sender is a platform the Broadcaster sends on: a bot.Adapter. One that
// is also a bot.Multicaster gets many recipients a call; the others get one
// message each. Either way a few calls are in flight at a time, paced by the
// adapter's own rate limits.
type Sender interface {
	Platform() bot.Platform
	Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error)
}

// Defaults of BroadcasterOptions.
const (
	DefaultBroadcastLease  = 5 * time.Minute
	DefaultBroadcastBatch  = 500
	DefaultBroadcastEvery  = 2 * time.Second
	DefaultBroadcastFanout = 8
	DefaultBroadcastTries  = 4
	DefaultBroadcastRetry  = 30 * time.Second
	maxBroadcastRetry      = 30 * time.Minute
	maxReason              = 300
)

// BroadcasterOptions configure a Broadcaster. Zero values take the defaults.
type BroadcasterOptions struct {
	Store   BroadcastStore
	Senders []Sender
	Texts   *i18n.Catalog
	Clock   func() time.Time
	Logger  *slog.Logger
	// Lease is how long a claimed batch is this Broadcaster's. It must
	// outlast sending a batch: a claim that runs out is taken over by
	// another replica (counted as a reclaim), which may send it again.
	Lease time.Duration
	// Batch is how many deliveries are claimed at once.
	Batch int
	// Every is how often the broadcaster looks for work (Job).
	Every time.Duration
	// Fanout bounds the calls in flight to one platform: sends one by one,
	// or calls of many recipients to a Multicaster.
	Fanout int
	// Tries is how often a delivery is attempted before it fails for good.
	Tries int
	// Retry is the wait before the first retry; it doubles each time.
	Retry time.Duration
	// Planner, when set, keeps reminders to read a broadcast to each
	// person's Hours on their working days, in their time zone (TimeZone
	// for people without one), and holds them while the person is away.
	// The announcement itself goes out when HR sends it.
	Planner  *Planner
	Hours    Hours
	TimeZone *time.Location
}

// Broadcaster sends HR broadcasts from the store's outbox: it claims due
// deliveries, groups them by platform, tenant, locale and message, and
// sends each group as fast as the platform allows, recording each
// recipient's outcome. Any number of Broadcasters may share one database.
type Broadcaster struct {
	o     BroadcasterOptions
	now   func() time.Time
	log   *slog.Logger
	sends map[bot.Platform]Sender
}

// NewBroadcaster returns a Broadcaster.
func NewBroadcaster(o BroadcasterOptions) (*Broadcaster, error) {
	if o.Store == nil || o.Texts == nil {
		return nil, errors.New("scheduler: NewBroadcaster: Store and Texts are required")
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Lease = cmpOr(o.Lease, DefaultBroadcastLease)
	o.Batch = cmpOr(o.Batch, DefaultBroadcastBatch)
	o.Every = cmpOr(o.Every, DefaultBroadcastEvery)
	o.Fanout = cmpOr(o.Fanout, DefaultBroadcastFanout)
	o.Tries = cmpOr(o.Tries, DefaultBroadcastTries)
	if o.Hours == (Hours{}) {
		o.Hours = DefaultRules().NudgeHours
	}
	o.Retry = cmpOr(o.Retry, DefaultBroadcastRetry)
	b := &Broadcaster{o: o, now: o.Clock, log: o.Logger, sends: map[bot.Platform]Sender{}}
	for _, s := range o.Senders {
		b.sends[s.Platform()] = s
	}
	return b, nil
}

// cmpOr is v, or def when v is not positive.
func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Job is the broadcaster as the runtime's periodic job: Tick every Every.
func (b *Broadcaster) Job() bot.Job {
	return bot.Job{Name: "broadcasts", Every: b.o.Every, Run: b.Tick}
}

// Tick queues the reminders that fell due, then sends batches while there
// are any due.
func (b *Broadcaster) Tick(ctx context.Context) error {
	n, err := b.o.Store.EnqueueReminders(ctx, b.now())
	if err != nil {
		return fmt.Errorf("scheduler: broadcast reminders: %w", err)
	}
	if n > 0 {
		b.log.InfoContext(ctx, "broadcast reminders queued", "count", n)
	}
	for ctx.Err() == nil {
		n, err := b.SendDue(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
	return nil
}

// delivery is a claimed delivery and the identity it goes to.
type delivery struct {
	store.BroadcastDelivery
	to bot.Identity
}

// groupKey is what the deliveries of one message share.
type groupKey struct {
	platform  bot.Platform
	tenant    string
	locale    string
	broadcast int64
	kind      store.BroadcastKind
}

// SendDue claims one batch of due deliveries and sends it, and says how many
// it claimed. Outcomes are recorded as each group finishes, so a crash
// leaves few sent-but-unrecorded claims behind.
func (b *Broadcaster) SendDue(ctx context.Context) (int, error) {
	at := b.now()
	claimed, err := b.o.Store.ClaimDeliveries(ctx, at, b.o.Lease, b.o.Batch)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	// No send starts once the claim is about to run out: another replica
	// may take it over then, and both would send. What is left is handed
	// back instead (a slow platform, Slack opening thousands of DMs).
	stop := at.Add(b.o.Lease - b.o.Lease/10)
	// Outcomes are recorded even when ctx ends mid-batch: it is how a
	// shutdown hands unsent deliveries back.
	rec := context.WithoutCancel(ctx)
	groups, msgs, err := b.group(ctx, rec, claimed)
	if err != nil {
		return len(claimed), err
	}
	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y groupKey) int { return cmp.Compare(groups[x][0].ID, groups[y][0].ID) })
	var errs []error
	for _, k := range keys {
		if b.stopped(ctx, stop) {
			errs = append(errs, b.release(rec, groups[k]))
			continue
		}
		errs = append(errs, b.sendGroup(ctx, rec, b.sends[k.platform], groups[k], msgs[k], stop))
	}
	return len(claimed), errors.Join(errs...)
}

// reminderTime is when a reminder to read a broadcast may reach p: now,
// or the start of their hours on their next working day, or when they are
// back from leave.
func (b *Broadcaster) reminderTime(p bot.Person) time.Time {
	now := b.now()
	if b.o.Planner == nil {
		return now
	}
	who := PersonOf(p, cmp.Or(b.o.TimeZone, time.UTC))
	t := now
	if p.AwayOn(now.In(who.loc()).Format(time.DateOnly)) {
		if back, err := time.ParseInLocation(time.DateOnly, p.AwayUntil, who.loc()); err == nil {
			t = back
		}
	}
	return b.o.Planner.KeepToHours(who, b.o.Hours, t)
}

// stopped reports whether no more sends may start: ctx ended, or the
// claim is about to run out at stop.
func (b *Broadcaster) stopped(ctx context.Context, stop time.Time) bool {
	return ctx.Err() != nil || !b.now().Before(stop)
}

// group finds who each delivery goes to and what it says. Deliveries that
// cannot go anywhere fail at once.
func (b *Broadcaster) group(ctx, rec context.Context, claimed []store.BroadcastDelivery) (map[groupKey][]delivery, map[groupKey]bot.Message, error) {
	personIDs := make([]int64, len(claimed))
	for i, d := range claimed {
		personIDs[i] = d.PersonID
	}
	people, err := b.o.Store.PeopleByID(ctx, personIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("scheduler: broadcast recipients: %w", err)
	}
	byID := make(map[int64]bot.Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	broadcasts := map[int64]store.Broadcast{}
	authors := map[int64]string{} // by broadcast
	groups := map[groupKey][]delivery{}
	msgs := map[groupKey]bot.Message{}
	up := func(p bot.Platform) bool { _, ok := b.sends[p]; return ok }
	var gone, unreachable []store.BroadcastDelivery
	later := map[time.Time][]store.BroadcastDelivery{}
	for _, d := range claimed {
		p, ok := byID[d.PersonID]
		if !ok {
			gone = append(gone, d)
			continue
		}
		if d.Kind == store.BroadcastReminder {
			if at := b.reminderTime(p); at.After(b.now()) {
				later[at] = append(later[at], d)
				continue
			}
		}
		to, ok := p.Reach("", up)
		if !ok {
			unreachable = append(unreachable, d)
			continue
		}
		bc, ok := broadcasts[d.BroadcastID]
		if !ok {
			if bc, err = b.o.Store.Broadcast(ctx, d.BroadcastID); err != nil {
				return nil, nil, fmt.Errorf("scheduler: broadcast %d: %w", d.BroadcastID, err)
			}
			broadcasts[d.BroadcastID] = bc
			if authors[bc.ID], err = b.authorName(ctx, bc); err != nil {
				return nil, nil, err
			}
		}
		k := groupKey{to.Platform, to.Tenant, b.o.Texts.For(p.Locale).Locale(), d.BroadcastID, d.Kind}
		if _, ok := msgs[k]; !ok {
			msgs[k] = conversations.BroadcastMessage(b.o.Texts, bc, authors[bc.ID], d.Kind, k.locale)
		}
		groups[k] = append(groups[k], delivery{BroadcastDelivery: d, to: to})
	}
	for at, ds := range later {
		if err := b.o.Store.RetryDeliveries(rec, ds, at, "waiting for the person's working hours"); err != nil {
			return nil, nil, fmt.Errorf("scheduler: %w", err)
		}
	}
	if err := b.o.Store.MarkFailed(rec, gone, "no such person"); err != nil {
		return nil, nil, fmt.Errorf("scheduler: %w", err)
	}
	if err := b.o.Store.MarkFailed(rec, unreachable, "unreachable: no identity on a connected platform"); err != nil {
		return nil, nil, fmt.Errorf("scheduler: %w", err)
	}
	return groups, msgs, nil
}

// authorName is the name of who wrote bc, for its card to say; "" when it
// was sent from the command line, or its author is gone.
func (b *Broadcaster) authorName(ctx context.Context, bc store.Broadcast) (string, error) {
	if bc.AuthorID == 0 {
		return "", nil
	}
	ps, err := b.o.Store.PeopleByID(ctx, []int64{bc.AuthorID})
	if err != nil {
		return "", fmt.Errorf("scheduler: broadcast %d author: %w", bc.ID, err)
	}
	if len(ps) == 0 {
		return "", nil
	}
	return ps[0].Name, nil
}

// sendGroup sends one message to a group of deliveries on one platform:
// in calls of many recipients to a Multicaster, one by one to the others,
// Fanout calls in flight either way. Calls in flight, not one after
// another, are what let a paced platform reach its rate: DingTalk allows a
// call every 50 ms, and a call that waited for the answer and the record of
// the one before it (tens of milliseconds to DingTalk and back, more on a
// busy machine) would lose that time on every call.
func (b *Broadcaster) sendGroup(ctx, rec context.Context, s Sender, ds []delivery, msg bot.Message, stop time.Time) error {
	if m, ok := s.(bot.Multicaster); ok {
		return b.fanOut(ctx, rec, slices.Collect(slices.Chunk(ds, max(m.BatchSize(), 1))), stop, func(chunk []delivery) error {
			return b.multicast(ctx, rec, m, chunk, msg)
		})
	}
	return b.fanOut(ctx, rec, slices.Collect(slices.Chunk(ds, 1)), stop, func(one []delivery) error {
		return b.sendOne(ctx, rec, s, one[0], msg)
	})
}

// multicast sends msg to a chunk in one call and records each outcome.
func (b *Broadcaster) multicast(ctx, rec context.Context, m bot.Multicaster, chunk []delivery, msg bot.Message) error {
	to := make([]bot.Identity, len(chunk))
	for i, d := range chunk {
		to[i] = d.to
	}
	refused, err := m.SendMany(ctx, to, msg)
	if err != nil {
		return b.retry(rec, chunk, err)
	}
	byIdentity := make(map[bot.Identity]bot.Refusal, len(refused))
	for _, r := range refused {
		byIdentity[r.Identity] = r
	}
	var (
		sent  []store.BroadcastDelivery
		errs  []error
		fails = map[string][]delivery{}
		again = map[string][]delivery{}
	)
	for _, d := range chunk {
		r, no := byIdentity[d.to]
		switch {
		case !no:
			sent = append(sent, d.BroadcastDelivery)
		case r.Temporary:
			again[r.Reason] = append(again[r.Reason], d)
		default:
			fails[r.Reason] = append(fails[r.Reason], d)
		}
	}
	errs = append(errs, b.o.Store.MarkSent(rec, sent, b.now()))
	for reason, ds := range fails {
		errs = append(errs, b.o.Store.MarkFailed(rec, claims(ds), reason))
	}
	for reason, ds := range again {
		errs = append(errs, b.retry(rec, ds, errors.New(reason)))
	}
	return errors.Join(errs...)
}

// sendOne sends msg to one delivery and records the outcome.
func (b *Broadcaster) sendOne(ctx, rec context.Context, s Sender, d delivery, msg bot.Message) error {
	msg.To = bot.Address{Identity: d.to}
	if _, err := s.Send(ctx, msg); err != nil {
		return b.retry(rec, []delivery{d}, err)
	}
	return b.o.Store.MarkSent(rec, []store.BroadcastDelivery{d.BroadcastDelivery}, b.now())
}

// fanOut runs send on each call's deliveries, Fanout calls at a time, each
// recording its outcome as it comes. Once no more sends may start (see
// stopped), the calls not started are handed back.
func (b *Broadcaster) fanOut(ctx, rec context.Context, calls [][]delivery, stop time.Time, send func([]delivery) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, b.o.Fanout)
	)
	note := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	for i, call := range calls {
		took := false
		select {
		case sem <- struct{}{}:
			took = true
		case <-ctx.Done():
		}
		if b.stopped(ctx, stop) {
			if took {
				<-sem // the slot is not used
			}
			wg.Wait()
			note(b.release(rec, slices.Concat(calls[i:]...)))
			return errors.Join(errs...)
		}
		wg.Go(func() {
			defer func() { <-sem }()
			note(send(call))
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// retry puts deliveries whose send failed back for later, with a wait that
// doubles each attempt, or fails those out of attempts for good, and all of
// them when the platform refused for good (bot.ErrPermanent), as the outbox
// does: trying again cannot get past it.
func (b *Broadcaster) retry(rec context.Context, ds []delivery, cause error) error {
	permanent := errors.Is(cause, bot.ErrPermanent)
	reason := cause.Error()
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	var spent []store.BroadcastDelivery
	later := map[int][]store.BroadcastDelivery{}
	for _, d := range ds {
		if permanent || d.Attempts >= b.o.Tries {
			spent = append(spent, d.BroadcastDelivery)
			continue
		}
		later[d.Attempts] = append(later[d.Attempts], d.BroadcastDelivery)
	}
	b.log.WarnContext(rec, "broadcast send failed", "recipients", len(ds), "failed_for_good", len(spent), "err", cause)
	errs := []error{b.o.Store.MarkFailed(rec, spent, reason)}
	for attempts, idsAt := range later {
		wait := min(b.o.Retry<<(attempts-1), maxBroadcastRetry)
		errs = append(errs, b.o.Store.RetryDeliveries(rec, idsAt, b.now().Add(wait), reason))
	}
	return errors.Join(errs...)
}

// release hands deliveries left unsent on shutdown back, due at once.
func (b *Broadcaster) release(rec context.Context, ds []delivery) error {
	return b.o.Store.RetryDeliveries(rec, claims(ds), b.now(), "not sent: shutting down")
}

// claims are the store's deliveries, with the claims they were sent under.
func claims(ds []delivery) []store.BroadcastDelivery {
	out := make([]store.BroadcastDelivery, len(ds))
	for i, d := range ds {
		out[i] = d.BroadcastDelivery
	}
	return out
}
