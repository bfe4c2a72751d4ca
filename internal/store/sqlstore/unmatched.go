package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/perfbot/perfbot/internal/store"
)

// KeepUnmatched inserts e unless its key is kept already.
func (s *Store) KeepUnmatched(ctx context.Context, e *store.UnmatchedEvent) (bool, error) {
	err := s.queryRow(ctx, `INSERT INTO hook_unmatched (event_key, source, platform, tenant, user_id, email,
			reason, kind, title, url, key_result, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_key) DO NOTHING RETURNING id`,
		e.Key, e.Source, string(e.Account.Platform), e.Account.Tenant, e.Account.UserID, e.Email,
		e.Reason, e.Kind, e.Title, e.URL, e.KeyResult, s.d.timeArg(e.ReceivedAt)).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap("keep unmatched", err)
	}
	return true, nil
}

// UnmatchedEvents lists the kept events, the newest first.
func (s *Store) UnmatchedEvents(ctx context.Context) ([]store.UnmatchedEvent, error) {
	rows, err := s.query(ctx, `SELECT id, event_key, source, platform, tenant, user_id, email, reason,
			kind, title, url, key_result, received_at
		FROM hook_unmatched ORDER BY received_at DESC, id DESC`)
	if err != nil {
		return nil, wrap("unmatched events", err)
	}
	events, err := collect(rows, func(sc scanner) (store.UnmatchedEvent, error) {
		var e store.UnmatchedEvent
		err := sc.Scan(&e.ID, &e.Key, &e.Source, (*string)(&e.Account.Platform), &e.Account.Tenant, &e.Account.UserID,
			&e.Email, &e.Reason, &e.Kind, &e.Title, &e.URL, &e.KeyResult, timeCol{&e.ReceivedAt})
		return e, err
	})
	if err != nil {
		return nil, wrap("unmatched events", err)
	}
	return events, nil
}
