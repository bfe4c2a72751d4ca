package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Outbox statuses; claimed is shared with the inbox.
const (
	outboxPending = "pending"
	outboxSent    = "sent"
	outboxFailed  = "failed"
)

// outboxCols are the columns of columns scanOutgoing reads.
const outboxCols = `id, message, in_reply_to, attempts, claim_until, created_at`

func scanOutgoing(sc scanner) (store.Outgoing, error) {
	var (
		m             store.Outgoing
		body, replyTo string
	)
	if err := sc.Scan(&m.ID, &body, &replyTo, &m.Attempts, timeCol{&m.ClaimUntil}, timeCol{&m.CreatedAt}); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(body), &m.Message); err != nil {
		return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
	}
	if err := json.Unmarshal([]byte(replyTo), &m.InReplyTo); err != nil {
		return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
	}
	return m, nil
}

// lane is the key the messages to one address are ordered under.
func lane(to bot.Address) string { return to.Identity.String() + "#" + to.Channel }

// EnqueueOutbox inserts ms in order, claimed until until (pending when
// until is zero), and links each to the message before it in its lane.
//
// On PostgreSQL the lanes' last open messages are read in the statement of
// the first insert, whose snapshot is from before it, and after the lanes
// are locked (lockLanes).
func (s *Store) EnqueueOutbox(ctx context.Context, ms []store.Outgoing, until time.Time) error {
	if len(ms) == 0 {
		return nil
	}
	now, until := s.now(), normTime(until)
	status, attempts := outboxPending, 0
	if !until.IsZero() {
		status, attempts = claimed, 1
	}
	lanes := make([]string, len(ms))
	for i, m := range ms {
		lanes[i] = lane(m.Message.To)
	}
	if s.d == postgres && !until.IsZero() {
		return s.inTx(ctx, func(tx *Store) error {
			if err := tx.lockLanes(ctx, lanes); err != nil {
				return err
			}
			return tx.enqueue(ctx, ms, lanes, now, until, status, attempts)
		})
	}
	return s.enqueue(ctx, ms, lanes, now, until, status, attempts)
}

// lockLanes holds lanes, on Postgres, until the transaction ends. Two
// steps sending to one person at once (two check-ins for one manager)
// would otherwise each miss the other's uncommitted message, link theirs
// to nothing and send both at once: the parts of one message (WeCom's
// text, then its card) between the parts of the other. Held, the second
// step's insert sees the first's message once it is committed, and waits
// for it. SQLite's transactions are one at a time already.
func (s *Store) lockLanes(ctx context.Context, lanes []string) error {
	distinct := dedupe(lanes) // sorted: one order for every locker, so no deadlock between them
	args := make([]any, len(distinct))
	for i, l := range distinct {
		args[i] = l
	}
	_, err := s.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('perfbot.outbox:' || current_schema() || ':' || v.lane, 0))
		FROM (VALUES `+strings.TrimSuffix(strings.Repeat("(CAST(? AS TEXT)), ", len(distinct)), ", ")+`) AS v(lane) ORDER BY v.lane`, args...)
	if err != nil {
		return wrap("enqueue outbox: lock lanes", err)
	}
	return nil
}

func (s *Store) enqueue(ctx context.Context, ms []store.Outgoing, lanes []string, now, until time.Time, status string, attempts int) error {
	var last map[string]int64
	if s.d != postgres {
		var err error
		if last, err = s.lastOpen(ctx, lanes); err != nil {
			return err
		}
	}
	var ids []int64
	for chunk := range slices.Chunk(ms, insertChunk) {
		args := make([]any, 0, 7*len(chunk))
		for _, m := range chunk {
			body, err := json.Marshal(m.Message)
			if err != nil {
				return fmt.Errorf("sqlstore: enqueue outbox: %w", err)
			}
			replyTo, err := json.Marshal(m.InReplyTo)
			if err != nil {
				return fmt.Errorf("sqlstore: enqueue outbox: %w", err)
			}
			args = append(args, lane(m.Message.To), string(body), string(replyTo), status,
				s.d.timeArg(until), attempts, s.d.timeArg(now))
		}
		q := `INSERT INTO outbox (lane, message, in_reply_to, status, claim_until, attempts, created_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ") + ` RETURNING id, NULL`
		if last == nil {
			open, openArgs := lastOpenQuery(lanes)
			q = `WITH ins AS (` + q + `) SELECT * FROM ins UNION ALL ` + open
			args = append(args, openArgs...)
			last = map[string]int64{}
		}
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return wrap("enqueue outbox", err)
		}
		got, err := collect(rows, func(sc scanner) (int64, error) {
			var (
				id int64
				l  sql.NullString
			)
			err := sc.Scan(&id, &l)
			if l.Valid {
				last[l.String] = id
				id = 0
			}
			return id, err
		})
		if err != nil {
			return wrap("enqueue outbox", err)
		}
		for _, id := range got {
			if id != 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) != len(ms) {
		return fmt.Errorf("sqlstore: enqueue outbox: kept %d of %d messages", len(ids), len(ms))
	}
	// RETURNING gives no order; ids are handed out in the order of VALUES.
	slices.Sort(ids)
	for i := range ms {
		ms[i].ID, ms[i].ClaimUntil, ms[i].Attempts, ms[i].CreatedAt = ids[i], until, attempts, now
		ms[i].After = last[lanes[i]]
		last[lanes[i]] = ids[i]
	}
	return nil
}

// lastOpenQuery selects, for each of lanes, its newest message not yet
// sent or given up on, as (id, lane) rows.
func lastOpenQuery(lanes []string) (string, []any) {
	distinct := dedupe(lanes)
	args := make([]any, 0, len(distinct))
	for _, l := range distinct {
		args = append(args, l)
	}
	return `SELECT MAX(id), lane FROM outbox WHERE ` + unsettled("status") + ` AND lane IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(distinct)), ", ") + `) GROUP BY lane`, args
}

// lastOpen runs lastOpenQuery.
func (s *Store) lastOpen(ctx context.Context, lanes []string) (map[string]int64, error) {
	q, args := lastOpenQuery(lanes)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("enqueue outbox", err)
	}
	last := make(map[string]int64, len(lanes))
	_, err = collect(rows, func(sc scanner) (struct{}, error) {
		var (
			id int64
			l  string
		)
		err := sc.Scan(&id, &l)
		last[l] = id
		return struct{}{}, err
	})
	if err != nil {
		return nil, wrap("enqueue outbox", err)
	}
	return last, nil
}

// ClaimOutbox claims the due heads of lanes in one statement, like
// TakeEvents. A row is a head when no earlier row of its lane is unsent; on
// Postgres a claimer skips the rows another is claiming, and the rows
// behind those stay behind, since their heads still read as unsent.
func (s *Store) ClaimOutbox(ctx context.Context, now, until time.Time, limit int) ([]store.Outgoing, error) {
	lock := ""
	if s.d == postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	at := s.d.timeArg(normTime(now))
	rows, err := s.query(ctx, `UPDATE outbox SET status = ?, claim_until = ?, attempts = attempts + 1, due_at = NULL
		WHERE id IN (SELECT o.id FROM outbox o
			WHERE `+unsettled("o.status")+` AND ((o.status = ? AND (o.due_at IS NULL OR o.due_at <= ?)) OR (o.status = ? AND o.claim_until < ?))
				AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.id < o.id AND `+unsettled("p.status")+`)
			ORDER BY o.id LIMIT ?`+lock+`)
		RETURNING `+outboxCols,
		claimed, s.d.timeArg(normTime(until)), outboxPending, at, claimed, at, limit)
	if err != nil {
		return nil, wrap("claim outbox", err)
	}
	ms, err := collect(rows, scanOutgoing)
	if err != nil {
		return nil, wrap("claim outbox", err)
	}
	slices.SortFunc(ms, func(a, b store.Outgoing) int { return cmp.Compare(a.ID, b.ID) })
	return ms, nil
}

// OutboxSent records m as sent and drops its body: what it said (answers
// echoed to a manager, say) is kept where it belongs, not here.
func (s *Store) OutboxSent(ctx context.Context, m store.Outgoing) error {
	return s.fenced(ctx, "outbox sent", "outbox", m.ID, m.ClaimUntil, store.ErrClaimLost,
		`status = ?, message = '{}', in_reply_to = '{}', sent_at = ?, claim_until = NULL, reason = ''`,
		outboxSent, s.d.timeArg(s.now()))
}

// RetryOutbox hands m back, due at at, with m.Attempts as its attempts.
func (s *Store) RetryOutbox(ctx context.Context, m store.Outgoing, at time.Time, reason string) error {
	set, args := `status = ?, due_at = ?, claim_until = NULL, reason = ?, attempts = ?`,
		[]any{outboxPending, s.d.timeArg(normTime(at)), reason, m.Attempts}
	if m.Message.Sent > 0 {
		// Its first parts are delivered: kept with the message, so the
		// next attempt sends only the rest.
		body, err := json.Marshal(m.Message)
		if err != nil {
			return fmt.Errorf("sqlstore: retry outbox: %w", err)
		}
		set, args = set+`, message = ?`, append(args, string(body))
	}
	return s.fenced(ctx, "retry outbox", "outbox", m.ID, m.ClaimUntil, store.ErrClaimLost, set, args...)
}

// FailOutbox gives m up, keeping its body for whoever looks into it.
func (s *Store) FailOutbox(ctx context.Context, m store.Outgoing, reason string) error {
	return s.fenced(ctx, "fail outbox", "outbox", m.ID, m.ClaimUntil, store.ErrClaimLost,
		`status = ?, claim_until = NULL, reason = ?`, outboxFailed, reason)
}

// OutboxStats counts the messages not yet sent or given up on, and finds
// the oldest.
func (s *Store) OutboxStats(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest time.Time
	)
	err := s.queryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE `+unsettled("status")).Scan(&n, timeCol{&oldest})
	if err != nil {
		return 0, time.Time{}, wrap("outbox stats", err)
	}
	return n, oldest, nil
}

// PurgeOutbox deletes the messages sent before before.
func (s *Store) PurgeOutbox(ctx context.Context, before time.Time) (int, error) {
	return s.execCount(ctx, "purge outbox", `DELETE FROM outbox WHERE status = `+literal(outboxSent)+` AND sent_at < ?`, s.d.timeArg(normTime(before)))
}
