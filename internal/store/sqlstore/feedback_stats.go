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

// statsKey is one person's, or one team's, month.
type statsKey struct {
	id    int64
	month string
}

// FeedbackStats returns, per person and UTC month in [from, to), the
// feedback the person gave and received and the requests made of them:
// those are counted in the month they were made. A request answered more
// than 48 hours after it was made is AnsweredLate; one still open (neither
// answered nor declined) 48 hours after it, as of to or of now when to is
// later, is OpenLate. Team rows add up the rows of the people in each team
// now, and take the median over all their answered requests. Only System
// may read statistics over everyone: anyone else gets ErrForbidden.
func (s *Store) FeedbackStats(ctx context.Context, v store.Viewer, from, to time.Time) (store.FeedbackReport, error) {
	if v != store.System {
		return store.FeedbackReport{}, fmt.Errorf("sqlstore: feedback stats as %d: %w", v, store.ErrForbidden)
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
		return store.FeedbackReport{}, wrap("feedback stats", err)
	}
	asOf := s.now()
	if !to.IsZero() && to.Before(asOf) {
		asOf = to
	}
	waits, err := s.countRequests(ctx, from, to, asOf, row)
	if err != nil {
		return store.FeedbackReport{}, wrap("feedback stats", err)
	}
	var r store.FeedbackReport
	r.People = make([]store.FeedbackStats, 0, len(stats))
	for k, st := range stats {
		st.MedianAnswer = median(waits[k])
		r.People = append(r.People, *st)
	}
	slices.SortFunc(r.People, func(a, b store.FeedbackStats) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.PersonID, b.PersonID))
	})
	r.Teams = teamStats(r.People, waits)
	return r, nil
}

// teamStats adds up people, sorted by month, into one row per team and
// month, ordered by month then team. waits are each person's answer times:
// a team's median is taken over all of its members' answers.
func teamStats(people []store.FeedbackStats, waits map[statsKey][]time.Duration) []store.FeedbackTeamStats {
	var teams []store.FeedbackTeamStats
	at := map[statsKey]int{}
	teamWaits := map[statsKey][]time.Duration{}
	for _, p := range people {
		if p.TeamID == 0 {
			continue
		}
		k := statsKey{p.TeamID, p.Month}
		i, ok := at[k]
		if !ok {
			i = len(teams)
			at[k] = i
			teams = append(teams, store.FeedbackTeamStats{TeamID: p.TeamID, Month: p.Month})
		}
		t := &teams[i].FeedbackNumbers
		t.Given += p.Given
		t.Received += p.Received
		t.Requests += p.Requests
		t.Answered += p.Answered
		t.AnsweredLate += p.AnsweredLate
		t.OpenLate += p.OpenLate
		teamWaits[k] = append(teamWaits[k], waits[statsKey{p.PersonID, p.Month}]...)
	}
	for i := range teams {
		teams[i].MedianAnswer = median(teamWaits[statsKey{teams[i].TeamID, teams[i].Month}])
	}
	slices.SortFunc(teams, func(a, b store.FeedbackTeamStats) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.TeamID, b.TeamID))
	})
	return teams
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
				st.AnsweredLate++
			}
			k := statsKey{person, m}
			waits[k] = append(waits[k], wait)
		case !declined && asOf.Sub(created) > lateAfter:
			st.OpenLate++
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
