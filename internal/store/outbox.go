package store

import (
	"context"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// ErrClaimLost is returned when settling an outbox message whose claim ran
// out and was taken over: whoever took it settles it now. It is the inbox's
// bot.ErrClaimLost, so one errors.Is serves every claimed table.
var ErrClaimLost = bot.ErrClaimLost

// OutboxStore is the durable queue of the messages a step sends in answer
// to an inbound event. They are kept in the step's own transaction, so a
// crash after the step committed cannot lose them, and sent after it.
//
// A message is claimed by whoever sends it until a time (its lease); a claim
// that runs out (the sender died) is taken again, and the claim's end fences
// the settling: a sender whose claim was taken over settles nothing. The
// messages to one address go out in the order they were kept: a message is
// claimed only once every earlier one to the same address is sent or given
// up on.
type OutboxStore interface {
	// EnqueueOutbox keeps ms, in order, claimed until until, or due at once
	// for anyone to claim when until is zero. It sets each one's ID,
	// ClaimUntil, Attempts, CreatedAt and After.
	EnqueueOutbox(ctx context.Context, ms []Outgoing, until time.Time) error
	// ClaimOutbox claims, until until, up to limit messages that are due at
	// now or whose claim ran out before now, oldest first, and of those only
	// the first unsent one of each address.
	ClaimOutbox(ctx context.Context, now, until time.Time, limit int) ([]Outgoing, error)
	// OutboxSent records m as sent.
	OutboxSent(ctx context.Context, m Outgoing) error
	// RetryOutbox hands m back, due again at at, noting why. It keeps
	// m.Message.Sent, the parts an attempt delivered, and m.Attempts: a
	// caller whose attempt never reached the platform gives it back.
	RetryOutbox(ctx context.Context, m Outgoing, at time.Time, reason string) error
	// FailOutbox gives up on m for good, noting why; the messages after it
	// to the same address may then go.
	FailOutbox(ctx context.Context, m Outgoing, reason string) error
	// PurgeOutbox deletes the messages sent before before, and returns how
	// many.
	PurgeOutbox(ctx context.Context, before time.Time) (int, error)
	// OutboxStats reports how many messages are neither sent nor given up
	// on, and when the oldest of them was kept (zero when none is).
	OutboxStats(ctx context.Context) (depth int, oldest time.Time, err error)
}

// Outgoing is one message in the outbox.
type Outgoing struct {
	ID int64
	// Message is what is sent, its To resolved.
	Message bot.Message
	// InReplyTo is the inbound event the message answers, as much of it as
	// sending needs: who sent it and on which platform, its id (a Slack form
	// opens on the click's trigger), the message clicked (Ref) and the chat.
	InReplyTo bot.Event
	// Attempts counts the claims, this one included.
	Attempts   int
	ClaimUntil time.Time
	CreatedAt  time.Time
	// After, set by EnqueueOutbox, is the newest earlier message to the
	// same address still unsent when m was kept (0 for none): m may only go
	// once that one is sent or given up on.
	After int64
}
