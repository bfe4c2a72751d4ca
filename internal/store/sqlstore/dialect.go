package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/perfbot/perfbot/internal/store"
)

// dialect is everything that differs between the two databases. Queries are
// written once, with ? placeholders, in the SQL both understand.
type dialect int

const (
	postgres dialect = iota
	sqliteDialect
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

func (d dialect) goose() goose.Dialect {
	if d == postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// rebind turns the ? placeholders of q into $1, $2, ... for Postgres. The
// queries of this package never hold a ? inside a literal.
func (d dialect) rebind(q string) string {
	if d != postgres {
		return q
	}
	n := strings.Count(q, "?")
	if n == 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 2*n)
	for i := 1; ; i++ {
		j := strings.IndexByte(q, '?')
		if j < 0 {
			b.WriteString(q)
			return b.String()
		}
		b.WriteString(q[:j])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(i))
		q = q[j+1:]
	}
}

// jsonElements is a FROM item listing the elements of the JSON array expr as
// text, in a column named value.
func (d dialect) jsonElements(expr, alias string) string {
	if d == postgres {
		return "jsonb_array_elements_text(" + expr + ") AS " + alias + "(value)"
	}
	return "json_each(" + expr + ") AS " + alias
}

// idsIn is a condition true when col is one of the ids of its one
// argument, a JSON array (idsArg): one query text, one prepared statement
// and one evaluation of the rest of the query however many ids, where an
// IN list of placeholders is a new statement for each length, and a chunk
// of them a new evaluation of everything else each.
func (d dialect) idsIn(col string) string {
	if d == postgres {
		return col + ` IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(? AS JSONB)))`
	}
	return col + ` IN (SELECT value FROM json_each(?))`
}

// latestUpdates is the FROM of LatestProgress: key results k and, as u, the
// n newest updates of each (n its one argument), each key result's found by
// one short walk back in progress_updates_kr_idx. PostgreSQL says so with
// LATERAL; SQLite, which has none, looks them up by id, where PostgreSQL
// would test that IN against every update there is.
func (d dialect) latestUpdates() string {
	if d == postgres {
		return ` FROM key_results k CROSS JOIN LATERAL (SELECT newer.id, newer.key_result_id, newer.value, newer.at
			FROM progress_updates newer WHERE newer.key_result_id = k.id ORDER BY newer.at DESC, newer.id DESC LIMIT ?) u`
	}
	return ` FROM key_results k JOIN progress_updates u ON u.id IN (SELECT newer.id FROM progress_updates newer
		WHERE newer.key_result_id = k.id ORDER BY newer.at DESC, newer.id DESC LIMIT ?)`
}

// idsArg is the argument of idsIn.
func idsArg(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// timeArg is the argument for a time column; the zero time is NULL. Postgres
// keeps TIMESTAMPTZ; SQLite keeps INTEGER microseconds, which round-trips
// exactly where the driver's DATETIME text would not.
func (d dialect) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = normTime(t)
	if d == postgres {
		return t
	}
	return t.UnixMicro()
}

// normTime is t as the store keeps it: in UTC, to the microsecond (the
// precision of TIMESTAMPTZ). The zero time stays zero.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// timeCol scans a time column of either dialect into *t.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = normTime(v)
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	return nil
}

// nullID is the argument for a nullable reference: 0 is NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idCol scans a nullable reference into *p, NULL as 0.
type idCol struct{ p *int64 }

func (c idCol) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = n.Int64
	return nil
}

// nullString is the argument for a nullable text column: "" is NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// stringCol scans a nullable text column into *p, NULL as "".
type stringCol struct{ p *string }

func (c stringCol) Scan(src any) error {
	var n sql.NullString
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = n.String
	return nil
}

// jsonArg is the argument for a JSON column. It is text: pgx sends a string
// to a JSONB parameter as is, and SQLite keeps TEXT.
func jsonArg[T any](v []T) (any, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// jsonCol scans a JSON array column into *p. An empty array reads as nil, so
// a record reads back as it was saved.
type jsonCol[T any] struct{ p *[]T }

func (c jsonCol[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into JSON", src)
	}
	*c.p = nil
	if len(b) == 0 || string(b) == "[]" || string(b) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, c.p); err != nil {
		return err
	}
	if len(*c.p) == 0 {
		*c.p = nil
	}
	return nil
}

var (
	_ sql.Scanner = timeCol{}
	_ sql.Scanner = idCol{}
	_ sql.Scanner = stringCol{}
	_ sql.Scanner = jsonCol[int]{}
)

// wrap names the failed operation and maps what the database said to the
// errors of package store: no rows is ErrNotFound, a unique violation is
// ErrConflict (still wrapping the driver's error, for the log).
func wrap(op string, err error) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: %s: %w", op, store.ErrNotFound)
	case isUniqueViolation(err):
		return fmt.Errorf("sqlstore: %s: %w: %w", op, store.ErrConflict, err)
	default:
		return fmt.Errorf("sqlstore: %s: %w", op, err)
	}
}

// isUniqueViolation tells by error code, never by message, whether err is a
// unique or primary key violation in either database.
func isUniqueViolation(err error) bool {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pgErr.Code == "23505" // unique_violation
	}
	if liteErr, ok := errors.AsType[*sqlite.Error](err); ok {
		c := liteErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// utcMonth is an expression for the UTC month, "2026-11", of the time
// column col.
func (d dialect) utcMonth(col string) string {
	if d == postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	// Integer division: microseconds to whole seconds, rounding down for
	// the times after 1970 that the store keeps.
	return "strftime('%Y-%m', " + col + " / 1000000, 'unixepoch')"
}
