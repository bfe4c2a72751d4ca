// Package faulttest runs the perfbot binary as a child process against
// PostgreSQL, a Redis of its own and fake Slack and WeCom servers on
// 127.0.0.1, and breaks it while events are in flight: kill -9, a SIGTERM
// under load, Redis restarted empty. Each test then counts, from the
// database and from what the fakes received, the events lost (must be
// none), the replies sent twice (at most what was in flight) and how long
// perfbot took to recover.
//
// The package holds only tests; they need PostgreSQL (see internal/testdb)
// and the redis-server binary, and build cmd/perfbot once.
package faulttest
