package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// insightCTE adds to reportsCTE scope(id): the people the viewer's insight
// covers, reports or, for hr, everyone. A plain set to join against, where
// "in reports OR has the role" on every row would keep PostgreSQL from
// using an index or a hash join. Its arguments are the viewer's id twice
// and the role.
const insightCTE = `, scope(id) AS (
	SELECT id FROM reports
	UNION
	SELECT id FROM people WHERE EXISTS (SELECT 1 FROM people viewer, %s WHERE viewer.id = ? AND role.value = ?)
) `

// asInsight builds "SELECT … WHERE conds" restricted to rows where one of
// cols names a person v's insight covers; System sees everything. The
// caller adds GROUP BY, ORDER BY and LIMIT.
func (s *Store) asInsight(v store.Viewer, selectFrom string, w where, cols ...string) (string, []any) {
	if v == store.System {
		return selectFrom + ` WHERE ` + w.String(), w.args
	}
	var q strings.Builder
	q.WriteString(reportsCTE)
	q.WriteString(fmt.Sprintf(insightCTE, s.d.jsonElements("viewer.roles", "role")))
	q.WriteString(selectFrom + ` WHERE ` + w.String() + ` AND (`)
	for i, c := range cols {
		if i > 0 {
			q.WriteString(` OR `)
		}
		q.WriteString(c + ` IN (SELECT id FROM scope)`)
	}
	q.WriteString(`)`)
	return q.String(), append([]any{int64(v), int64(v), string(bot.RoleHR)}, w.args...)
}

// InsightPeople lists the ids of the people v's insight covers.
func (s *Store) InsightPeople(ctx context.Context, v store.Viewer) ([]int64, error) {
	q, args := s.asInsight(v, `SELECT id FROM people`, where{}, "id")
	ids, err := s.ids(ctx, q+` ORDER BY id`, args)
	if err != nil {
		return nil, wrap("insight people", err)
	}
	return ids, nil
}

// Participation counts rounds by team and period in the database.
func (s *Store) Participation(ctx context.Context, v store.Viewer, fromPeriod, toPeriod string) ([]store.ParticipationCell, error) {
	var w where
	// ISO weeks ("2026-W08") order as text.
	if fromPeriod != "" {
		w.add("period >= ?", fromPeriod)
	}
	if toPeriod != "" {
		w.add("period <= ?", toPeriod)
	}
	q, args := s.asInsight(v, `SELECT team_id, period, COUNT(*),
		SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END),
		SUM(CASE WHEN mood > 0 THEN 1 ELSE 0 END), SUM(mood)
		FROM rounds`, w, "person_id")
	rows, err := s.query(ctx, q+` GROUP BY team_id, period ORDER BY period, team_id`, args...)
	if err != nil {
		return nil, wrap("participation", err)
	}
	cells, err := collect(rows, func(sc scanner) (store.ParticipationCell, error) {
		var c store.ParticipationCell
		err := sc.Scan(idCol{&c.TeamID}, &c.Period, &c.Rounds, &c.Submitted, &c.Skipped, &c.Moods, &c.MoodSum)
		return c, err
	})
	if err != nil {
		return nil, wrap("participation", err)
	}
	return cells, nil
}

// RequestWaits lists the requests made in [from, to) of people the
// insight covers, oldest first.
func (s *Store) RequestWaits(ctx context.Context, v store.Viewer, from, to time.Time) ([]store.RequestWait, error) {
	var w where
	s.timeRange(&w, "r.created_at", from, to)
	q, args := s.asInsight(v, `SELECT r.asked_id, p.team_id, r.created_at, r.answered_at, r.declined
		FROM feedback_requests r JOIN people p ON p.id = r.asked_id`, w, "r.asked_id")
	rows, err := s.query(ctx, q+` ORDER BY r.created_at, r.id`, args...)
	if err != nil {
		return nil, wrap("request waits", err)
	}
	list, err := collect(rows, func(sc scanner) (store.RequestWait, error) {
		var r store.RequestWait
		err := sc.Scan(&r.AskedID, idCol{&r.TeamID}, timeCol{&r.CreatedAt}, timeCol{&r.AnsweredAt}, &r.Declined)
		return r, err
	})
	if err != nil {
		return nil, wrap("request waits", err)
	}
	return list, nil
}

// KudosFlow counts praise by the giver's and the recipient's team now, and
// the value it was tagged with.
func (s *Store) KudosFlow(ctx context.Context, v store.Viewer, from, to time.Time) ([]store.KudosFlowRow, error) {
	w := where{conds: []string{"f.kind = ?"}, args: []any{string(store.FeedbackPraise)}}
	s.timeRange(&w, "f.created_at", from, to)
	q, args := s.asInsight(v, `SELECT g.team_id, r.team_id, f.value, COUNT(*), SUM(f.points)
		FROM feedback f JOIN people g ON g.id = f.giver_id JOIN people r ON r.id = f.recipient_id`,
		w, "f.giver_id", "f.recipient_id")
	rows, err := s.query(ctx, q+` GROUP BY g.team_id, r.team_id, f.value ORDER BY g.team_id, r.team_id, f.value`, args...)
	if err != nil {
		return nil, wrap("kudos flow", err)
	}
	list, err := collect(rows, func(sc scanner) (store.KudosFlowRow, error) {
		var k store.KudosFlowRow
		err := sc.Scan(idCol{&k.FromTeamID}, idCol{&k.ToTeamID}, &k.Value, &k.Count, &k.Points)
		return k, err
	})
	if err != nil {
		return nil, wrap("kudos flow", err)
	}
	return list, nil
}

// WithoutFeedback lists, by id, the people the insight covers who received
// no feedback since since.
func (s *Store) WithoutFeedback(ctx context.Context, v store.Viewer, since time.Time) ([]store.Member, error) {
	q, args := s.asInsight(v, `SELECT p.id, p.team_id FROM people p`,
		where{conds: []string{`NOT EXISTS (SELECT 1 FROM feedback f WHERE f.recipient_id = p.id AND f.created_at >= ?)`},
			args: []any{s.d.timeArg(since)}}, "p.id")
	rows, err := s.query(ctx, q+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, wrap("without feedback", err)
	}
	list, err := collect(rows, func(sc scanner) (store.Member, error) {
		var m store.Member
		err := sc.Scan(&m.PersonID, idCol{&m.TeamID})
		return m, err
	})
	if err != nil {
		return nil, wrap("without feedback", err)
	}
	return list, nil
}

// WaitingReviews counts, per person, the submitted, unreviewed rounds
// submitted in [from, before), the longest waiting first.
func (s *Store) WaitingReviews(ctx context.Context, v store.Viewer, from, before time.Time) ([]store.WaitingReviews, error) {
	// Literal, as rounds_waiting_idx's condition is: a bound parameter
	// would not let the planner use it.
	w := where{conds: []string{"status = 'submitted'", "reviewed_at IS NULL"}}
	s.timeRange(&w, "submitted_at", from, before)
	q, args := s.asInsight(v, `SELECT person_id, team_id, COUNT(*), MIN(submitted_at), MIN(period) FROM rounds`, w, "person_id")
	rows, err := s.query(ctx, q+` GROUP BY person_id, team_id ORDER BY MIN(submitted_at), person_id`, args...)
	if err != nil {
		return nil, wrap("waiting reviews", err)
	}
	list, err := collect(rows, func(sc scanner) (store.WaitingReviews, error) {
		var r store.WaitingReviews
		err := sc.Scan(&r.PersonID, idCol{&r.TeamID}, &r.Count, timeCol{&r.Oldest}, &r.OldestPeriod)
		return r, err
	})
	if err != nil {
		return nil, wrap("waiting reviews", err)
	}
	return list, nil
}

// BroadcastReadRates counts, per broadcast, the announcements sent to
// people the insight covers and their acknowledgments.
func (s *Store) BroadcastReadRates(ctx context.Context, v store.Viewer, limit int) ([]store.BroadcastReads, error) {
	q, args := s.asInsight(v, `SELECT b.id, b.text, b.ack, b.created_at, COUNT(*), COUNT(a.person_id)
		FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
		LEFT JOIN broadcast_acks a ON a.broadcast_id = d.broadcast_id AND a.person_id = d.person_id`,
		where{conds: []string{"d.kind = ?", "d.status = ?"}, args: []any{string(store.BroadcastAnnounce), string(store.BroadcastSent)}},
		"d.person_id")
	q += ` GROUP BY b.id, b.text, b.ack, b.created_at ORDER BY b.created_at DESC, b.id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("broadcast read rates", err)
	}
	list, err := collect(rows, func(sc scanner) (store.BroadcastReads, error) {
		var b store.BroadcastReads
		err := sc.Scan(&b.ID, &b.Text, &b.Ack, timeCol{&b.CreatedAt}, &b.Sent, &b.Acked)
		return b, err
	})
	if err != nil {
		return nil, wrap("broadcast read rates", err)
	}
	return list, nil
}

// ids reads a query of one id column.
func (s *Store) ids(ctx context.Context, q string, args []any) ([]int64, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (int64, error) {
		var id int64
		err := sc.Scan(&id)
		return id, err
	})
}
