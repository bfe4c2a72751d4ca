package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// This file is the send half of a step that answers an inbound event. Its
// messages are kept in the outbox (store.OutboxStore) in the step's own
// transaction, claimed by this process; once the step is committed and the
// person's lease given up, they are sent and each is settled. A process
// that dies in between leaves claims that run out, and the outbox job of
// whichever process runs it next sends the messages; a failed send is tried
// again later by the job. The messages to one address go in the order they
// were kept: one kept behind another waits for it here when this process
// holds it, and otherwise is handed to the job, which claims only the first
// unsent message of each address.

const (
	// outboxLease is how long a sender owns a message: longer than any
	// send may take (sendTimeout), so a live sender is never taken over.
	outboxLease = 2 * sendTimeout
	// outboxAttempts bounds the sends of one message.
	outboxAttempts = 6
	// outboxBatch is how many messages, to as many addresses, the job
	// sends at once.
	outboxBatch = 16
)

// queue is how a step answering an inbound event keeps its messages: in
// reply to ev, to the addresses resolved for them before the step's
// transaction. The zero queue keeps none: the step sends at once.
type queue struct {
	ev bot.Event
	to []bot.Address
}

// queueFor resolves the addresses of a step's messages for the outbox.
func (e *Engine) queueFor(ctx context.Context, subject bot.Person, ev bot.Event, outs []conversations.Outbound) queue {
	tos, _ := e.addresses(ctx, subject, ev, outs) // nobody to retry an unreachable one for
	return queue{ev: ev, to: tos}
}

// messages is what of outs goes to the outbox, once the step's effects
// named their new records in them (conversations.Result.Apply): each with
// its address, and what sending needs of the event it answers (not what
// the person wrote). Those nobody can be reached for are left out.
func (q queue) messages(outs []conversations.Outbound) []store.Outgoing {
	if len(q.to) == 0 {
		return nil
	}
	reply := bot.Event{ID: q.ev.ID, From: q.ev.From, Kind: q.ev.Kind, Ref: q.ev.Ref, Group: q.ev.Group,
		Channel: q.ev.Channel, At: q.ev.At}
	out := make([]store.Outgoing, 0, len(outs))
	for i, o := range outs {
		if q.to[i] == (bot.Address{}) {
			continue
		}
		m := o.Message
		m.To = q.to[i]
		out = append(out, store.Outgoing{Message: m, InReplyTo: reply})
	}
	return out
}

// sendQueued sends a committed step's messages, which this process holds.
// It waits for that, as long as ctx lets it, only when wait is set
// (waitsForReplies: the sender sees each reply before typing on).
// Otherwise, and past ctx, the sending goes on in the background (Wait
// waits for it), and the worker goes on to the next event: a platform that
// paces its calls answers a flood of replies slowly (WeCom allows 10,000
// calls a minute per corp, DingTalk 20 a second per API), and a worker
// waiting for each would cap the events handled at what the platform lets
// be sent. The messages wait for the platform in order, with nothing of
// the person held; one the pace allows only after its send deadline goes
// to the outbox job (settle), which sends it then.
func (e *Engine) sendQueued(ctx context.Context, out []store.Outgoing, wait bool) {
	if len(out) == 0 {
		return
	}
	done := make(chan struct{})
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		finished := sync.OnceFunc(func() { close(done) })
		defer finished()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		for i, m := range out {
			// What goes before it must go first: else the job sends both, in order.
			err := errBehind
			if e.held.await(sctx, m.After) {
				err = e.send(sctx, m.InReplyTo, m.Message)
			}
			if i == len(out)-1 && err == nil {
				// The step is over once its messages are out: the record of
				// the last one's sending is not waited for (Wait waits). A
				// failed one is handed to the job before the step returns.
				finished()
			}
			e.settle(sctx, m, err)
		}
	}()
	if !wait {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
		e.log.WarnContext(ctx, "step done; its messages are still being sent", "messages", len(out))
	}
}

// errBehind is why a message was handed to the outbox job unsent.
var errBehind = errors.New("waits for an earlier message to the same address")

// settle records how sending m went: sent; given up on when the platform
// refused it for good or its attempts are spent; otherwise due again after
// a backoff, or at once when only the sender stopped. It reports whether m
// was sent.
func (e *Engine) settle(ctx context.Context, m store.Outgoing, err error) bool {
	sctx := context.WithoutCancel(ctx)
	var serr error
	cleared := true
	if partial, ok := errors.AsType[*bot.PartialError](err); ok {
		// Its first parts are shown: the next attempt sends the rest.
		m.Message.Sent = partial.Sent
	}
	switch busy, paced := errors.AsType[*bot.BusyError](err); {
	case err == nil:
		serr = e.store.OutboxSent(sctx, m)
	case paced:
		// The platform's pace had no room before the deadline, and nothing
		// more was sent: the attempt is given back, and the job sends it
		// when the platform has room.
		cleared = false
		m.Attempts--
		serr = e.store.RetryOutbox(sctx, m, busy.At, err.Error())
	case errors.Is(err, errBehind):
		cleared = false
		serr = e.store.RetryOutbox(sctx, m, e.now(), err.Error())
	case errors.Is(err, bot.ErrPermanent), m.Attempts >= outboxAttempts:
		e.log.ErrorContext(ctx, "message given up on", "outbox", m.ID, "platform", m.Message.To.Platform,
			"attempts", m.Attempts, "err", err)
		serr = e.store.FailOutbox(sctx, m, err.Error())
	default:
		cleared = false
		wait := bot.Backoff(m.Attempts)
		if ctx.Err() != nil {
			wait = 0 // the sender stopped, the platform refused nothing: due at once
		}
		e.log.WarnContext(ctx, "message not sent; trying again", "outbox", m.ID, "platform", m.Message.To.Platform,
			"attempt", m.Attempts, "in", wait, "err", err)
		serr = e.store.RetryOutbox(sctx, m, e.now().Add(wait), err.Error())
	}
	if serr != nil {
		// Its claim runs out and the job takes it over: nothing is lost,
		// but what waits behind it waits for that.
		e.log.ErrorContext(ctx, "settle outgoing message", "outbox", m.ID, "err", serr)
		cleared = false
	}
	if e.held.release(m.ID, cleared) {
		e.wakeOutbox()
	}
	return err == nil && serr == nil
}

// drop gives up on messages a step kept that will not be sent: the step is
// run again (its dialog state changed meanwhile) and says what it says then.
func (e *Engine) drop(ctx context.Context, out []store.Outgoing) {
	for _, m := range out {
		if err := e.store.FailOutbox(context.WithoutCancel(ctx), m, "its step ran again"); err != nil {
			e.log.ErrorContext(ctx, "drop outgoing message", "outbox", m.ID, "err", err)
		}
	}
}

// OutboxJob is the runtime's periodic job that sends the outbox messages
// that are due: retries, messages handed over behind another, and those
// whose sender died. Every every, and at once when a message this process
// sent clears the way for one handed over behind it.
func (e *Engine) OutboxJob(every time.Duration) bot.Job {
	return bot.Job{Name: "outbox", Every: every, Wake: e.outboxWake, Run: func(ctx context.Context) error {
		n, err := e.SendDue(ctx)
		if n > 0 {
			e.log.InfoContext(ctx, "outbox messages sent", "count", n)
		}
		return err
	}}
}

// SendDue sends the outbox messages that are due until none is, and
// reports how many it sent. The messages of a claim are to different
// addresses, so they go at once.
func (e *Engine) SendDue(ctx context.Context) (int, error) {
	var sent atomic.Int64
	for ctx.Err() == nil {
		now := e.now()
		ms, err := e.store.ClaimOutbox(ctx, now, now.Add(outboxLease), outboxBatch)
		if err != nil {
			return int(sent.Load()), fmt.Errorf("engine: %w", err)
		}
		if len(ms) == 0 {
			return int(sent.Load()), nil
		}
		e.held.hold(ms)
		var wg sync.WaitGroup
		for _, m := range ms {
			wg.Go(func() {
				sctx, cancel := context.WithTimeout(ctx, sendTimeout)
				defer cancel()
				err := errSendersDied
				if m.Attempts <= outboxAttempts {
					err = e.send(sctx, m.InReplyTo, m.Message)
				}
				if e.settle(sctx, m, err) {
					sent.Add(1)
				}
			})
		}
		wg.Wait()
	}
	return int(sent.Load()), ctx.Err()
}

// errSendersDied is why a message taken over once too often is given up on
// unsent: each sender before died with it, and it may have gone out already.
var errSendersDied = errors.New("every sender died holding it")

func (e *Engine) wakeOutbox() {
	select {
	case e.outboxWake <- struct{}{}:
	default: // already awake
	}
}

// held are the outbox messages this process is sending, and those it
// settled lately, so that a message kept behind one of them waits for it
// here rather than for the job's next run.
type held struct {
	mu      sync.Mutex
	ids     map[int64]*holding
	settled []settledAt // oldest first
	now     func() time.Time
}

type holding struct {
	done chan struct{}
	// cleared: sent or given up on, so the messages after it may go.
	cleared bool
	// waited: a message behind it stopped waiting and went to the job,
	// which is to be woken when this one clears.
	waited bool
}

type settledAt struct {
	id int64
	at time.Time
}

// heldFor is how long a settled message is remembered: well past how long
// the step kept behind it takes from its commit to sending.
const heldFor = sendTimeout

func newHeld(now func() time.Time) *held { return &held{ids: map[int64]*holding{}, now: now} }

// hold notes that this process sends ms.
func (h *held) hold(ms []store.Outgoing) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range ms {
		h.ids[m.ID] = &holding{done: make(chan struct{})}
	}
}

// release notes that id is settled, cleared or not, and reports whether a
// message behind it was handed to the job that it now lets go.
func (h *held) release(id int64, cleared bool) (wake bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m, ok := h.ids[id]
	if !ok {
		return false
	}
	m.cleared = cleared
	close(m.done)
	now := h.now()
	h.settled = append(h.settled, settledAt{id, now})
	for len(h.settled) > 0 && now.Sub(h.settled[0].at) > heldFor {
		delete(h.ids, h.settled[0].id)
		h.settled = h.settled[1:]
	}
	return cleared && m.waited
}

// await waits until after, the message before one to the same address, is
// settled, and reports whether the one behind it may go now: true when
// there is none before it, or it was sent or given up on. A message this
// process does not hold, or one still unsettled when ctx ends, is the
// job's to order.
func (h *held) await(ctx context.Context, after int64) bool {
	if after == 0 {
		return true
	}
	h.mu.Lock()
	m, ok := h.ids[after]
	h.mu.Unlock()
	if !ok {
		return false
	}
	select {
	case <-m.done:
	case <-ctx.Done():
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-m.done:
		return m.cleared
	default:
		m.waited = true
		return false
	}
}
