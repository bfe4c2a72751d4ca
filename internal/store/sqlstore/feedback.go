package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// feedbackDataCols are the columns a save writes, in the order of
// feedbackData.
const feedbackDataCols = `kind, giver_id, recipient_id, text, value, points, situation, behavior, impact,
	suggestion, public, request_id, round_id, source, reaction, created_at, reacted_at, dedup_key`

const feedbackCols = `id, ` + feedbackDataCols

func scanFeedback(sc scanner) (store.Feedback, error) {
	var f store.Feedback
	err := sc.Scan(&f.ID, (*string)(&f.Kind), &f.GiverID, &f.RecipientID, &f.Text, &f.Value, &f.Points,
		&f.Situation, &f.Behavior, &f.Impact, &f.Suggestion, &f.Public, idCol{&f.RequestID}, idCol{&f.RoundID},
		&f.Source, (*string)(&f.Reaction), timeCol{&f.CreatedAt}, timeCol{&f.ReactedAt}, stringCol{&f.DedupKey})
	return f, err
}

// checkFeedback refuses what the tables' checks would, with a clearer error.
func checkFeedback(f *store.Feedback) error {
	switch {
	case f.Kind != store.FeedbackPraise && f.Kind != store.FeedbackSBI:
		return fmt.Errorf("unknown feedback kind %q", f.Kind)
	case f.Public && f.Kind != store.FeedbackPraise:
		return fmt.Errorf("%s feedback cannot be public", f.Kind)
	case f.Points < 0:
		return fmt.Errorf("negative points %d", f.Points)
	case f.Points != 0 && f.Kind != store.FeedbackPraise:
		return fmt.Errorf("%s feedback carries no points", f.Kind)
	}
	return nil
}

// SaveFeedback inserts f when f.ID is 0, created now unless f says when, or
// updates it. An insert whose DedupKey is taken saves nothing and reads the
// feedback holding it into f. It does not touch the request f answers: the
// caller saves that too, in the same transaction.
func (s *Store) SaveFeedback(ctx context.Context, f *store.Feedback) error {
	if err := checkFeedback(f); err != nil {
		return fmt.Errorf("sqlstore: save feedback: %w", err)
	}
	next := *f
	if next.CreatedAt.IsZero() {
		next.CreatedAt = s.now()
	}
	next.CreatedAt, next.ReactedAt = normTime(next.CreatedAt), normTime(next.ReactedAt)
	args := []any{string(next.Kind), next.GiverID, next.RecipientID, next.Text, next.Value, next.Points,
		next.Situation, next.Behavior, next.Impact, next.Suggestion, next.Public, nullID(next.RequestID),
		nullID(next.RoundID), next.Source, string(next.Reaction), s.d.timeArg(next.CreatedAt), s.d.timeArg(next.ReactedAt),
		nullString(next.DedupKey)}
	var err error
	if next.ID == 0 {
		err = s.insertOnce(ctx, `INSERT INTO feedback (`+feedbackDataCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args, &next.ID, func() (err error) {
			next, err = scanFeedback(s.queryRow(ctx, `SELECT `+feedbackCols+` FROM feedback WHERE dedup_key = ?`, next.DedupKey))
			return err
		})
	} else {
		var res sql.Result
		res, err = s.exec(ctx, `UPDATE feedback SET (`+feedbackDataCols+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ?`, append(args, next.ID)...)
		if err == nil {
			err = mustAffect(res, fmt.Sprintf("feedback %d", next.ID))
		}
	}
	if err != nil {
		return wrap("save feedback", err)
	}
	*f = next
	return nil
}

// Feedback reads the feedback with id as v sees it.
func (s *Store) Feedback(ctx context.Context, v store.Viewer, id int64) (store.Feedback, error) {
	return only(s.feedbacks(ctx, v, []string{"id = ?"}, []any{id}, 0))("feedback")
}

// Feedbacks lists the feedback f selects that v may see, newest first.
func (s *Store) Feedbacks(ctx context.Context, v store.Viewer, f store.FeedbackFilter) ([]store.Feedback, error) {
	var w where
	if f.GiverID != 0 {
		w.add("giver_id = ?", f.GiverID)
	}
	if f.RecipientID != 0 {
		w.add("recipient_id = ?", f.RecipientID)
	}
	if f.Kind != "" {
		w.add("kind = ?", string(f.Kind))
	}
	if f.RoundID != 0 {
		w.add("round_id = ?", f.RoundID)
	}
	if f.PublicOnly {
		w.add("public = ?", true)
	}
	s.timeRange(&w, "created_at", f.From, f.To)
	list, err := s.feedbacks(ctx, v, w.conds, w.args, f.Limit)
	if err != nil {
		return nil, wrap("feedbacks", err)
	}
	return list, nil
}

// feedbacks reads, newest first, at most limit (0: all) of the feedback
// matching all conds that v may see. The query decides visibility: public
// praise; what v gave; what v or anyone below v in the manager chain
// (reports) received, which is to say v is the recipient or in the
// recipient's manager chain; or everything when v holds the hr role.
func (s *Store) feedbacks(ctx context.Context, v store.Viewer, conds []string, args []any, limit int) ([]store.Feedback, error) {
	rule, ruleArgs := s.feedbackRule(v)
	q, all := asViewer(v, `SELECT `+feedbackCols+` FROM feedback`, conds, args, rule, ruleArgs...)
	q += ` ORDER BY created_at DESC, id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		all = append(all, limit)
	}
	rows, err := s.query(ctx, q, all...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanFeedback)
}

// feedbackRule is who may see feedback (see feedbacks), as a condition
// over feedback's columns that uses reports(id), and its arguments after
// the viewer's id.
func (s *Store) feedbackRule(v store.Viewer) (string, []any) {
	return `(kind = ? AND public) OR giver_id = ? OR recipient_id IN (SELECT id FROM reports) OR ` + s.d.hasRole(1),
		[]any{string(store.FeedbackPraise), int64(v), int64(v), string(bot.RoleHR)}
}

// LastFeedback reads when each of recipientIDs last received feedback v
// may see (the rule of feedbacks), in one query.
func (s *Store) LastFeedback(ctx context.Context, v store.Viewer, recipientIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(recipientIDs) == 0 {
		return out, nil
	}
	rule, ruleArgs := s.feedbackRule(v)
	q, all := asViewer(v, `SELECT recipient_id, MAX(created_at) FROM feedback`,
		[]string{s.d.idsIn("recipient_id")}, []any{idsArg(recipientIDs)}, rule, ruleArgs...)
	rows, err := s.query(ctx, q+` GROUP BY recipient_id`, all...)
	if err != nil {
		return nil, wrap("last feedback", err)
	}
	type last struct {
		id int64
		at time.Time
	}
	list, err := collect(rows, func(sc scanner) (l last, err error) {
		return l, sc.Scan(&l.id, timeCol{&l.at})
	})
	if err != nil {
		return nil, wrap("last feedback", err)
	}
	for _, l := range list {
		out[l.id] = l.at
	}
	return out, nil
}

// PointsGiven sums the praise points giverID gave in [from, to).
func (s *Store) PointsGiven(ctx context.Context, giverID int64, from, to time.Time) (int, error) {
	w := where{conds: []string{"kind = ?", "giver_id = ?"}, args: []any{string(store.FeedbackPraise), giverID}}
	s.timeRange(&w, "created_at", from, to)
	var n int
	if err := s.queryRow(ctx, `SELECT COALESCE(SUM(points), 0) FROM feedback WHERE `+w.String(), w.args...).Scan(&n); err != nil {
		return 0, wrap("points given", err)
	}
	return n, nil
}

// Leaderboard lists who received the most praise points in [from, to),
// most first (ties by id), at most limit rows (0: all). It counts private
// praise too: the points are public even when the note is not, and the
// board shows no note.
func (s *Store) Leaderboard(ctx context.Context, from, to time.Time, limit int) ([]store.PointsRow, error) {
	w := where{conds: []string{"kind = ?"}, args: []any{string(store.FeedbackPraise)}}
	s.timeRange(&w, "created_at", from, to)
	q := `SELECT recipient_id, SUM(points) AS total FROM feedback WHERE ` + w.String() + `
		GROUP BY recipient_id HAVING SUM(points) > 0 ORDER BY total DESC, recipient_id`
	args := w.args
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("leaderboard", err)
	}
	board, err := collect(rows, func(sc scanner) (store.PointsRow, error) {
		var r store.PointsRow
		err := sc.Scan(&r.PersonID, &r.Points)
		return r, err
	})
	if err != nil {
		return nil, wrap("leaderboard", err)
	}
	return board, nil
}

// insertOnce runs insert, an INSERT into a table with a unique dedup_key,
// so that a key already taken inserts nothing: then existing reads the
// record holding it, and otherwise the new id goes to *id. Of two inserts
// racing with one key, the second waits for the first to commit and then
// finds its record.
func (s *Store) insertOnce(ctx context.Context, insert string, args []any, id *int64, existing func() error) error {
	err := s.queryRow(ctx, insert+` ON CONFLICT (dedup_key) DO NOTHING RETURNING id`, args...).Scan(id)
	if errors.Is(err, sql.ErrNoRows) {
		return existing()
	}
	return err
}
