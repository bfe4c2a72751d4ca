package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// KeepEvents keeps keeps in one statement: at thousands of events a
// second, one commit per event is what bounds the acknowledgements. Within
// the batch, an event whose key came earlier in it is a redelivery, and a
// sender's later event waits behind their first (the statement cannot see
// its own rows, so that is decided here). A batch with an event without a
// key, and one whose statement fails (another replica or batch claimed an
// event of one of its senders at the same moment), is kept one at a time.
func (s *Store) KeepEvents(ctx context.Context, keeps []bot.Keep) []bot.Kept {
	asked := keeps
	keeps = slices.Clone(keeps) // their Until may change here
	out := make([]bot.Kept, len(keeps))
	var batch []int // indexes of keeps in the statement
	firstKey := map[string]int{}
	senders := map[string]bool{}
	for i, k := range keeps {
		key := k.Event.Key()
		if key == "" {
			// Rows without a key are not told apart in what the statement
			// returns: a batch holding one is kept one at a time.
			return s.keepEach(ctx, asked, out, indexes(len(asked)))
		}
		if _, dup := firstKey[key]; dup {
			continue // out[i] stays "not kept": a redelivery
		}
		firstKey[key] = i
		// Behind their earlier event in the batch, which the statement
		// cannot see, a sender's event waits its turn.
		if sender := k.Event.From.String(); senders[sender] {
			keeps[i].Until = time.Time{}
		} else {
			senders[sender] = true
		}
		batch = append(batch, i)
	}
	if len(batch) == 0 {
		return out
	}
	if err := s.keepBatch(ctx, keeps, batch, out); err != nil {
		return s.keepEach(ctx, keeps, out, batch)
	}
	return out
}

// keepEach keeps keeps[which] one at a time, into out.
func (s *Store) keepEach(ctx context.Context, keeps []bot.Keep, out []bot.Kept, which []int) []bot.Kept {
	for _, i := range which {
		env, kept, err := s.KeepEvent(ctx, keeps[i].Event, keeps[i].Until)
		out[i] = bot.Kept{Envelope: env, Kept: kept, Err: err}
	}
	return out
}

func indexes(n int) []int {
	is := make([]int, n)
	for i := range is {
		is[i] = i
	}
	return is
}

// keepBatch inserts keeps[batch] in one statement and fills their out.
func (s *Store) keepBatch(ctx context.Context, keeps []bot.Keep, batch []int, out []bot.Kept) error {
	ts := "CAST(? AS INTEGER)"
	if s.d == postgres {
		ts = "CAST(? AS TIMESTAMPTZ)"
	}
	row := "(CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), " + ts + ", " + ts + ")"
	var args []any
	envs := make(map[string]bot.Envelope, len(batch))
	at := make(map[string]int, len(batch)) // where in keeps each key is
	now := s.now()
	for n, i := range batch {
		k := keeps[i]
		body, err := json.Marshal(k.Event)
		if err != nil {
			return fmt.Errorf("sqlstore: keep events: %w", err)
		}
		key := k.Event.Key()
		envs[key] = bot.Envelope{Event: k.Event, ClaimUntil: normTime(k.Until), ReceivedAt: now}
		at[key] = i
		args = append(args, n, key, string(body), k.Event.From.String(), s.d.timeArg(k.Until), s.d.timeArg(now))
	}
	// A row claims when it was kept with a claim and its sender has no
	// open event; like KeepEvent, decided once a row, in one statement.
	claims := `v.u IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inbox e WHERE ` + unsettled("e.status") + ` AND e.sender = v.s)`
	rows, err := s.query(ctx, `WITH v(o, k, b, s, u, r) AS (VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", len(batch)), ", ")+`)
		INSERT INTO inbox (event_key, event, sender, status, claim_until, attempts, received_at)
		SELECT w.k, w.b, w.s, CASE WHEN w.c THEN `+literal(inboxClaimed)+` ELSE `+literal(inboxPending)+` END,
			CASE WHEN w.c THEN w.u ELSE NULL END, CASE WHEN w.c THEN 1 ELSE 0 END, w.r
		FROM (SELECT v.*, `+claims+` AS c FROM v) AS w WHERE TRUE ORDER BY w.o
		ON CONFLICT (event_key) DO NOTHING RETURNING id, status, event_key`, args...)
	if err != nil {
		return wrap("keep events", err)
	}
	type kept struct {
		id          int64
		status, key string
	}
	ks, err := collect(rows, func(sc scanner) (kept, error) {
		var k kept
		return k, sc.Scan(&k.id, &k.status, &k.key)
	})
	if err != nil {
		return wrap("keep events", err)
	}
	for _, k := range ks {
		env := envs[k.key]
		env.ID = k.id
		if k.status == inboxPending {
			env.ClaimUntil = time.Time{}
		} else {
			env.Attempts = 1
		}
		out[at[k.key]] = bot.Kept{Envelope: env, Kept: true}
	}
	return nil
}
