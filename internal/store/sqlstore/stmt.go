package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps SQLite's prepared statements, by query. The SQLite
// driver prepares (parses and plans) a statement on every call, which was
// half of an inbound event's time on the embedded default; PostgreSQL's
// driver keeps its own per-connection cache and needs none.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
	// preparing are the queries being prepared in the background, by
	// prepares; closed stops new ones.
	preparing map[string]bool
	prepares  sync.WaitGroup
	closed    bool
}

// stmtCacheSize bounds the cache: queries built with a variable number of
// placeholders would otherwise each keep one.
const stmtCacheSize = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, preparing: map[string]bool{}}
}

// get returns the statement of query, prepared once; nil when it is not
// (yet) prepared, and the caller runs query as it is.
//
// A statement missing is prepared in the background: preparing needs a
// connection of the database's own, and a caller inside a transaction may
// hold the only one (SQLite in memory keeps exactly one), so waiting for
// it here could wait forever.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if c.closed || len(c.m)+len(c.preparing) >= stmtCacheSize || c.preparing[query] {
		return nil
	}
	c.preparing[query] = true
	c.prepares.Go(func() { c.prepare(query) })
	return nil
}

func (c *stmtCache) prepare(query string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A query that cannot be prepared stays marked: it runs unprepared
	// every time, and its error is reported there.
	st, err := c.db.PrepareContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		return
	}
	delete(c.preparing, query)
	c.m[query] = st
}

// close closes the statements once no prepare is under way: one finishing
// after the database closed would open the database file again.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.prepares.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		_ = st.Close()
		delete(c.m, q)
	}
}

// stmtQuerier runs statements through the cache, inside tx when it is set.
type stmtQuerier struct {
	c  *stmtCache
	tx *sql.Tx
	q  querier // what runs a query the cache does not hold
}

func (s stmtQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	st := s.c.get(query)
	if st != nil && s.tx != nil {
		return s.tx.StmtContext(ctx, st)
	}
	return st
}

func (s stmtQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := s.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.q.ExecContext(ctx, query, args...)
}

func (s stmtQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.q.QueryContext(ctx, query, args...)
}

func (s stmtQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.q.QueryRowContext(ctx, query, args...)
}
