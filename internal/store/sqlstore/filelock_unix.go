//go:build unix

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/pressly/goose/v3/lock"
)

// fileLocker serialises migrations of one SQLite database with flock(2) on a
// file beside it. goose has no SQLite locker, and a lock inside the database
// would need a write transaction of its own, which goose's would then wait
// on. The kernel drops the lock when its holder dies, so none goes stale.
type fileLocker struct {
	path string
	f    *os.File
}

func newFileLocker(path string) lock.SessionLocker { return &fileLocker{path: path} }

func (l *fileLocker) SessionLock(ctx context.Context, _ *sql.Conn) error {
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	// Poll with LOCK_NB: a blocking flock could not be cancelled by ctx.
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			l.f = f
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, ctx.Err())
		case <-t.C:
		}
	}
}

// SessionUnlock releases the lock by closing the file.
func (l *fileLocker) SessionUnlock(context.Context, *sql.Conn) error {
	if l.f == nil {
		return errors.New("migration lock: not held")
	}
	err := l.f.Close()
	l.f = nil
	return err
}
