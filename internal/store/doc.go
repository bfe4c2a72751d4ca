// Package store keeps perfbot's records: people and their identities, teams,
// goals, check-in rounds, the audit log and the people who wrote to the bot
// before they were set up.
//
// [Store] is the one interface every database implements. There are two: the
// embedded default on SQLite (pure Go, modernc.org/sqlite) in a data
// directory, and PostgreSQL through pgx v5 for large organisations. Both share
// one SQL implementation and differ only in a small dialect; migrations are
// embedded per dialect and applied at start under a lock, so several replicas
// can start at once. storetest holds the conformance suite both must pass.
//
// Reads of a check-in name who is reading ([Viewer]). A person sees their own
// rounds; their manager chain and people with the hr or admin role see them
// too; nobody else does, and the query itself enforces it.
package store
