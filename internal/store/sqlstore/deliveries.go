package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

// ClaimDelivery inserts d as claimed, takes over a claim that ran out, or
// takes up a failed one again once a lease has passed since it failed (at
// most store.DeliveryTries in all); the upsert's WHERE makes each one
// atomic step, so of several replicas exactly one gets a row back.
func (s *Store) ClaimDelivery(ctx context.Context, d store.Delivery) (bool, error) {
	lease := d.ClaimUntil.Sub(d.ClaimedAt)
	rows, err := s.query(ctx, `INSERT INTO deliveries
		(key, kind, person_id, subject, status, attempts, claimed_at, claim_until)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			status = excluded.status, claimed_at = excluded.claimed_at, claim_until = excluded.claim_until,
			attempts = deliveries.attempts + 1
		WHERE (deliveries.status = ? AND deliveries.claim_until < excluded.claimed_at)
			OR (deliveries.status = ? AND deliveries.attempts < ? AND deliveries.done_at < ?)
		RETURNING key`,
		d.Key, d.Kind, d.PersonID, d.Subject, string(store.DeliveryClaimed),
		s.d.timeArg(d.ClaimedAt), s.d.timeArg(d.ClaimUntil), string(store.DeliveryClaimed),
		string(store.DeliveryFailed), store.DeliveryTries, s.d.timeArg(d.ClaimedAt.Add(-lease)))
	if err != nil {
		return false, wrap("claim delivery", err)
	}
	defer rows.Close()
	claimed := rows.Next()
	if err := rows.Err(); err != nil {
		return false, wrap("claim delivery", err)
	}
	return claimed, nil
}

// FinishDelivery records how a claimed delivery ended.
func (s *Store) FinishDelivery(ctx context.Context, key string, status store.DeliveryStatus, reason string, at time.Time) error {
	return s.execOne(ctx, "finish delivery",
		`UPDATE deliveries SET status = ?, reason = ?, done_at = ? WHERE key = ?`,
		string(status), reason, s.d.timeArg(at), key)
}

// Deliveries lists deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, f store.DeliveryFilter) ([]store.Delivery, error) {
	var (
		conds []string
		args  []any
	)
	if f.PersonID != 0 {
		conds, args = append(conds, "person_id = ?"), append(args, f.PersonID)
	}
	if f.Kind != "" {
		conds, args = append(conds, "kind = ?"), append(args, f.Kind)
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "claimed_at >= ?"), append(args, s.d.timeArg(f.Since))
	}
	q := `SELECT key, kind, person_id, subject, status, attempts, claimed_at, claim_until, done_at, reason FROM deliveries`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY claimed_at DESC, key"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("deliveries", err)
	}
	ds, err := collect(rows, func(sc scanner) (store.Delivery, error) {
		var d store.Delivery
		err := sc.Scan(&d.Key, &d.Kind, &d.PersonID, &d.Subject, (*string)(&d.Status), &d.Attempts,
			timeCol{&d.ClaimedAt}, timeCol{&d.ClaimUntil}, timeCol{&d.DoneAt}, &d.Reason)
		return d, err
	})
	if err != nil {
		return nil, wrap("deliveries", err)
	}
	return ds, nil
}
