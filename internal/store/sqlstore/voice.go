package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

const voiceCols = `id, person_id, platform, tenant, user_id, media_id, format, audio, transcript,
	received_at, kind, status, summary, error, attempts, round_id, updated_at`

func scanVoiceNote(sc scanner) (store.VoiceNote, error) {
	var n store.VoiceNote
	err := sc.Scan(&n.ID, &n.PersonID, (*string)(&n.Identity.Platform), &n.Identity.Tenant, &n.Identity.UserID,
		&n.MediaID, &n.Format, &n.Audio, &n.Transcript, timeCol{&n.ReceivedAt}, (*string)(&n.Kind),
		(*string)(&n.Status), objectCol[store.VoiceSummary]{&n.Summary}, &n.Error, &n.Attempts,
		idCol{&n.RoundID}, timeCol{&n.UpdatedAt})
	return n, err
}

// SaveVoiceNote inserts n when n.ID is 0, received now unless n says when
// and pending unless n says otherwise, or updates it.
func (s *Store) SaveVoiceNote(ctx context.Context, n *store.VoiceNote) error {
	next := *n
	next.UpdatedAt = s.now()
	if next.ReceivedAt.IsZero() {
		next.ReceivedAt = next.UpdatedAt
	}
	if next.Status == "" {
		next.Status = store.VoicePending
	}
	next.ReceivedAt, next.UpdatedAt = normTime(next.ReceivedAt), normTime(next.UpdatedAt)
	summary, err := json.Marshal(next.Summary)
	if err != nil {
		return wrap("save voice note", err)
	}
	args := []any{next.PersonID, string(next.Identity.Platform), next.Identity.Tenant, next.Identity.UserID,
		next.MediaID, next.Format, next.Audio, next.Transcript, s.d.timeArg(next.ReceivedAt), string(next.Kind),
		string(next.Status), string(summary), next.Error, next.Attempts, nullID(next.RoundID), s.d.timeArg(next.UpdatedAt)}
	const cols = `person_id, platform, tenant, user_id, media_id, format, audio, transcript,
		received_at, kind, status, summary, error, attempts, round_id, updated_at`
	if next.ID == 0 {
		err = s.queryRow(ctx, `INSERT INTO voice_notes (`+cols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&next.ID)
	} else {
		var res sql.Result
		res, err = s.exec(ctx, `UPDATE voice_notes SET (`+cols+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ?`, append(args, next.ID)...)
		if err == nil {
			err = mustAffect(res, fmt.Sprintf("voice note %d", next.ID))
		}
	}
	if err != nil {
		return wrap("save voice note", err)
	}
	*n = next
	return nil
}

// mustAffect turns an update that matched no row into ErrNotFound.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return nil
}

// VoiceNote reads the note with id if v may: its person, or perfbot.
func (s *Store) VoiceNote(ctx context.Context, v store.Viewer, id int64) (store.VoiceNote, error) {
	n, err := scanVoiceNote(s.queryRow(ctx, `SELECT `+voiceCols+` FROM voice_notes WHERE id = ?`, id))
	if err == nil && v != store.System && int64(v) != n.PersonID {
		return store.VoiceNote{}, fmt.Errorf("sqlstore: voice note %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.VoiceNote{}, wrap("voice note", err)
	}
	return n, nil
}

// VoiceNotes lists personID's voice notes, oldest first, if v may read
// them: the person themselves, or perfbot.
func (s *Store) VoiceNotes(ctx context.Context, v store.Viewer, personID int64) ([]store.VoiceNote, error) {
	if v != store.System && int64(v) != personID {
		return nil, nil
	}
	rows, err := s.query(ctx, `SELECT `+voiceCols+` FROM voice_notes WHERE person_id = ? ORDER BY received_at, id`, personID)
	if err != nil {
		return nil, wrap("voice notes", err)
	}
	notes, err := collect(rows, scanVoiceNote)
	if err != nil {
		return nil, wrap("voice notes", err)
	}
	return notes, nil
}

// waiting selects notes to transcribe: pending, or stalled at work.
const waiting = `(status = ? OR (status = ? AND updated_at < ?))`

func (s *Store) waitingArgs(staleBefore time.Time) []any {
	return []any{string(store.VoicePending), string(store.VoiceWorking), s.d.timeArg(normTime(staleBefore))}
}

// VoiceNotesWaiting lists the ids of notes to transcribe, oldest first.
func (s *Store) VoiceNotesWaiting(ctx context.Context, staleBefore time.Time, limit int) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT id FROM voice_notes WHERE `+waiting+` ORDER BY received_at, id LIMIT ?`,
		append(s.waitingArgs(staleBefore), limit)...)
	if err != nil {
		return nil, wrap("voice notes waiting", err)
	}
	ids, err := collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return nil, wrap("voice notes waiting", err)
	}
	return ids, nil
}

// ClaimVoiceNote takes a waiting note for work. The conditional update is
// the claim: of two workers, one changes the row and the other sees none.
func (s *Store) ClaimVoiceNote(ctx context.Context, id int64, staleBefore time.Time) (store.VoiceNote, bool, error) {
	res, err := s.exec(ctx, `UPDATE voice_notes SET status = ?, attempts = attempts + 1, updated_at = ?
		WHERE id = ? AND `+waiting, append([]any{string(store.VoiceWorking), s.d.timeArg(s.now()), id}, s.waitingArgs(staleBefore)...)...)
	if err != nil {
		return store.VoiceNote{}, false, wrap("claim voice note", err)
	}
	switch n, err := res.RowsAffected(); {
	case err != nil:
		return store.VoiceNote{}, false, wrap("claim voice note", err)
	case n == 0:
		return store.VoiceNote{}, false, nil // not waiting: another worker has it
	}
	n, err := s.VoiceNote(ctx, store.System, id)
	return n, err == nil, err
}

// PurgeVoice drops audio that is no longer needed and text past retention.
func (s *Store) PurgeVoice(ctx context.Context, audioBefore, textBefore time.Time) (int, error) {
	var changed int
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE voice_notes SET audio = NULL
			WHERE audio IS NOT NULL AND (status IN (?, ?) OR received_at < ?)`,
			[]any{string(store.VoiceConfirmed), string(store.VoiceDiscarded), s.d.timeArg(normTime(audioBefore))}},
		{`UPDATE voice_notes SET audio = NULL, transcript = '', summary = '{}'
			WHERE received_at < ? AND (transcript <> '' OR summary <> '{}' OR audio IS NOT NULL)`,
			[]any{s.d.timeArg(normTime(textBefore))}},
	} {
		res, err := s.exec(ctx, q.sql, q.args...)
		if err != nil {
			return changed, wrap("purge voice", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return changed, wrap("purge voice", err)
		}
		changed += int(n)
	}
	return changed, nil
}

// objectCol scans a JSON object column into *p.
type objectCol[T any] struct{ p *T }

func (c objectCol[T]) Scan(src any) error {
	var zero T
	*c.p = zero
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), c.p)
	case []byte:
		return json.Unmarshal(v, c.p)
	}
	return fmt.Errorf("sqlstore: cannot scan %T into a JSON object", src)
}
