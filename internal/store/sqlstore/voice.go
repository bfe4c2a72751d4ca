package sqlstore

import (
	"context"

	"github.com/perfbot/perfbot/internal/store"
)

// SaveVoiceNote keeps n, received now unless n says when.
func (s *Store) SaveVoiceNote(ctx context.Context, n *store.VoiceNote) error {
	if n.ReceivedAt.IsZero() {
		n.ReceivedAt = s.now()
	}
	n.ReceivedAt = normTime(n.ReceivedAt)
	err := s.queryRow(ctx, `INSERT INTO voice_notes (person_id, platform, tenant, user_id, media_id, format, audio, transcript, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.PersonID, string(n.Identity.Platform), n.Identity.Tenant, n.Identity.UserID, n.MediaID, n.Format,
		n.Audio, n.Transcript, s.d.timeArg(n.ReceivedAt)).Scan(&n.ID)
	if err != nil {
		return wrap("save voice note", err)
	}
	return nil
}

// VoiceNotes lists personID's voice notes, oldest first, if v may read
// them: the person themselves, or perfbot.
func (s *Store) VoiceNotes(ctx context.Context, v store.Viewer, personID int64) ([]store.VoiceNote, error) {
	if v != store.System && int64(v) != personID {
		return nil, nil
	}
	rows, err := s.query(ctx, `SELECT id, person_id, platform, tenant, user_id, media_id, format, audio, transcript, received_at
		FROM voice_notes WHERE person_id = ? ORDER BY received_at, id`, personID)
	if err != nil {
		return nil, wrap("voice notes", err)
	}
	notes, err := collect(rows, func(sc scanner) (store.VoiceNote, error) {
		var n store.VoiceNote
		err := sc.Scan(&n.ID, &n.PersonID, (*string)(&n.Identity.Platform), &n.Identity.Tenant, &n.Identity.UserID,
			&n.MediaID, &n.Format, &n.Audio, &n.Transcript, timeCol{&n.ReceivedAt})
		return n, err
	})
	if err != nil {
		return nil, wrap("voice notes", err)
	}
	return notes, nil
}
