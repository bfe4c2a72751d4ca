package store

import (
	"context"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// UnmatchedEvent is a business event from a tool's webhook that perfbot
// could not hand to a manager: nobody has the tool account it names, or
// the person has no manager. It is kept, not dropped, so an admin can add
// the identity it names and see what was missed.
type UnmatchedEvent struct {
	ID int64
	// Key is the delivery the event came in (its replay claim); one event
	// is kept per key.
	Key    string
	Source string // github, gitlab, jira, hubspot, dingtalk, wecom
	// Account is the identity to add to a person (github::octocat); Email
	// is the address the tool gave, if any.
	Account bot.Identity
	Email   string
	Reason  string // UnmatchedUnknown, UnmatchedNoManager or UnmatchedNoKeyResult
	Kind    string
	Title   string
	URL     string
	// KeyResult is the key result the event's rule moves, if any.
	KeyResult  string
	ReceivedAt time.Time
}

// The reasons an event is unmatched.
const (
	UnmatchedUnknown   = "unknown_person"
	UnmatchedNoManager = "no_manager"
	// UnmatchedNoKeyResult is an event whose rule (or sender) named a key
	// result the person's agreed goals do not have: their manager was
	// prompted, but no progress moved. Account and Email are the person's.
	UnmatchedNoKeyResult = "no_key_result"
)

// UnmatchedStore keeps the business events nobody could be prompted for.
type UnmatchedStore interface {
	// KeepUnmatched keeps e, setting e.ID, and reports true; an event
	// kept under e.Key already is left as it is, and false reported.
	KeepUnmatched(ctx context.Context, e *UnmatchedEvent) (bool, error)
	// UnmatchedEvents lists the kept events, the newest first.
	UnmatchedEvents(ctx context.Context) ([]UnmatchedEvent, error)
}
