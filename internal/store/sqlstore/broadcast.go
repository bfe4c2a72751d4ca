package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// insertChunk is how many rows one multi-row INSERT carries: well inside
// both databases' limits on parameters, and few statements for 10,000 people.
const insertChunk = 500

const broadcastCols = `id, author_id, request_key, text, ack, remind_after_us, audience, created_at`

func scanBroadcast(sc scanner) (store.Broadcast, error) {
	var (
		b      store.Broadcast
		remind int64
	)
	err := sc.Scan(&b.ID, idCol{&b.AuthorID}, stringCol{&b.Key}, &b.Text, &b.Ack, &remind,
		objectCol[store.Audience]{&b.Audience}, timeCol{&b.CreatedAt})
	b.RemindAfter = time.Duration(remind) * time.Microsecond
	return b, err
}

// CreateBroadcast inserts b and its announcements in one transaction.
func (s *Store) CreateBroadcast(ctx context.Context, b *store.Broadcast, recipients []int64) (bool, error) {
	audience, err := json.Marshal(b.Audience)
	if err != nil {
		return false, wrap("create broadcast", err)
	}
	next := *b
	next.CreatedAt = s.now()
	created := true
	err = s.inTx(ctx, func(tx *Store) error {
		if next.Key != "" {
			// The key is checked inside the transaction: of two requests
			// racing, the second waits on the unique index and then fails
			// with a conflict, read below as "already created".
			old, err := scanBroadcast(tx.queryRow(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE request_key = ?`, next.Key))
			if err == nil {
				next, created = old, false
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return wrap("create broadcast", err)
			}
		}
		err := tx.queryRow(ctx, `INSERT INTO broadcasts (author_id, request_key, text, ack, remind_after_us, audience, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nullID(next.AuthorID), nullString(next.Key), next.Text, next.Ack, next.RemindAfter.Microseconds(),
			string(audience), s.d.timeArg(next.CreatedAt)).Scan(&next.ID)
		if err != nil {
			return wrap("create broadcast", err)
		}
		for chunk := range slices.Chunk(dedupe(recipients), insertChunk) {
			q := `INSERT INTO broadcast_deliveries (broadcast_id, person_id, kind) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(chunk)), ", ")
			args := make([]any, 0, 3*len(chunk))
			for _, id := range chunk {
				args = append(args, next.ID, id, string(store.BroadcastAnnounce))
			}
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return wrap("create broadcast deliveries", err)
			}
		}
		return nil
	})
	if err != nil {
		if next.Key != "" && errors.Is(err, store.ErrConflict) {
			old, rerr := scanBroadcast(s.queryRow(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE request_key = ?`, next.Key))
			if rerr == nil {
				*b = old
				return false, nil
			}
		}
		return false, err
	}
	*b = next
	return created, nil
}

// Broadcast reads one broadcast.
func (s *Store) Broadcast(ctx context.Context, id int64) (store.Broadcast, error) {
	b, err := scanBroadcast(s.queryRow(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE id = ?`, id))
	if err != nil {
		return store.Broadcast{}, wrap(fmt.Sprintf("broadcast %d", id), err)
	}
	return b, nil
}

// Broadcasts lists the newest broadcasts first.
func (s *Store) Broadcasts(ctx context.Context, limit int) ([]store.Broadcast, error) {
	rows, err := s.query(ctx, `SELECT `+broadcastCols+` FROM broadcasts ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, wrap("broadcasts", err)
	}
	bs, err := collect(rows, scanBroadcast)
	if err != nil {
		return nil, wrap("broadcasts", err)
	}
	return bs, nil
}

// ClaimDeliveries claims due deliveries in one statement. On Postgres the
// rows are picked FOR UPDATE SKIP LOCKED, so concurrent claimers take
// different rows without waiting for each other; SQLite has one writer at a
// time, which makes the statement atomic by itself.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.BroadcastDelivery, error) {
	lock := ""
	if s.d == postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	at := s.d.timeArg(normTime(now))
	// In SET, status is the row's status before the update: a claimed row
	// taken over is a reclaim.
	rows, err := s.query(ctx, `UPDATE broadcast_deliveries SET
			status = ?, claim_until = ?, attempts = attempts + 1,
			reclaims = reclaims + CASE WHEN status = ? THEN 1 ELSE 0 END
		WHERE id IN (SELECT id FROM broadcast_deliveries
			WHERE `+unsettled("status")+` AND ((status = ? AND (due_at IS NULL OR due_at <= ?)) OR (status = ? AND claim_until < ?))
			ORDER BY id LIMIT ?`+lock+`)
		RETURNING id, broadcast_id, person_id, kind, status, claim_until, attempts, reclaims, sent_at, reason`,
		string(store.BroadcastClaimed), s.d.timeArg(normTime(now.Add(lease))), string(store.BroadcastClaimed),
		string(store.BroadcastPending), at, string(store.BroadcastClaimed), at, limit)
	if err != nil {
		return nil, wrap("claim deliveries", err)
	}
	ds, err := collect(rows, func(sc scanner) (store.BroadcastDelivery, error) {
		var d store.BroadcastDelivery
		err := sc.Scan(&d.ID, &d.BroadcastID, &d.PersonID, (*string)(&d.Kind), (*string)(&d.State),
			timeCol{&d.ClaimUntil}, &d.Attempts, &d.Reclaims, timeCol{&d.SentAt}, &d.Reason)
		return d, err
	})
	if err != nil {
		return nil, wrap("claim deliveries", err)
	}
	// RETURNING gives no order.
	slices.SortFunc(ds, func(a, b store.BroadcastDelivery) int { return cmp.Compare(a.ID, b.ID) })
	return ds, nil
}

// MarkSent records claimed deliveries as sent. A row no longer claimed (its
// claim ran out and another sender finished it) is left as it is.
func (s *Store) MarkSent(ctx context.Context, ds []store.BroadcastDelivery, at time.Time) error {
	return s.finish(ctx, "mark sent", ds, `status = ?, sent_at = ?, claim_until = NULL, reason = ''`,
		string(store.BroadcastSent), s.d.timeArg(normTime(at)))
}

// MarkFailed records claimed deliveries as failed for good.
func (s *Store) MarkFailed(ctx context.Context, ds []store.BroadcastDelivery, reason string) error {
	return s.finish(ctx, "mark failed", ds, `status = ?, claim_until = NULL, reason = ?`,
		string(store.BroadcastFailed), reason)
}

// RetryDeliveries puts claimed deliveries back, due at at.
func (s *Store) RetryDeliveries(ctx context.Context, ds []store.BroadcastDelivery, at time.Time, reason string) error {
	return s.finish(ctx, "retry deliveries", ds, `status = ?, claim_until = NULL, due_at = ?, reason = ?`,
		string(store.BroadcastPending), s.d.timeArg(normTime(at)), reason)
}

// finish updates the rows of ds that are still claimed under the claim
// each was returned with (its ClaimUntil, which a takeover changes), with
// set and its args.
func (s *Store) finish(ctx context.Context, op string, ds []store.BroadcastDelivery, set string, args ...any) error {
	byClaim := map[time.Time][]int64{}
	for _, d := range ds {
		until := normTime(d.ClaimUntil)
		byClaim[until] = append(byClaim[until], d.ID)
	}
	for until, ids := range byClaim {
		for chunk := range slices.Chunk(ids, insertChunk) {
			all := append(append([]any(nil), args...), string(store.BroadcastClaimed), s.d.timeArg(until))
			for _, id := range chunk {
				all = append(all, id)
			}
			_, err := s.exec(ctx, `UPDATE broadcast_deliveries SET `+set+` WHERE status = ? AND claim_until = ? AND id IN (`+
				strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, all...)
			if err != nil {
				return wrap(op, err)
			}
		}
	}
	return nil
}

// Ack records an acknowledgment by one of the broadcast's recipients.
func (s *Store) Ack(ctx context.Context, broadcastID, personID int64, at time.Time) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO broadcast_acks (broadcast_id, person_id, at)
		SELECT broadcast_id, person_id, ? FROM broadcast_deliveries
		WHERE broadcast_id = ? AND person_id = ? AND kind = ?
		ON CONFLICT (broadcast_id, person_id) DO NOTHING`,
		s.d.timeArg(normTime(at)), broadcastID, personID, string(store.BroadcastAnnounce))
	if err != nil {
		return false, wrap("ack", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, wrap("ack", err)
	} else if n == 1 {
		// A reminder still waiting (for the person's working hours, or
		// their return) is no longer wanted.
		_, err := s.exec(ctx, `DELETE FROM broadcast_deliveries
			WHERE broadcast_id = ? AND person_id = ? AND kind = ? AND status = ?`,
			broadcastID, personID, string(store.BroadcastReminder), string(store.BroadcastPending))
		if err != nil {
			return true, wrap("ack", err)
		}
		return true, nil
	}
	var acked int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM broadcast_acks WHERE broadcast_id = ? AND person_id = ?`,
		broadcastID, personID).Scan(&acked); err != nil {
		return false, wrap("ack", err)
	}
	if acked == 0 {
		return false, fmt.Errorf("sqlstore: ack: person %d is no recipient of broadcast %d: %w", personID, broadcastID, store.ErrNotFound)
	}
	return false, nil
}

// EnqueueReminders adds the reminders that fell due. The unique delivery key
// makes it safe to run on every replica: a reminder is inserted once.
func (s *Store) EnqueueReminders(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `INSERT INTO broadcast_deliveries (broadcast_id, person_id, kind)
		SELECT d.broadcast_id, d.person_id, ? FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
		WHERE b.ack = ? AND b.remind_after_us > 0
			AND d.kind = `+literal(string(store.BroadcastAnnounce))+` AND d.status = `+literal(string(store.BroadcastSent))+`
			AND `+s.d.plusMicros("d.sent_at", "b.remind_after_us")+` <= ?
			AND NOT EXISTS (SELECT 1 FROM broadcast_acks a WHERE a.broadcast_id = d.broadcast_id AND a.person_id = d.person_id)
		ON CONFLICT (broadcast_id, person_id, kind) DO NOTHING`,
		string(store.BroadcastReminder), true, s.d.timeArg(normTime(now)))
	if err != nil {
		return 0, wrap("enqueue reminders", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap("enqueue reminders", err)
	}
	return int(n), nil
}

// plusMicros is the time column col moved by the microseconds in micros.
func (d dialect) plusMicros(col, micros string) string {
	if d == postgres {
		return "(" + col + " + " + micros + " * INTERVAL '1 microsecond')"
	}
	return "(" + col + " + " + micros + ")"
}

// BroadcastStatus counts a broadcast's deliveries and acknowledgments.
func (s *Store) BroadcastStatus(ctx context.Context, id int64) (store.BroadcastStatus, error) {
	b, err := s.Broadcast(ctx, id)
	if err != nil {
		return store.BroadcastStatus{}, err
	}
	st := store.BroadcastStatus{Broadcast: b}
	err = s.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN kind = ? AND status = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN kind = ? AND status = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN kind = ? AND status IN (?, ?) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN kind = ? AND status = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(reclaims), 0),
			(SELECT COUNT(*) FROM broadcast_acks WHERE broadcast_id = ?)
		FROM broadcast_deliveries WHERE broadcast_id = ?`,
		string(store.BroadcastAnnounce),
		string(store.BroadcastAnnounce), string(store.BroadcastSent),
		string(store.BroadcastAnnounce), string(store.BroadcastFailed),
		string(store.BroadcastAnnounce), string(store.BroadcastPending), string(store.BroadcastClaimed),
		string(store.BroadcastReminder), string(store.BroadcastSent),
		id, id).Scan(&st.Total, &st.Sent, &st.Failed, &st.Pending, &st.Reminded, &st.Reclaims, &st.Acked)
	if err != nil {
		return store.BroadcastStatus{}, wrap("broadcast status", err)
	}
	rows, err := s.query(ctx, `SELECT d.person_id, COALESCE(p.name, ''), d.kind, d.reason
		FROM broadcast_deliveries d LEFT JOIN people p ON p.id = d.person_id
		WHERE d.broadcast_id = ? AND d.status = ? ORDER BY d.id`, id, string(store.BroadcastFailed))
	if err != nil {
		return store.BroadcastStatus{}, wrap("broadcast failures", err)
	}
	st.Failures, err = collect(rows, func(sc scanner) (store.BroadcastFailure, error) {
		var f store.BroadcastFailure
		return f, sc.Scan(&f.PersonID, &f.Name, (*string)(&f.Kind), &f.Reason)
	})
	if err != nil {
		return store.BroadcastStatus{}, wrap("broadcast failures", err)
	}
	return st, nil
}

// PeopleByID reads the people with ids, in id order.
func (s *Store) PeopleByID(ctx context.Context, ids []int64) ([]bot.Person, error) {
	var out []bot.Person
	for chunk := range slices.Chunk(dedupe(ids), insertChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		people, err := s.people(ctx, []string{"p.id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"}, args)
		if err != nil {
			return nil, wrap("people by id", err)
		}
		out = append(out, people...)
	}
	slices.SortFunc(out, func(a, b bot.Person) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// dedupe is vs sorted, each once.
func dedupe[T cmp.Ordered](vs []T) []T { return slices.Compact(slices.Sorted(slices.Values(vs))) }
