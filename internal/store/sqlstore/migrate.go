package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one folder of goose SQL files per dialect.
//
//go:embed migrations
var migrations embed.FS

// Migrate applies the embedded migrations that are not applied yet. Several
// processes may call it at once: on Postgres they queue on an advisory lock,
// on SQLite on a lock file beside the database.
func (s *Store) Migrate(ctx context.Context) error {
	if s.tx != nil {
		return errors.New("sqlstore: Migrate inside InTx")
	}
	// A locker keeps state between its Lock and Unlock, so each run gets
	// its own.
	locker, err := s.migrationLocker(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var opts []goose.ProviderOption
	if locker != nil {
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := s.provider(opts...)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	// Not p.Close: it would close s.db.
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return nil
}

// SchemaVersion reports the version of the database's schema and the
// latest this build has: they differ until Migrate runs. It takes no lock,
// so it answers while another replica migrates.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	return current, latest, nil
}

// provider is goose over the store's database and its dialect's
// migrations.
func (s *Store) provider(opts ...goose.ProviderOption) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+s.d.String())
	if err != nil {
		return nil, err
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	return goose.NewProvider(s.d.goose(), s.db, fsys, opts...)
}

func (s *Store) migrationLocker(ctx context.Context) (lock.SessionLocker, error) {
	if s.d == postgres {
		// Advisory locks are per database; several perfbot schemas may
		// share one (tests, staging beside production), and only the
		// replicas of one schema need to wait for each other.
		var schema string
		if err := s.db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("current schema (does the search_path schema exist?): %w", err)
		}
		h := fnv.New64a()
		_, _ = h.Write([]byte("perfbot migrate " + schema))
		// Poll each second rather than goose's default five: migrations
		// take milliseconds, and replicas should not idle for seconds.
		return lock.NewPostgresSessionLocker(
			lock.WithLockID(int64(h.Sum64())),
			lock.WithLockTimeout(1, 300),
		)
	}
	if s.lockPath == "" {
		return nil, nil
	}
	return newFileLocker(s.lockPath), nil
}
