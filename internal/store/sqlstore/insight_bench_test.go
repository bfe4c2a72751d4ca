package sqlstore_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// seedCompany fills a migrated PostgreSQL database with a company of about
// 100,000 people in plain SQL (the store's one-at-a-time writes would take
// far longer): HR (id 1), a CEO (id 2), 2,000 managers each with a team of
// 49, eight weeks of check-ins (six in seven submitted with a mood, the
// older weeks reviewed), praise from a third of the people, feedback
// requests of a quarter, and one announcement to everyone, read by 60%.
func seedCompany(b *testing.B, dbURL string, at time.Time) {
	db, err := sql.Open("pgx", dbURL)
	require.NoError(b, err)
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO teams (id, name) OVERRIDING SYSTEM VALUE SELECT t, 'Team ' || t FROM generate_series(1, 2000) t`,
		`INSERT INTO people (id, name, roles) OVERRIDING SYSTEM VALUE VALUES (1, 'HR', '["hr"]'), (2, 'CEO', '["manager"]')`,
		`INSERT INTO people (id, name, roles, manager_id, team_id) OVERRIDING SYSTEM VALUE
			SELECT t + 2, 'Manager ' || t, '["manager"]', 2, t FROM generate_series(1, 2000) t`,
		`INSERT INTO people (id, name, manager_id, team_id) OVERRIDING SYSTEM VALUE
			SELECT i, 'Person ' || i, (i % 2000) + 3, (i % 2000) + 1 FROM generate_series(2003, 100002) i`,
		`INSERT INTO rounds (person_id, team_id, period, status, mood, opened_at, submitted_at, updated_at, reviewed_by, reviewed_at)
			SELECT p.id, p.team_id, to_char($1::timestamptz - (7 - w) * interval '7 days', 'IYYY-"W"IW'),
				CASE WHEN (p.id + w) % 7 = 0 THEN 'missed' ELSE 'submitted' END,
				CASE WHEN (p.id + w) % 7 = 0 THEN 0 ELSE 1 + (p.id + w) % 5 END,
				$1::timestamptz - (7 - w) * interval '7 days',
				CASE WHEN (p.id + w) % 7 = 0 THEN NULL ELSE $1::timestamptz - (7 - w) * interval '7 days' + interval '2 days' END,
				$1::timestamptz,
				CASE WHEN w < 6 AND (p.id + w) % 7 <> 0 THEN p.manager_id END,
				CASE WHEN w < 6 AND (p.id + w) % 7 <> 0 THEN $1::timestamptz - (7 - w) * interval '7 days' + interval '3 days' END
			FROM people p, generate_series(0, 7) w WHERE p.id > 2002`,
		`INSERT INTO feedback (kind, giver_id, recipient_id, value, points, public, created_at)
			SELECT 'praise', i, i + 1, (ARRAY['Ownership', 'Customer first', ''])[1 + i % 3], 1, true, $1::timestamptz - (i % 1000) * interval '1 hour'
			FROM generate_series(2003, 100001, 3) i`,
		`INSERT INTO feedback_requests (requester_id, asked_id, created_at, answered_at)
			SELECT (i % 2000) + 3, i, $1::timestamptz - (i % 1200) * interval '1 hour',
				CASE WHEN i % 8 = 3 THEN $1::timestamptz - (i % 1200) * interval '1 hour' + (i % 60) * interval '1 hour' END
			FROM generate_series(2003, 100002, 4) i`,
		`INSERT INTO broadcasts (id, text, ack, created_at) OVERRIDING SYSTEM VALUE VALUES (1, 'Q4 reviews open on Monday', true, $1::timestamptz - interval '3 days')`,
		`INSERT INTO broadcast_deliveries (broadcast_id, person_id, kind, status, attempts, sent_at)
			SELECT 1, id, 'announce', 'sent', 1, $1::timestamptz - interval '3 days' FROM people`,
		`INSERT INTO broadcast_acks (broadcast_id, person_id, at) SELECT 1, id, $1::timestamptz - interval '2 days' FROM people WHERE id % 5 < 3`,
		`ANALYZE`,
	} {
		args := []any{at}
		if !bytesContain(q, "$1") {
			args = nil
		}
		_, err := db.ExecContext(b.Context(), q, args...)
		require.NoError(b, err, q)
	}
}

func bytesContain(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// BenchmarkInsight100k times each insight read for a company of 100,000 on
// PostgreSQL, as HR (everyone) and as the CEO (everyone, through the
// manager chain), over the dashboard's eight weeks.
func BenchmarkInsight100k(b *testing.B) {
	dbURL := ""
	for _, db := range databases() {
		if db.name == "postgres" {
			dbURL = db.url(b)
		}
	}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	s := open(b, dbURL, func() time.Time { return at })
	b.Cleanup(func() { s.Close() })
	require.NoError(b, s.Migrate(b.Context()))
	seedCompany(b, dbURL, at)
	from := at.AddDate(0, 0, -7*8)
	reads := []struct {
		name string
		read func(v store.Viewer) (int, error)
	}{
		{"Participation", func(v store.Viewer) (int, error) {
			c, err := s.Participation(b.Context(), v, "2026-W42", "2026-W49")
			return len(c), err
		}},
		{"RequestWaits", func(v store.Viewer) (int, error) {
			r, err := s.RequestWaits(b.Context(), v, from, at)
			return len(r), err
		}},
		{"KudosFlow", func(v store.Viewer) (int, error) {
			r, err := s.KudosFlow(b.Context(), v, from, at)
			return len(r), err
		}},
		{"WithoutFeedback", func(v store.Viewer) (int, error) {
			r, err := s.WithoutFeedback(b.Context(), v, at.AddDate(0, 0, -21))
			return len(r), err
		}},
		{"WaitingReviews", func(v store.Viewer) (int, error) {
			r, err := s.WaitingReviews(b.Context(), v, from, at)
			return len(r), err
		}},
		{"BroadcastReadRates", func(v store.Viewer) (int, error) {
			r, err := s.BroadcastReadRates(b.Context(), v, 10)
			return len(r), err
		}},
	}
	for _, viewer := range []struct {
		name string
		v    store.Viewer
	}{{"hr", 1}, {"ceo", 2}, {"manager", 3}} {
		for _, r := range reads {
			b.Run(viewer.name+"/"+r.name, func(b *testing.B) {
				n := 0
				for b.Loop() {
					var err error
					if n, err = r.read(viewer.v); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}
