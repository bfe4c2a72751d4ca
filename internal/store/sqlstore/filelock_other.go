//go:build !unix

package sqlstore

import "github.com/pressly/goose/v3/lock"

// newFileLocker returns no locker where flock(2) does not exist: there,
// perfbot on SQLite supports one process per data directory, which is the
// embedded default anyway.
func newFileLocker(string) lock.SessionLocker { return nil }
