package store

import (
	"context"
	"time"
)

// ClaimStore keeps claims on keys that make something happen once, where
// losing the claim would make it happen twice: unlike Redis, the database
// keeps them through a restart. A business event's signature is one.
type ClaimStore interface {
	// ClaimKey takes key from at until until and reports true, unless a
	// claim on key lasts past at: then it reports false. Of several callers
	// at once, one gets true.
	ClaimKey(ctx context.Context, key string, at, until time.Time) (bool, error)
	// ReleaseKey gives up the claim on key, so it can be taken again now.
	ReleaseKey(ctx context.Context, key string) error
	// PurgeClaims deletes the claims that ran out before before, and
	// returns how many.
	PurgeClaims(ctx context.Context, before time.Time) (int, error)
}
