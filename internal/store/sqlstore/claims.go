package sqlstore

import (
	"context"
	"time"
)

// ClaimKey inserts key's claim, or takes over one that ran out before at;
// the upsert's WHERE makes that one atomic step, so of several callers at
// once exactly one gets a row back.
func (s *Store) ClaimKey(ctx context.Context, key string, at, until time.Time) (bool, error) {
	rows, err := s.query(ctx, `INSERT INTO claims (key, claim_until) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET claim_until = excluded.claim_until
		WHERE claims.claim_until <= ?
		RETURNING key`, key, s.d.timeArg(until), s.d.timeArg(at))
	if err != nil {
		return false, wrap("claim key", err)
	}
	defer rows.Close()
	claimed := rows.Next()
	if err := rows.Err(); err != nil {
		return false, wrap("claim key", err)
	}
	return claimed, nil
}

// ReleaseKey deletes key's claim; a key not claimed is no error.
func (s *Store) ReleaseKey(ctx context.Context, key string) error {
	if _, err := s.exec(ctx, `DELETE FROM claims WHERE key = ?`, key); err != nil {
		return wrap("release key", err)
	}
	return nil
}

// PurgeClaims deletes the claims that ran out before before.
func (s *Store) PurgeClaims(ctx context.Context, before time.Time) (int, error) {
	return s.execCount(ctx, "purge claims", `DELETE FROM claims WHERE claim_until < ?`, s.d.timeArg(before))
}
