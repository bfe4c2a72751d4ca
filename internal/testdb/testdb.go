// Package testdb gives each test a PostgreSQL database of its own.
//
// [Postgres] works in one of two ways. When PERFBOT_TEST_POSTGRES names a
// throwaway database (make test creates one), each test gets a fresh schema
// in it, selected through search_path in the URL it returns. Otherwise each
// test gets a fresh database on the local server
// (postgres://postgres@127.0.0.1:5432/postgres). Either is dropped when the
// test ends. A server that cannot be reached fails the test: a suite that
// skipped its database tests would pass without testing anything.
package testdb

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the URL of a throwaway database to make
// schemas in.
const EnvURL = "PERFBOT_TEST_POSTGRES"

// DefaultURL is the server to make databases on when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Postgres returns the URL of a fresh, empty place for one test: a schema in
// the database named by $PERFBOT_TEST_POSTGRES, or else a database of its
// own on DefaultURL's server. It is dropped when t ends.
func Postgres(t testing.TB) string {
	t.Helper()
	if base := os.Getenv(EnvURL); base != "" {
		return Schema(t, base)
	}
	return Database(t, DefaultURL)
}

// Schema creates a uniquely named schema in the database at base and
// returns base with search_path set to it, which pgx sends as a run-time
// parameter of every connection. The schema is dropped when t ends.
func Schema(t testing.TB, base string) string {
	t.Helper()
	name := uniqueName()
	u := parse(t, base)
	admin(t, base, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize())
	t.Cleanup(func() { admin(t, base, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE") })
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Database creates a uniquely named database on the server at base and
// returns base pointing at it. The database is dropped, connections and all,
// when t ends.
func Database(t testing.TB, base string) string {
	t.Helper()
	name := uniqueName()
	u := parse(t, base)
	admin(t, base, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	t.Cleanup(func() { admin(t, base, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") })
	u.Path = "/" + name
	return u.String()
}

// admin runs one statement on base, failing t if it cannot.
func admin(t testing.TB, base, stmt string) {
	t.Helper()
	// Not t.Context: cleanups run after it is cancelled.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("testdb: PostgreSQL is not reachable at %s (%v): start it, or run make test", redact(base), err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("testdb: %s on %s: %v", stmt, redact(base), err)
	}
}

func parse(t testing.TB, base string) *url.URL {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("testdb: %q is not a postgres:// URL", redact(base))
	}
	return u
}

// uniqueName is a lower-case identifier no other test run will pick.
func uniqueName() string {
	return "perfbot_test_" + strings.ToLower(rand.Text())
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
