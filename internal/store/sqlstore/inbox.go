package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Inbox statuses.
const (
	inboxPending = "pending"
	inboxClaimed = claimed
	inboxDone    = "done"
	inboxFailed  = "failed"
)

// claimed is the status of a claimed row in every table with claims (the
// inbox, the outbox): fenced settles only those.
const claimed = "claimed"

// KeepEvent inserts ev, claimed until until (pending when until is zero);
// an event whose key is already kept inserts nothing.
func (s *Store) KeepEvent(ctx context.Context, ev bot.Event, until time.Time) (bot.Envelope, bool, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return bot.Envelope{}, false, fmt.Errorf("sqlstore: keep event: %w", err)
	}
	env := bot.Envelope{Event: ev, ClaimUntil: normTime(until), ReceivedAt: s.now()}
	status := inboxPending
	if !until.IsZero() {
		status, env.Attempts = inboxClaimed, 1
	}
	var key any
	if k := ev.Key(); k != "" {
		key = k
	}
	rows, err := s.query(ctx, `INSERT INTO inbox (event_key, event, status, claim_until, attempts, received_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
		key, string(body), status, s.d.timeArg(env.ClaimUntil), env.Attempts, s.d.timeArg(env.ReceivedAt))
	if err != nil {
		return bot.Envelope{}, false, wrap("keep event", err)
	}
	ids, err := collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return bot.Envelope{}, false, wrap("keep event", err)
	}
	if len(ids) == 0 {
		return bot.Envelope{}, false, nil
	}
	env.ID = ids[0]
	return env, true, nil
}

// TakeEvents claims due events in one statement; on Postgres FOR UPDATE
// SKIP LOCKED lets replicas take different rows without waiting, and
// SQLite's one writer makes the statement atomic by itself.
func (s *Store) TakeEvents(ctx context.Context, now, until time.Time, limit int) ([]bot.Envelope, error) {
	lock := ""
	if s.d == postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	at := s.d.timeArg(normTime(now))
	rows, err := s.query(ctx, `UPDATE inbox SET status = ?, claim_until = ?, attempts = attempts + 1, due_at = NULL
		WHERE id IN (SELECT id FROM inbox
			WHERE (status = ? AND (due_at IS NULL OR due_at <= ?)) OR (status = ? AND claim_until < ?)
			ORDER BY id LIMIT ?`+lock+`)
		RETURNING id, event, attempts, claim_until, received_at`,
		inboxClaimed, s.d.timeArg(normTime(until)), inboxPending, at, inboxClaimed, at, limit)
	if err != nil {
		return nil, wrap("take events", err)
	}
	envs, err := collect(rows, func(sc scanner) (bot.Envelope, error) {
		var (
			env  bot.Envelope
			body string
		)
		if err := sc.Scan(&env.ID, &body, &env.Attempts, timeCol{&env.ClaimUntil}, timeCol{&env.ReceivedAt}); err != nil {
			return env, err
		}
		if err := json.Unmarshal([]byte(body), &env.Event); err != nil {
			return env, fmt.Errorf("inbox event %d: %w", env.ID, err)
		}
		return env, nil
	})
	if err != nil {
		return nil, wrap("take events", err)
	}
	// RETURNING gives no order.
	slices.SortFunc(envs, func(a, b bot.Envelope) int { return cmp.Compare(a.ID, b.ID) })
	return envs, nil
}

// EventDone records env as handled and drops its body: what stays is the
// key, for recognising redeliveries. Inside a step's transaction it commits
// with the step; a claim taken over meanwhile is bot.ErrClaimLost, which
// rolls the step back.
func (s *Store) EventDone(ctx context.Context, env bot.Envelope) error {
	return s.settle(ctx, "event done", env, `status = ?, event = '{}', done_at = ?, claim_until = NULL, reason = ''`,
		inboxDone, s.d.timeArg(s.now()))
}

// RetryEvent hands env back, due at at.
func (s *Store) RetryEvent(ctx context.Context, env bot.Envelope, at time.Time, reason string) error {
	return s.settle(ctx, "retry event", env, `status = ?, due_at = ?, claim_until = NULL, reason = ?`,
		inboxPending, s.d.timeArg(normTime(at)), reason)
}

// FailEvent gives env up, keeping its body for whoever looks into it.
func (s *Store) FailEvent(ctx context.Context, env bot.Envelope, reason string) error {
	return s.settle(ctx, "fail event", env, `status = ?, done_at = ?, claim_until = NULL, reason = ?`,
		inboxFailed, s.d.timeArg(s.now()), reason)
}

// settle updates env's row if it is still claimed under env's claim.
func (s *Store) settle(ctx context.Context, op string, env bot.Envelope, set string, args ...any) error {
	return s.fenced(ctx, op, "inbox", env.ID, env.ClaimUntil, bot.ErrClaimLost, set, args...)
}

// fenced updates row id of table, setting set with args, if it is still
// claimed under the claim that ends at until: a claim taken over since
// has another end. Otherwise it changes nothing and returns lost.
func (s *Store) fenced(ctx context.Context, op, table string, id int64, until time.Time, lost error, set string, args ...any) error {
	args = append(args, id, claimed, s.d.timeArg(normTime(until)))
	res, err := s.exec(ctx, `UPDATE `+table+` SET `+set+` WHERE id = ? AND status = ? AND claim_until = ?`, args...)
	if err != nil {
		return wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(op, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: %s %d: %w", op, id, lost)
	}
	return nil
}

// InboxStats counts the events not yet settled and finds the oldest.
func (s *Store) InboxStats(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest time.Time
	)
	err := s.queryRow(ctx, `SELECT COUNT(*), MIN(received_at) FROM inbox WHERE status IN (?, ?)`,
		inboxPending, inboxClaimed).Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, time.Time{}, wrap("inbox stats", err)
	}
	return n, oldest, nil
}

// PurgeInbox deletes the events done before before: long past any
// platform's redelivery, their keys are no longer needed.
func (s *Store) PurgeInbox(ctx context.Context, before time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM inbox WHERE status = ? AND done_at < ?`, inboxDone, s.d.timeArg(normTime(before)))
	if err != nil {
		return 0, wrap("purge inbox", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap("purge inbox", err)
	}
	return int(n), nil
}
