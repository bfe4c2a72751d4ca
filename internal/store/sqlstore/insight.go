package sqlstore

import (
	"context"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// inInsight is the rule of every insight read: the column's person is the
// viewer or below them in the manager chain (reports), or the viewer holds
// the hr role. For asViewer, with insightArgs.
func (s *Store) inInsight(cols ...string) string {
	// The role first: true for hr, it spares the per-row lookups.
	rule := s.d.hasRole(1)
	for _, c := range cols {
		rule += ` OR ` + c + ` IN (SELECT id FROM reports)`
	}
	return rule
}

func insightArgs(v store.Viewer) []any { return []any{int64(v), string(bot.RoleHR)} }

// InsightPeople lists the ids of the people v's insight covers.
func (s *Store) InsightPeople(ctx context.Context, v store.Viewer) ([]int64, error) {
	q, args := asViewer(v, `SELECT id FROM people`, nil, nil, s.inInsight("id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT team_id, period, COUNT(*),
		SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END),
		SUM(CASE WHEN mood > 0 THEN 1 ELSE 0 END), SUM(mood)
		FROM rounds`, w.conds, w.args, s.inInsight("person_id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT r.asked_id, p.team_id, r.created_at, r.answered_at, r.declined
		FROM feedback_requests r JOIN people p ON p.id = r.asked_id`, w.conds, w.args,
		s.inInsight("r.asked_id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT g.team_id, r.team_id, f.value, COUNT(*), SUM(f.points)
		FROM feedback f JOIN people g ON g.id = f.giver_id JOIN people r ON r.id = f.recipient_id`,
		w.conds, w.args, s.inInsight("f.giver_id", "f.recipient_id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT p.id, p.team_id FROM people p`,
		[]string{`NOT EXISTS (SELECT 1 FROM feedback f WHERE f.recipient_id = p.id AND f.created_at >= ?)`},
		[]any{s.d.timeArg(since)}, s.inInsight("p.id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT person_id, team_id, COUNT(*), MIN(submitted_at), MIN(period) FROM rounds`,
		w.conds, w.args, s.inInsight("person_id"), insightArgs(v)...)
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
	q, args := asViewer(v, `SELECT b.id, b.text, b.ack, b.created_at, COUNT(*), COUNT(a.person_id)
		FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
		LEFT JOIN broadcast_acks a ON a.broadcast_id = d.broadcast_id AND a.person_id = d.person_id`,
		[]string{"d.kind = ?", "d.status = ?"}, []any{string(store.BroadcastAnnounce), string(store.BroadcastSent)},
		s.inInsight("d.person_id"), insightArgs(v)...)
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
