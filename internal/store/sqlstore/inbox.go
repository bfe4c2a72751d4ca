package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Inbox statuses.
const (
	inboxPending = "pending"
	inboxClaimed = claimed
	inboxDone    = "done"
	inboxFailed  = "failed"
)

// unsettled is the condition, on the status column col, of the partial
// indexes of the claimed tables (inbox, outbox, broadcast deliveries),
// written out (see literal).
func unsettled(col string) string {
	return col + " IN (" + literal(inboxPending) + ", " + literal(claimed) + ")"
}

// literal quotes v, one of perfbot's own constants and never anything
// read from outside, as an SQL string. A query meets a partial index's
// condition only when it spells it out: a planner proves that a query
// may use the index from literals, never from parameters.
func literal(v string) string { return "'" + v + "'" }

// claimed is the status of a claimed row in every table with claims (the
// inbox, the outbox): fenced settles only those.
const claimed = "claimed"

// KeepEvent inserts ev, claimed until until (pending when until is zero,
// or when another event of its sender is still open); an event whose key
// is already kept inserts nothing.
func (s *Store) KeepEvent(ctx context.Context, ev bot.Event, until time.Time) (bot.Envelope, bool, error) {
	env, kept, err := s.keepEvent(ctx, ev, until)
	if !until.IsZero() && errors.Is(err, store.ErrConflict) {
		// Another replica claimed an event of the same sender at the same
		// moment (inbox_one_claimed_idx): this one waits its turn.
		env, kept, err = s.keepEvent(ctx, ev, time.Time{})
	}
	return env, kept, err
}

func (s *Store) keepEvent(ctx context.Context, ev bot.Event, until time.Time) (bot.Envelope, bool, error) {
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
	// Behind an open event of the same sender it waits its turn, as
	// TakeEvents would make it: claimed now, it could overtake it. One
	// statement decides that and inserts; an event of the sender kept at
	// the same moment, which this statement cannot see, is what the
	// unique index stops.
	ts := "CAST(? AS INTEGER)"
	if s.d == postgres {
		ts = "CAST(? AS TIMESTAMPTZ)"
	}
	sender := ev.From.String()
	rows, err := s.query(ctx, `INSERT INTO inbox (event_key, event, sender, status, claim_until, attempts, received_at)
		SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CASE WHEN w.behind THEN ? ELSE CAST(? AS TEXT) END,
			CASE WHEN w.behind THEN NULL ELSE `+ts+` END, CASE WHEN w.behind THEN 0 ELSE CAST(? AS INTEGER) END, `+ts+`
		FROM (SELECT EXISTS (SELECT 1 FROM inbox WHERE `+unsettled("status")+` AND sender = ?) AS behind) AS w
		WHERE TRUE
		ON CONFLICT (event_key) DO NOTHING RETURNING id, status`,
		key, string(body), sender, inboxPending, status, s.d.timeArg(env.ClaimUntil), env.Attempts, s.d.timeArg(env.ReceivedAt),
		sender)
	if err != nil {
		return bot.Envelope{}, false, wrap("keep event", err)
	}
	type kept struct {
		id     int64
		status string
	}
	ks, err := collect(rows, func(sc scanner) (kept, error) {
		var k kept
		return k, sc.Scan(&k.id, &k.status)
	})
	if err != nil {
		return bot.Envelope{}, false, wrap("keep event", err)
	}
	if len(ks) == 0 {
		return bot.Envelope{}, false, nil
	}
	if ks[0].status == inboxPending {
		env.ClaimUntil, env.Attempts = time.Time{}, 0
	}
	env.ID = ks[0].id
	return env, true, nil
}

// TakeEvents claims due events in one statement; on Postgres FOR UPDATE
// SKIP LOCKED lets replicas take different rows without waiting, and
// SQLite's one writer makes the statement atomic by itself.
//
// It takes only a sender's first open event, and none of a sender with an
// event claimed: a person's messages are stepped one at a time, in the
// order they came, also when a replica died holding the first and the next
// is already due. Taking one event per sender is also what keeps replicas
// apart: a replica that skips the first, locked by another's take, finds
// the next one still behind it.
func (s *Store) TakeEvents(ctx context.Context, now, until time.Time, limit int) ([]bot.Envelope, error) {
	for try := 1; ; try++ {
		envs, err := s.takeEvents(ctx, now, until, limit)
		// An event kept claimed by another replica while this one took
		// its sender's earlier one: the index refused the second claim,
		// and the next statement sees the first.
		if errors.Is(err, store.ErrConflict) && try < 3 {
			continue
		}
		return envs, err
	}
}

// takeFront is how many of the oldest open events a take looks at, per
// event asked for: a sender's first open event is the head of their line,
// and among the oldest events nearly every sender's head is found.
//
// Deciding it in one statement over all open events made each take scan
// the whole inbox whenever the planner's statistics were stale, which they
// always are for a queue that grew within the last minute (the planner
// then believes nearly no event is open): with 13,000 events waiting a
// take cost 60 ms, and the workers, taking an event each as they came
// free, handled about 30 a second. The front is walked one index step at
// a time (the smallest open id above the last), a plan no statistics turn
// into a scan, and the heads among it are picked here.
const takeFront = 4

func (s *Store) takeEvents(ctx context.Context, now, until time.Time, limit int) ([]bot.Envelope, error) {
	size := max(limit*takeFront, 32)
	front, err := s.inboxFront(ctx, size)
	if err != nil {
		return nil, err
	}
	ids := heads(front, normTime(now), limit)
	if len(ids) == 0 && len(front) < size {
		return nil, nil // the whole inbox was looked at
	}
	lock := ""
	if s.d == postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	at := s.d.timeArg(normTime(now))
	// The conditions on c are on the row that is locked, so a row another
	// replica claimed meanwhile is checked again as it is now and skipped.
	which := `c.id IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + `)`
	args := []any{inboxClaimed, s.d.timeArg(normTime(until))}
	for _, id := range ids {
		args = append(args, id)
	}
	if len(ids) == 0 {
		// The front was all of senders being stepped or waiting for a
		// retry: heads further on are found the slow way, over the
		// whole inbox.
		which = `NOT EXISTS (SELECT 1 FROM inbox e WHERE ` + unsettled("e.status") + ` AND e.sender = c.sender AND e.id < c.id)`
	}
	args = append(args, inboxPending, at, inboxClaimed, at, limit)
	rows, err := s.query(ctx, `UPDATE inbox SET status = ?, claim_until = ?, attempts = attempts + 1, due_at = NULL
		WHERE id IN (SELECT c.id FROM inbox c
			WHERE `+which+` AND `+unsettled("c.status")+`
			AND ((c.status = ? AND (c.due_at IS NULL OR c.due_at <= ?)) OR (c.status = ? AND c.claim_until < ?))
			AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.status = `+literal(inboxClaimed)+` AND e.sender = c.sender AND e.id > c.id)
			ORDER BY c.id LIMIT ?`+lock+`)
		RETURNING id, event, attempts, claim_until, received_at`, args...)
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

// openEvent is an open event as a take weighs it.
type openEvent struct {
	id                int64
	sender, status    string
	dueAt, claimUntil time.Time
}

// inboxFront reads the oldest size open events, in id order.
func (s *Store) inboxFront(ctx context.Context, size int) ([]openEvent, error) {
	rows, err := s.query(ctx, `WITH RECURSIVE f(id, n) AS (
			SELECT (SELECT min(id) FROM inbox WHERE `+unsettled("status")+`), 1
			UNION ALL
			SELECT (SELECT min(id) FROM inbox WHERE `+unsettled("status")+` AND id > f.id), f.n + 1 FROM f
			WHERE f.id IS NOT NULL AND f.n < ?)
		SELECT i.id, COALESCE(i.sender, ''), i.status, i.due_at, i.claim_until FROM f JOIN inbox i ON i.id = f.id
		ORDER BY i.id`, size)
	if err != nil {
		return nil, wrap("take events", err)
	}
	front, err := collect(rows, func(sc scanner) (openEvent, error) {
		var e openEvent
		return e, sc.Scan(&e.id, &e.sender, &e.status, timeCol{&e.dueAt}, timeCol{&e.claimUntil})
	})
	if err != nil {
		return nil, wrap("take events", err)
	}
	return front, nil
}

// heads picks, from front (the oldest open events in order), up to limit
// that may be taken at now: each sender's first, when it is due or its
// claim ran out. Every earlier event of a sender in front is in front too,
// so "first in front" is "first in the inbox".
func heads(front []openEvent, now time.Time, limit int) []int64 {
	var ids []int64
	seen := map[string]bool{}
	for _, e := range front {
		if len(ids) == limit {
			break
		}
		if seen[e.sender] {
			continue
		}
		seen[e.sender] = true
		due := e.status == inboxPending && (e.dueAt.IsZero() || !e.dueAt.After(now))
		lapsed := e.status == inboxClaimed && e.claimUntil.Before(now)
		if due || lapsed {
			ids = append(ids, e.id)
		}
	}
	return ids
}

// EventDone records env as handled and drops its body: what stays is the
// key, for recognising redeliveries. Inside a step's transaction it commits
// with the step; a claim taken over meanwhile is bot.ErrClaimLost, which
// rolls the step back.
func (s *Store) EventDone(ctx context.Context, env bot.Envelope) error {
	return s.settle(ctx, "event done", env, `status = ?, event = '{}', done_at = ?, claim_until = NULL, reason = ''`,
		inboxDone, s.d.timeArg(s.now()))
}

// EventsDone records envs as handled in one statement, for the runtime's
// batches of events whose steps wrote nothing of their own.
func (s *Store) EventsDone(ctx context.Context, envs []bot.Envelope) error {
	if len(envs) == 0 {
		return nil
	}
	args := []any{inboxDone, s.d.timeArg(s.now()), inboxClaimed}
	marks := make([]string, len(envs))
	for i, env := range envs {
		marks[i] = "?"
		args = append(args, env.ID)
	}
	_, err := s.exec(ctx, `UPDATE inbox SET status = ?, event = '{}', done_at = ?, claim_until = NULL, reason = ''
		WHERE status = ? AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return wrap("events done", err)
	}
	return nil
}

// RetryEvent hands env back, due at at.
func (s *Store) RetryEvent(ctx context.Context, env bot.Envelope, at time.Time, reason string) error {
	return s.settle(ctx, "retry event", env, `status = ?, due_at = ?, claim_until = NULL, reason = ?`,
		inboxPending, s.d.timeArg(normTime(at)), reason)
}

// ReturnEvent hands env back untried, taking back the attempt its claim
// counted.
func (s *Store) ReturnEvent(ctx context.Context, env bot.Envelope) error {
	return s.settle(ctx, "return event", env, `status = ?, due_at = NULL, claim_until = NULL, attempts = attempts - 1`, inboxPending)
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
	n, err := s.execCount(ctx, op, `UPDATE `+table+` SET `+set+` WHERE id = ? AND status = ? AND claim_until = ?`, args...)
	if err != nil {
		return err
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
	err := s.queryRow(ctx, `SELECT COUNT(*), MIN(received_at) FROM inbox WHERE `+unsettled("status")).Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, time.Time{}, wrap("inbox stats", err)
	}
	return n, oldest, nil
}

// FailedEvents counts the events failed for good since since.
func (s *Store) FailedEvents(ctx context.Context, since time.Time) (int, error) {
	q, args := `SELECT COUNT(*) FROM inbox WHERE status = ?`, []any{inboxFailed}
	if !since.IsZero() {
		q, args = q+` AND done_at >= ?`, append(args, s.d.timeArg(since))
	}
	var n int
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, wrap("failed events", err)
	}
	return n, nil
}

// PurgeInbox deletes the events done before before: long past any
// platform's redelivery, their keys are no longer needed.
func (s *Store) PurgeInbox(ctx context.Context, before time.Time) (int, error) {
	return s.execCount(ctx, "purge inbox", `DELETE FROM inbox WHERE status = `+literal(inboxDone)+` AND done_at < ?`, s.d.timeArg(normTime(before)))
}
