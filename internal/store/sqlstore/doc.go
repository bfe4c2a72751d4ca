// Package sqlstore is the [store.Store] on SQL databases: PostgreSQL through
// pgx v5, and SQLite through modernc.org/sqlite (pure Go, no cgo).
//
// One implementation serves both. Queries are written once with ?
// placeholders in the SQL the two share (RETURNING, ON CONFLICT, WITH
// RECURSIVE, row-value UPDATE); a small dialect rebinds placeholders for
// Postgres and covers the rest: how a time is kept, how a JSON array is
// walked. Postgres keeps times as TIMESTAMPTZ and JSON as JSONB; SQLite, in
// STRICT tables, keeps times as INTEGER microseconds since the epoch (exact,
// where the driver's DATETIME text is not) and JSON as TEXT. Either way a
// time reads back in UTC, to the microsecond.
//
// Visibility is part of every query that reads a round: a recursive walk
// down the manager chain from the viewer, or the viewer's hr or admin role.
// A round the viewer may not see is not found.
//
// Migrations are goose SQL files embedded per dialect under migrations/.
// [Store.Migrate] takes a lock first, so replicas may start together: a
// Postgres advisory lock keyed by schema, or on SQLite a file lock beside
// the database.
//
// SQLite runs in WAL mode with a busy timeout, and transactions begin
// IMMEDIATE: writers queue for the one write lock instead of failing with
// SQLITE_BUSY when they would upgrade from reading.
package sqlstore
