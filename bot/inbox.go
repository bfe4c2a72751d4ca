package bot

import (
	"context"
	"errors"
	"time"
)

// ErrClaimLost is returned when settling an event whose claim was taken
// over: another worker handles it now, and this handling must leave no
// trace (a step's transaction rolls back).
var ErrClaimLost = errors.New("bot: claim lost")

// Inbox keeps every inbound event from the moment it is acknowledged until
// it is handled, so that neither a crash nor a shutdown loses an answer a
// platform was told it delivered. perfbot's is a table in its database; the
// event's [Event.Key] is unique in it, which makes a platform's redelivery
// of an event already kept a no-op.
//
// A kept event is claimed by whoever handles it until a time (its lease);
// a claim that runs out (the replica died) is taken again. The claim's end
// is also its fencing token: Done, Retry and Fail change nothing when the
// claim was taken over meanwhile.
type Inbox interface {
	// KeepEvent stores ev, claimed until until, or due at once for anyone
	// to take when until is zero or an earlier event of its sender is still
	// open (env.ClaimUntil is then zero). kept is false when an event with the same
	// key is kept already: a redelivery, to acknowledge and drop.
	KeepEvent(ctx context.Context, ev Event, until time.Time) (env Envelope, kept bool, err error)
	// TakeEvents claims, until until, up to limit events that are due at
	// now or whose claim ran out before now, oldest first.
	TakeEvents(ctx context.Context, now, until time.Time, limit int) ([]Envelope, error)
	// EventDone records env as handled.
	EventDone(ctx context.Context, env Envelope) error
	// EventsDone records several handled events in one write; one no longer
	// claimed (taken over, or settled already) is left as it is.
	EventsDone(ctx context.Context, envs []Envelope) error
	// RetryEvent hands env back, due again at at.
	RetryEvent(ctx context.Context, env Envelope, at time.Time, reason string) error
	// FailEvent gives up on env for good, keeping why.
	FailEvent(ctx context.Context, env Envelope, reason string) error
	// ReturnEvent hands env back untried, due at once: the attempt it was
	// taken for is not counted.
	ReturnEvent(ctx context.Context, env Envelope) error
	// InboxStats reports how many events wait or are being handled, and
	// when the oldest of them arrived (zero when none).
	InboxStats(ctx context.Context) (depth int, oldest time.Time, err error)
}

// Keep is one event for [BatchKeeper.KeepEvents]: what KeepEvent takes.
type Keep struct {
	Event Event
	Until time.Time
}

// Kept is what keeping one event came to: what KeepEvent returns.
type Kept struct {
	Envelope Envelope
	Kept     bool
	Err      error
}

// BatchKeeper is an [Inbox] that keeps several events in one write. The
// runtime then keeps the events that arrive at the same moment together:
// at thousands of events a second that is what a database can commit.
type BatchKeeper interface {
	Inbox
	// KeepEvents keeps each of keeps as KeepEvent would, in their order
	// (an event of a sender waits behind the sender's earlier one in the
	// same batch), and reports each one's outcome in the same order.
	KeepEvents(ctx context.Context, keeps []Keep) []Kept
}

// Envelope is an event as the inbox keeps it.
type Envelope struct {
	ID    int64
	Event Event
	// Attempts counts the claims, this one included: more than one means
	// an earlier handling failed or its replica died.
	Attempts   int
	ClaimUntil time.Time
	ReceivedAt time.Time
}

// Key is what makes an event unique in the inbox: the platform's own id,
// within the identity that sent it. It is "" for an event without an id,
// which is then never taken for a redelivery.
func (ev Event) Key() string {
	if ev.ID == "" {
		return ""
	}
	return ev.From.String() + ":" + ev.ID
}
