package testdb_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

func connect(t *testing.T, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// Two places are distinct and empty, and gone after their test.
func TestPostgres(t *testing.T) {
	var first, second string
	t.Run("isolated", func(t *testing.T) {
		first, second = testdb.Postgres(t), testdb.Postgres(t)
		require.NotEqual(t, first, second)
		_, err := connect(t, first).Exec(t.Context(), "CREATE TABLE mine (x int)")
		require.NoError(t, err)
		var found bool
		require.NoError(t, connect(t, second).QueryRow(t.Context(),
			"SELECT to_regclass('mine') IS NOT NULL").Scan(&found))
		require.False(t, found, "a table in one place is not in another")
	})
	conn, err := pgx.Connect(t.Context(), first)
	schema := searchPath(t, first)
	if schema == "" {
		require.ErrorContains(t, err, "does not exist", "the database is dropped after the test")
		return
	}
	// Schema mode: the database stays, the schema must not.
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(t.Context(),
		"SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n))
	require.Zero(t, n, "the schema is dropped after the test")
}

// goose's version table, like every other, lands in the search_path schema.
func TestSchemaHoldsMigrations(t *testing.T) {
	base := os.Getenv(testdb.EnvURL)
	if base == "" {
		base = testdb.Database(t, testdb.DefaultURL)
	}
	dbURL := testdb.Schema(t, base)
	schema := searchPath(t, dbURL)

	s, err := sqlstore.Open(t.Context(), dbURL, time.Now)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Migrate(t.Context()))

	conn := connect(t, base)
	for _, table := range []string{"goose_db_version", "people", "rounds"} {
		var where []string
		// Other tests' schemas may share the database: look at ours and
		// at public, where the table would land if search_path were lost.
		rows, err := conn.Query(t.Context(), "SELECT schemaname FROM pg_tables WHERE tablename = $1 AND schemaname IN ($2, 'public')", table, schema)
		require.NoError(t, err)
		where, err = pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Equal(t, []string{schema}, where, "table %s", table)
	}
}

// A server that is down fails the test with a hint; it never skips it.
func TestUnreachable(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		testdb.Database(rec, "postgres://postgres:secret@127.0.0.1:1/postgres?connect_timeout=2")
	}()
	<-done
	require.Contains(t, rec.msg, "PostgreSQL is not reachable at postgres://postgres:xxxxx@127.0.0.1:1/")
	require.Contains(t, rec.msg, "start it, or run make test")
	require.NotContains(t, rec.msg, "secret")
}

// fatalRecorder catches Fatalf in place of the real test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func searchPath(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	return u.Query().Get("search_path")
}
