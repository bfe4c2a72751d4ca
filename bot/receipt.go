package bot

import (
	"context"
	"sync/atomic"
)

// Receipt is the inbox's record of the event being handled, in the
// handler's context. A handler that records the event as done in its own
// transaction (so the step's writes and "handled" commit together) says so
// with [Receipt.Settle]; otherwise the runtime records it after the handler
// returns.
type Receipt struct {
	Envelope Envelope
	// Patient says the event's sender waits for the answer (its adapter
	// is a [Patient]): the handler should finish its replies before it
	// returns.
	Patient bool
	settled atomic.Bool
}

// Settle says the handler recorded the event as done.
func (r *Receipt) Settle() { r.settled.Store(true) }

// Settled reports whether Settle was called.
func (r *Receipt) Settled() bool { return r.settled.Load() }

type receiptKey struct{}

func withReceipt(ctx context.Context, r *Receipt) context.Context {
	return context.WithValue(ctx, receiptKey{}, r)
}

// ReceiptFrom returns the receipt of the event ctx handles, if it came
// through a [Runtime].
func ReceiptFrom(ctx context.Context) (*Receipt, bool) {
	r, ok := ctx.Value(receiptKey{}).(*Receipt)
	return r, ok
}
