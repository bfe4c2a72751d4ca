package store

import (
	"context"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// BroadcastStore keeps HR's broadcasts, their recipients and
// acknowledgments. It is a durable outbox: every message to every recipient
// is a delivery row whose unique key (broadcast, person, kind) is claimed
// before it is sent, so replicas sharing a database never send it twice, and
// a sender that died mid-send leaves a claim that expires and is taken over.
type BroadcastStore interface {
	// CreateBroadcast inserts b (setting its ID and CreatedAt) and an
	// announce delivery for each of recipients, all in one transaction.
	// When b.Key is set and a broadcast already has it, nothing is written,
	// b is filled from that broadcast and created is false: a retried
	// request creates one broadcast.
	CreateBroadcast(ctx context.Context, b *Broadcast, recipients []int64) (created bool, err error)
	Broadcast(ctx context.Context, id int64) (Broadcast, error)
	// Broadcasts lists the newest broadcasts first, at most limit.
	Broadcasts(ctx context.Context, limit int) ([]Broadcast, error)
	// ClaimDeliveries claims up to limit deliveries due at now, oldest
	// first, until now+lease: pending ones (not held back by a retry) and
	// claimed ones whose claim ran out, counting those as reclaims. Each
	// claim counts an attempt. Concurrent claimers never get one row twice.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]BroadcastDelivery, error)
	// MarkSent records claimed deliveries as sent at at. Each changes only
	// while it is still claimed under the claim given (ds as ClaimDeliveries
	// returned them): a sender whose claim ran out and was taken over
	// cannot undo the result of the one that took it over.
	MarkSent(ctx context.Context, ds []BroadcastDelivery, at time.Time) error
	// MarkFailed records claimed deliveries as failed for good, with why.
	MarkFailed(ctx context.Context, ds []BroadcastDelivery, reason string) error
	// RetryDeliveries puts claimed deliveries back, due again at at, noting
	// why the last attempt failed.
	RetryDeliveries(ctx context.Context, ds []BroadcastDelivery, at time.Time, reason string) error
	// Ack records that person read broadcast. Only its recipients may
	// (ErrNotFound otherwise); a second ack changes nothing and first is
	// false.
	Ack(ctx context.Context, broadcastID, personID int64, at time.Time) (first bool, err error)
	// EnqueueReminders adds a reminder delivery for every recipient of a
	// broadcast asking for acknowledgment who was sent the announcement
	// at least its RemindAfter before now and has not acknowledged it. A
	// person gets at most one reminder per broadcast. It returns how many
	// it added.
	EnqueueReminders(ctx context.Context, now time.Time) (int, error)
	BroadcastStatus(ctx context.Context, id int64) (BroadcastStatus, error)
	// PeopleByID reads the people with ids, in id order; missing ones are
	// left out.
	PeopleByID(ctx context.Context, ids []int64) ([]bot.Person, error)
}

// Broadcast is an announcement HR sent to many people.
type Broadcast struct {
	ID       int64
	AuthorID int64 // 0 when sent from the command line
	// Key makes creation idempotent: a second CreateBroadcast with the same
	// key creates nothing. "" for none.
	Key  string
	Text string
	// Ack adds an "I've read it" button; RemindAfter (0: never) is when
	// those who have not clicked it get a reminder.
	Ack         bool
	RemindAfter time.Duration
	Audience    Audience
	CreatedAt   time.Time
}

// Audience is who a broadcast is for: everyone, or anyone in one of the
// teams, departments or roles, or with one of the emails.
type Audience struct {
	Everyone    bool       `json:"everyone,omitempty"`
	Teams       []string   `json:"teams,omitempty"`
	Departments []string   `json:"departments,omitempty"`
	Roles       []bot.Role `json:"roles,omitempty"`
	Emails      []string   `json:"emails,omitempty"`
}

// IsZero reports whether the audience names nobody.
func (a Audience) IsZero() bool {
	return !a.Everyone && len(a.Teams) == 0 && len(a.Departments) == 0 && len(a.Roles) == 0 && len(a.Emails) == 0
}

// BroadcastKind is what a delivery carries.
type BroadcastKind string

// Delivery kinds.
const (
	BroadcastAnnounce BroadcastKind = "announce"
	BroadcastReminder BroadcastKind = "reminder"
)

// BroadcastState is where a delivery of a broadcast stands.
type BroadcastState string

// Delivery states.
const (
	BroadcastPending BroadcastState = "pending"
	BroadcastClaimed BroadcastState = "claimed"
	BroadcastSent    BroadcastState = "sent"
	BroadcastFailed  BroadcastState = "failed"
)

// BroadcastDelivery is one message of a broadcast to one person.
type BroadcastDelivery struct {
	ID          int64
	BroadcastID int64
	PersonID    int64
	Kind        BroadcastKind
	State       BroadcastState
	ClaimUntil  time.Time
	Attempts    int // claims so far, this one included
	// Reclaims counts claims taken over after they ran out: each may have
	// been sent by the claimer that let it run out, so it is a possible
	// duplicate.
	Reclaims int
	SentAt   time.Time
	Reason   string // why the last attempt failed
}

// BroadcastStatus is how far a broadcast got. The counts are of
// announcements, one per recipient.
type BroadcastStatus struct {
	Broadcast Broadcast
	Total     int
	Sent      int
	Failed    int
	Pending   int // not sent yet, claimed or not
	Acked     int
	Reminded  int // reminders sent
	Reclaims  int // possible duplicates, reminders included
	Failures  []BroadcastFailure
}

// ReadRate is the share of the people sent the broadcast who acknowledged
// it, 0 when nobody was sent it yet.
func (s BroadcastStatus) ReadRate() float64 {
	if s.Sent == 0 {
		return 0
	}
	return float64(s.Acked) / float64(s.Sent)
}

// BroadcastFailure is a delivery that failed for good.
type BroadcastFailure struct {
	PersonID int64
	Name     string
	Kind     BroadcastKind
	Reason   string
}
