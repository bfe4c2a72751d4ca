package sqlstore

import (
	"context"

	"github.com/perfbot/perfbot/internal/store"
)

// Audit records e. Its time is now unless e.At says otherwise.
func (s *Store) Audit(ctx context.Context, e store.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := s.exec(ctx, `INSERT INTO audit_log (at, actor_id, actor, action, object, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		s.d.timeArg(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Object, e.Detail)
	if err != nil {
		return wrap("audit", err)
	}
	return nil
}

// AuditLog lists the entries about object ("" for every object), newest
// first, at most limit of them (limit <= 0: all).
func (s *Store) AuditLog(ctx context.Context, object string, limit int) ([]store.AuditEntry, error) {
	q := `SELECT id, at, actor_id, actor, action, object, detail FROM audit_log`
	var args []any
	if object != "" {
		q += ` WHERE object = ?`
		args = append(args, object)
	}
	q += ` ORDER BY at DESC, id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("audit log", err)
	}
	entries, err := collect(rows, func(sc scanner) (store.AuditEntry, error) {
		var e store.AuditEntry
		err := sc.Scan(&e.ID, timeCol{&e.At}, idCol{&e.ActorID}, &e.Actor, &e.Action, &e.Object, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, wrap("audit log", err)
	}
	return entries, nil
}

// NoteUnknown counts one more message from u.Identity, first seen and last
// seen by the clock (u's times and count are ignored). A name the platform
// gave replaces the one kept; an empty one does not.
func (s *Store) NoteUnknown(ctx context.Context, u store.Unknown) error {
	now := s.d.timeArg(s.now())
	_, err := s.exec(ctx, `INSERT INTO unknown_senders AS u (platform, tenant, user_id, name, first_at, last_at, count)
		VALUES (?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (platform, tenant, user_id) DO UPDATE SET
			name = CASE WHEN excluded.name = '' THEN u.name ELSE excluded.name END,
			last_at = excluded.last_at,
			count = u.count + 1`,
		string(u.Identity.Platform), u.Identity.Tenant, u.Identity.UserID, u.Name, now, now)
	if err != nil {
		return wrap("note unknown", err)
	}
	return nil
}

// Unknowns lists the unknown senders, the most recently heard first.
func (s *Store) Unknowns(ctx context.Context) ([]store.Unknown, error) {
	rows, err := s.query(ctx, `SELECT platform, tenant, user_id, name, first_at, last_at, count
		FROM unknown_senders ORDER BY last_at DESC, platform, tenant, user_id`)
	if err != nil {
		return nil, wrap("unknowns", err)
	}
	unknowns, err := collect(rows, func(sc scanner) (store.Unknown, error) {
		var u store.Unknown
		err := sc.Scan((*string)(&u.Identity.Platform), &u.Identity.Tenant, &u.Identity.UserID, &u.Name,
			timeCol{&u.FirstAt}, timeCol{&u.LastAt}, &u.Count)
		return u, err
	})
	if err != nil {
		return nil, wrap("unknowns", err)
	}
	return unknowns, nil
}
