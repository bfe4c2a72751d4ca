package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// requestDataCols are the columns a save writes, in the order of the
// arguments SaveFeedbackRequest builds.
const requestDataCols = `requester_id, asked_id, about, created_at, answered_at, feedback_id, declined,
	round_id, dedup_key`

const requestCols = `id, ` + requestDataCols

func scanRequest(sc scanner) (store.FeedbackRequest, error) {
	var r store.FeedbackRequest
	err := sc.Scan(&r.ID, &r.RequesterID, &r.AskedID, &r.About, timeCol{&r.CreatedAt}, timeCol{&r.AnsweredAt},
		idCol{&r.FeedbackID}, &r.Declined, idCol{&r.RoundID}, stringCol{&r.DedupKey})
	return r, err
}

// SaveFeedbackRequest inserts r when r.ID is 0, made now unless r says
// when, or updates it. An insert whose DedupKey is taken saves nothing and
// reads the request holding it into r.
func (s *Store) SaveFeedbackRequest(ctx context.Context, r *store.FeedbackRequest) error {
	next := *r
	if next.CreatedAt.IsZero() {
		next.CreatedAt = s.now()
	}
	next.CreatedAt, next.AnsweredAt = normTime(next.CreatedAt), normTime(next.AnsweredAt)
	args := []any{next.RequesterID, next.AskedID, next.About, s.d.timeArg(next.CreatedAt),
		s.d.timeArg(next.AnsweredAt), nullID(next.FeedbackID), next.Declined, nullID(next.RoundID), nullString(next.DedupKey)}
	var err error
	if next.ID == 0 {
		err = s.insertOnce(ctx, `INSERT INTO feedback_requests (`+requestDataCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, args, &next.ID, func() (err error) {
			next, err = scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM feedback_requests WHERE dedup_key = ?`, next.DedupKey))
			return err
		})
	} else {
		var res sql.Result
		res, err = s.exec(ctx, `UPDATE feedback_requests SET (`+requestDataCols+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ?`, append(args, next.ID)...)
		if err == nil {
			err = mustAffect(res, fmt.Sprintf("feedback request %d", next.ID))
		}
	}
	if err != nil {
		return wrap("save feedback request", err)
	}
	*r = next
	return nil
}

// FeedbackRequest reads the request with id as v sees it.
func (s *Store) FeedbackRequest(ctx context.Context, v store.Viewer, id int64) (store.FeedbackRequest, error) {
	return only(s.requests(ctx, v, where{conds: []string{"id = ?"}, args: []any{id}}))("feedback request")
}

// FeedbackRequests lists the requests f selects that v may see, oldest
// first.
func (s *Store) FeedbackRequests(ctx context.Context, v store.Viewer, f store.RequestFilter) ([]store.FeedbackRequest, error) {
	var w where
	if f.RequesterID != 0 {
		w.add("requester_id = ?", f.RequesterID)
	}
	if f.AskedID != 0 {
		w.add("asked_id = ?", f.AskedID)
	}
	if f.RoundID != 0 {
		w.add("round_id = ?", f.RoundID)
	}
	if f.OpenOnly {
		w.add("answered_at IS NULL AND NOT declined")
	}
	if !f.CreatedBefore.IsZero() {
		w.add("created_at < ?", s.d.timeArg(f.CreatedBefore))
	}
	list, err := s.requests(ctx, v, w)
	if err != nil {
		return nil, wrap("feedback requests", err)
	}
	return list, nil
}

// requests reads the requests w selects that v may see, oldest first: those
// v made or was asked, or all when v holds the hr role.
func (s *Store) requests(ctx context.Context, v store.Viewer, w where) ([]store.FeedbackRequest, error) {
	var q strings.Builder
	q.WriteString(`SELECT ` + requestCols + ` FROM feedback_requests WHERE ` + w.String())
	if v != store.System {
		q.WriteString(` AND (requester_id = ? OR asked_id = ? OR ` + s.d.hasRole(1) + `)`)
		w.args = append(w.args, int64(v), int64(v), int64(v), string(bot.RoleHR))
	}
	q.WriteString(` ORDER BY created_at, id`)
	rows, err := s.query(ctx, q.String(), w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRequest)
}
