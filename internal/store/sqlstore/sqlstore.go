package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/perfbot/perfbot/internal/store"
)

// Store is the SQL [store.Store]. It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	q     querier // db, or tx inside InTx
	tx    *sql.Tx
	d     dialect
	clock func() time.Time
	// lockPath is the file that serialises Migrate across processes on
	// SQLite; "" where the database does it (Postgres) or nobody else can
	// reach the database (SQLite in memory).
	lockPath string
	// stmts keeps SQLite's prepared statements; nil on PostgreSQL.
	stmts *stmtCache
}

var _ store.Store = (*Store)(nil)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqliteParams configure every SQLite connection. WAL lets readers run beside
// the one writer; busy_timeout makes a second writer wait rather than fail;
// _txlock=immediate takes the write lock at BEGIN, because a transaction that
// read first and writes later cannot wait for it and fails at once with
// SQLITE_BUSY. synchronous=NORMAL is safe under WAL and much faster.
const sqliteParams = "_busy_timeout=5000&_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"

// Open connects to the database at dbURL, which is postgres://...,
// postgresql://... or sqlite:PATH (sqlite::memory: for a private in-memory
// database). For SQLite it creates the directory of PATH. Every time the
// store records comes from clock. Open does not migrate: call Migrate.
func Open(ctx context.Context, dbURL string, clock func() time.Time) (*Store, error) {
	if clock == nil {
		return nil, errors.New("sqlstore: Open: nil clock")
	}
	s := &Store{clock: clock}
	var driverName, dsn string
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		s.d, driverName, dsn = postgres, "pgx", dbURL
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		switch {
		case path == "":
			return nil, errors.New("sqlstore: Open: sqlite: needs a path")
		case strings.ContainsRune(path, '?'):
			// The driver would take the rest for its parameters.
			return nil, fmt.Errorf("sqlstore: Open: sqlite path %q contains '?'", path)
		case path != ":memory:":
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("sqlstore: Open: %w", err)
			}
			s.lockPath = path + ".migrate-lock"
		}
		s.d, driverName, dsn = sqliteDialect, "sqlite", path+"?"+sqliteParams
	default:
		return nil, fmt.Errorf("sqlstore: Open: unsupported database URL %q: want postgres://... or sqlite:PATH", redact(dbURL))
	}

	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: Open %s: %w", redact(dbURL), err)
	}
	if s.d == sqliteDialect {
		if s.lockPath == "" {
			// Every connection to :memory: is a database of its own: keep
			// exactly one, forever.
			db.SetMaxOpenConns(1)
			db.SetConnMaxIdleTime(0)
			db.SetConnMaxLifetime(0)
		} else {
			// Writers queue on the file lock anyway; a few connections let
			// reads proceed beside them. All are kept: a step reads a few
			// things at once, and a connection opened again reads the
			// schema again.
			db.SetMaxOpenConns(4)
			db.SetMaxIdleConns(4)
		}
	} else {
		PostgresPool(db)
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("cannot reach the database at %s: %w", redact(dbURL), err)
	}
	s.db, s.q = db, db
	if s.d == sqliteDialect {
		s.stmts = newStmtCache(db)
		s.q = stmtQuerier{c: s.stmts, q: db}
	}
	return s, nil
}

// PostgresPool sets db's pool as a PostgreSQL store keeps it (and a tool
// measuring the same statements beside it, internal/loadgen).
//
// Unbounded, database/sql opens a connection for every request and step
// at once: under load one replica took all of a default server's 100. The
// cap keeps a few replicas inside PostgreSQL's default 100 connections.
// Every connection opened is kept while in use: with fewer kept idle than
// open, the ones over were closed as they came free and dialled again for
// the next step, and under load the server spent its CPU starting
// backends (83 a second at 2,000 events/s, each a fork and a login). What
// a burst opened is closed once it has been idle a minute.
func PostgresPool(db *sql.DB) {
	db.SetMaxOpenConns(pgConns)
	db.SetMaxIdleConns(pgConns)
	db.SetConnMaxIdleTime(time.Minute)
}

// pgConns is the most connections a PostgreSQL store opens.
const pgConns = 24

// redact hides a password in a database URL, for errors and logs.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return wrap("ping", err)
	}
	return nil
}

// Close closes the database. Inside InTx it is an error: the transaction
// belongs to the caller of InTx.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("sqlstore: Close inside InTx")
	}
	if s.stmts != nil {
		s.stmts.close()
	}
	return s.db.Close()
}

// InTx runs fn in one transaction, handing it a Store bound to it. Inside
// fn, InTx runs fn's own fn in the same transaction: it is the outermost
// InTx that commits or rolls back.
func (s *Store) InTx(ctx context.Context, fn func(store.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(tx) })
}

func (s *Store) inTx(ctx context.Context, fn func(*Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("begin", err)
	}
	// Rolls back when fn fails or panics; after Commit it does nothing.
	defer func() { _ = tx.Rollback() }()
	txs := *s
	txs.q, txs.tx = tx, tx
	if s.stmts != nil {
		txs.q = stmtQuerier{c: s.stmts, tx: tx, q: tx}
	}
	if err := fn(&txs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return wrap("commit", err)
	}
	return nil
}

// now is the clock's time as the store keeps it.
func (s *Store) now() time.Time { return normTime(s.clock()) }

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.q.ExecContext(ctx, s.d.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.q.QueryContext(ctx, s.d.rebind(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.q.QueryRowContext(ctx, s.d.rebind(query), args...)
}

// execOne runs an UPDATE that must touch exactly one row; none is
// ErrNotFound.
func (s *Store) execOne(ctx context.Context, op, query string, args ...any) error {
	n, err := s.execCount(ctx, op, query, args...)
	if err == nil && n == 0 {
		err = wrap(op, sql.ErrNoRows)
	}
	return err
}

// execCount runs a statement and returns how many rows it touched.
func (s *Store) execCount(ctx context.Context, op, query string, args ...any) (int, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(op, err)
	}
	return int(n), nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect reads all rows with scan.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
