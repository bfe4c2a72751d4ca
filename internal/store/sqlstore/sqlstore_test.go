package sqlstore_test

import (
	"database/sql"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/store/storetest"
	"github.com/perfbot/perfbot/internal/testdb"
)

// database is one kind of database the store runs on; url makes a fresh
// one for a test.
type database struct {
	name string
	url  func(t testing.TB) string
}

func sqliteFile(t testing.TB) string {
	// A directory that does not exist yet: Open creates it.
	return "sqlite:" + filepath.Join(t.TempDir(), "data", "perfbot.db")
}

func databases() []database {
	return []database{
		{"sqlite", sqliteFile},
		{"postgres", testdb.Postgres},
	}
}

// tickingClock starts at start and moves one millisecond a call, so every
// time the store records is distinct and predictable.
func tickingClock(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Millisecond) }
}

func open(t testing.TB, url string, clock func() time.Time) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(t.Context(), url, clock)
	require.NoError(t, err)
	return s
}

func TestConformance(t *testing.T) {
	dbs := append(databases(), database{"sqlite-memory", func(testing.TB) string { return "sqlite::memory:" }})
	for _, db := range dbs {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) store.Store {
				return open(t, db.url(t), tickingClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)))
			})
		})
	}
}

// Replicas starting at once each open their own store and migrate. goose
// retries a version table it lost the race to create, which hides a missing
// lock now and then: several rounds make that unlikely to go unnoticed.
func TestMigrateConcurrentStores(t *testing.T) {
	for _, db := range databases() {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			for range 3 {
				migrateConcurrently(t, db.url(t))
			}
		})
	}
}

func migrateConcurrently(t *testing.T, url string) {
	const n = 8
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  [n]error
	)
	for i := range n {
		s := open(t, url, time.Now)
		defer s.Close()
		wg.Go(func() {
			<-start // all at once, so the migrations overlap
			errs[i] = s.Migrate(t.Context())
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	s := open(t, url, time.Now)
	defer s.Close()
	p := bot.Person{Name: "Ada"}
	require.NoError(t, s.SavePerson(t.Context(), &p))
}

// Every time the store sets comes from its clock.
func TestClock(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 123456789, shanghai)
	want := time.Date(2030, 1, 1, 19, 4, 5, 123456000, time.UTC)
	for _, db := range databases() {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s := open(t, db.url(t), func() time.Time { return fixed })
			defer s.Close()
			require.NoError(t, s.Migrate(ctx))

			p := bot.Person{Name: "Ada"}
			require.NoError(t, s.SavePerson(ctx, &p))
			r, _, err := s.OpenRound(ctx, store.Round{PersonID: p.ID, Period: "2030-W01"})
			require.NoError(t, err)
			require.Equal(t, want, r.OpenedAt)
			require.Equal(t, want, r.UpdatedAt)
			r.UpdatedAt = time.Time{}
			require.NoError(t, s.SaveRound(ctx, &r))
			require.Equal(t, want, r.UpdatedAt)

			require.NoError(t, s.Audit(ctx, store.AuditEntry{Action: "test"}))
			log, err := s.AuditLog(ctx, "", 1)
			require.NoError(t, err)
			require.Len(t, log, 1)
			require.Equal(t, want, log[0].At)

			require.NoError(t, s.NoteUnknown(ctx, store.Unknown{Identity: bot.Identity{Platform: bot.Slack, UserID: "U1"}}))
			unknowns, err := s.Unknowns(ctx)
			require.NoError(t, err)
			require.Len(t, unknowns, 1)
			require.Equal(t, want, unknowns[0].FirstAt)
			require.Equal(t, want, unknowns[0].LastAt)
		})
	}
}

// SQLite keeps times as integer microseconds, not as the driver's DATETIME
// text, whose parsing depends on the column's declared type.
func TestSQLiteTimeColumns(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "perfbot.db")
	at := time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.FixedZone("CST", 8*3600))
	s := open(t, "sqlite:"+path, func() time.Time { return at })
	defer s.Close()
	require.NoError(t, s.Migrate(ctx))
	p := bot.Person{Name: "Ada"}
	require.NoError(t, s.SavePerson(ctx, &p))
	_, _, err := s.OpenRound(ctx, store.Round{PersonID: p.ID, Period: "2026-W10"})
	require.NoError(t, err)

	raw, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer raw.Close()
	var kind string
	var micros int64
	require.NoError(t, raw.QueryRowContext(ctx, `SELECT typeof(opened_at), opened_at FROM rounds`).Scan(&kind, &micros))
	require.Equal(t, "integer", kind)
	require.Equal(t, at.UnixMicro(), micros)
}

func TestOpenErrors(t *testing.T) {
	ctx := t.Context()
	_, err := sqlstore.Open(ctx, "mysql://u:secret@db/perfbot", time.Now)
	require.ErrorContains(t, err, "unsupported")
	require.NotContains(t, err.Error(), "secret", "a password never reaches an error")

	_, err = sqlstore.Open(ctx, "sqlite:", time.Now)
	require.Error(t, err)

	_, err = sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "x.db"), nil)
	require.ErrorContains(t, err, "clock")

	_, err = sqlstore.Open(ctx, "postgres://u:secret@127.0.0.1:1/perfbot?connect_timeout=2", time.Now)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret")
}

func TestInTxOwnsNeitherCloseNorMigrate(t *testing.T) {
	ctx := t.Context()
	s := open(t, "sqlite::memory:", time.Now)
	defer s.Close()
	require.NoError(t, s.Migrate(ctx))
	err := s.InTx(ctx, func(tx store.Store) error {
		require.Error(t, tx.Close())
		require.Error(t, tx.Migrate(ctx))
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, s.Ping(ctx), "the store is still open")
}

func BenchmarkSaveRound(b *testing.B) {
	for _, db := range databases() {
		b.Run(db.name, func(b *testing.B) {
			ctx := b.Context()
			s := open(b, db.url(b), time.Now)
			defer s.Close()
			require.NoError(b, s.Migrate(ctx))
			p := bot.Person{Name: "Ada"}
			require.NoError(b, s.SavePerson(ctx, &p))
			r, _, err := s.OpenRound(ctx, store.Round{PersonID: p.ID, Period: "2026-W10"})
			require.NoError(b, err)
			r.Answers = []store.Answer{{Key: store.QuestionDone, Question: "What got done?", Text: "Shipped the importer"}}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				r.Mood = i%5 + 1
				if err := s.SaveRound(ctx, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A database is at version 0 until migrated, then at the latest.
func TestSchemaVersion(t *testing.T) {
	for _, db := range databases() {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			s := open(t, db.url(t), time.Now)
			t.Cleanup(func() { _ = s.Close() })
			current, latest, err := s.SchemaVersion(t.Context())
			require.NoError(t, err)
			require.Zero(t, current)
			require.Positive(t, latest)

			require.NoError(t, s.Migrate(t.Context()))
			current, after, err := s.SchemaVersion(t.Context())
			require.NoError(t, err)
			require.Equal(t, latest, after)
			require.Equal(t, latest, current)
		})
	}
}
