package store

import (
	"context"
	"errors"
	"time"
)

// DeliveryStatus is where a scheduled send stands.
type DeliveryStatus string

// Delivery statuses.
const (
	// DeliveryClaimed: a replica is sending it. A claim whose ClaimUntil
	// passed (the replica died) may be claimed again.
	DeliveryClaimed DeliveryStatus = "claimed"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed"
	// DeliverySkipped: by the time it was claimed there was nothing to
	// send (the check-in was submitted, the person is away).
	DeliverySkipped DeliveryStatus = "skipped"
)

// Delivery is one nudge, digest, reminder or escalation the scheduler
// sends, under a key that names it uniquely (kind, recipient, round or
// period), so it is sent once however many replicas are due to send it.
type Delivery struct {
	Key      string
	Kind     string
	PersonID int64  // the recipient
	Subject  string // what it is about, e.g. "round:42"
	Status   DeliveryStatus
	// Attempts counts the claims: more than one means a replica died
	// holding it, and the message may have gone out twice.
	Attempts   int
	ClaimedAt  time.Time
	ClaimUntil time.Time
	DoneAt     time.Time
	Reason     string // why it failed
}

// DeliveryFilter narrows Deliveries. Zero fields do not filter.
type DeliveryFilter struct {
	PersonID int64
	Kind     string
	Since    time.Time // claimed at or after
	Limit    int
}

// DeliveryTries is how often a delivery is tried before its failure is
// final: a platform that was down for a moment does not lose a nudge.
const DeliveryTries = 3

// DeliveryStore records the scheduler's nudges, digests, reminders and
// escalations, each under a unique key claimed before it is sent.
type DeliveryStore interface {
	// ClaimDelivery records d as claimed (d.ClaimedAt, until d.ClaimUntil)
	// and reports true, unless its key is already sent, skipped, claimed by
	// someone whose claim has not run out, or failed less than a lease
	// (ClaimUntil - ClaimedAt) ago or DeliveryTries times: then it reports
	// false.
	ClaimDelivery(ctx context.Context, d Delivery) (bool, error)
	// FinishDelivery records how the claimed delivery key ended.
	FinishDelivery(ctx context.Context, key string, status DeliveryStatus, reason string, at time.Time) error
	// Deliveries lists deliveries, newest first.
	Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
}

// Deliver claims d in ds, runs send, and records how it went: sent, skipped
// (send reported there was nothing to send) or failed with send's error. It
// reports whether it sent; false with no error means another replica has d,
// or it was done before.
func Deliver(ctx context.Context, ds DeliveryStore, now func() time.Time, d Delivery, send func() (bool, error)) (bool, error) {
	ok, err := ds.ClaimDelivery(ctx, d)
	if err != nil || !ok {
		return false, err
	}
	sent, err := send()
	status, reason := DeliverySent, ""
	switch {
	case err != nil:
		status, reason = DeliveryFailed, err.Error()
	case !sent:
		status = DeliverySkipped
	}
	if ferr := ds.FinishDelivery(ctx, d.Key, status, reason, now()); ferr != nil {
		return sent, errors.Join(err, ferr)
	}
	return sent && err == nil, err
}
