package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

// lateAfter is how long a request may wait for its answer before it counts
// as late.
const lateAfter = 48 * time.Hour

// monthLayout is how FeedbackStats names a month.
const monthLayout = "2006-01"

// statsKey is one person's month.
type statsKey struct {
	person int64
	month  string
}

// FeedbackStats returns, per person and UTC month in [from, to), the
// feedback the person gave and received and the requests made of them:
// those are counted in the month they were made. A request is late when it
// was answered more than 48 hours after it was made, or is still open
// (neither answered nor declined) 48 hours after it as of to, or of now when
// to is later. TeamID is the person's team now. Rows are ordered by month,
// then person; people with nothing in a month have no row for it. Only
// System may read statistics over everyone: anyone else gets ErrForbidden.
func (s *Store) FeedbackStats(ctx context.Context, v store.Viewer, from, to time.Time) ([]store.FeedbackStats, error) {
	if v != store.System {
		return nil, fmt.Errorf("sqlstore: feedback stats as %d: %w", v, store.ErrForbidden)
	}
	stats := map[statsKey]*store.FeedbackStats{}
	row := func(person, team int64, month string) *store.FeedbackStats {
		k := statsKey{person, month}
		if stats[k] == nil {
			stats[k] = &store.FeedbackStats{PersonID: person, TeamID: team, Month: month}
		}
		return stats[k]
	}
	if err := s.countFeedback(ctx, from, to, row); err != nil {
		return nil, wrap("feedback stats", err)
	}
	asOf := s.now()
	if !to.IsZero() && to.Before(asOf) {
		asOf = to
	}
	waits, err := s.countRequests(ctx, from, to, asOf, row)
	if err != nil {
		return nil, wrap("feedback stats", err)
	}
	out := make([]store.FeedbackStats, 0, len(stats))
	for k, st := range stats {
		st.MedianAnswer = median(waits[k])
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b store.FeedbackStats) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.PersonID, b.PersonID))
	})
	return out, nil
}

// countFeedback adds to row(person, team, month) the feedback given and
// received in [from, to), grouped by the database.
func (s *Store) countFeedback(ctx context.Context, from, to time.Time,
	row func(person, team int64, month string) *store.FeedbackStats) error {
	var w where
	s.timeRange(&w, "created_at", from, to)
	month := s.d.utcMonth("created_at")
	q := `SELECT x.person_id, p.team_id, x.month, SUM(x.given), SUM(x.received) FROM (
			SELECT giver_id AS person_id, ` + month + ` AS month, 1 AS given, 0 AS received
			FROM feedback WHERE ` + w.String() + `
			UNION ALL
			SELECT recipient_id, ` + month + `, 0, 1 FROM feedback WHERE ` + w.String() + `
		) x JOIN people p ON p.id = x.person_id
		GROUP BY x.person_id, p.team_id, x.month`
	rows, err := s.query(ctx, q, append(slices.Clone(w.args), w.args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var person, team int64
		var m string
		var given, received int
		if err := rows.Scan(&person, idCol{&team}, &m, &given, &received); err != nil {
			return err
		}
		st := row(person, team, m)
		st.Given, st.Received = given, received
	}
	return rows.Err()
}

// countRequests adds to row(person, team, month) the requests made in
// [from, to) of each person, and returns how long each answered one waited.
// Requests are read one by one: the median is computed here, the same way
// for both databases.
func (s *Store) countRequests(ctx context.Context, from, to, asOf time.Time,
	row func(person, team int64, month string) *store.FeedbackStats) (map[statsKey][]time.Duration, error) {
	var w where
	s.timeRange(&w, "r.created_at", from, to)
	rows, err := s.query(ctx, `SELECT r.asked_id, p.team_id, r.created_at, r.answered_at, r.declined
		FROM feedback_requests r JOIN people p ON p.id = r.asked_id WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	waits := map[statsKey][]time.Duration{}
	for rows.Next() {
		var person, team int64
		var created, answered time.Time
		var declined bool
		if err := rows.Scan(&person, idCol{&team}, timeCol{&created}, timeCol{&answered}, &declined); err != nil {
			return nil, err
		}
		m := created.UTC().Format(monthLayout)
		st := row(person, team, m)
		st.Requests++
		switch {
		case !answered.IsZero():
			st.Answered++
			wait := answered.Sub(created)
			if wait > lateAfter {
				st.Late++
			}
			k := statsKey{person, m}
			waits[k] = append(waits[k], wait)
		case !declined && asOf.Sub(created) > lateAfter:
			st.Late++
		}
	}
	return waits, rows.Err()
}

// median is the median of ds, the mean of the middle two when there is an
// even number; 0 when ds is empty. It sorts ds.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid]
	}
	return ds[mid-1] + (ds[mid]-ds[mid-1])/2
}
