package orgfile_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// now is the time of the test stores' clock.
var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// eachStore runs test against both real stores, each empty and migrated.
func eachStore(t *testing.T, test func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "perfbot.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		test(t, openStore(t, testdb.Postgres(t)))
	})
}

// openStore opens and migrates the store at url, closed when t ends.
func openStore(t *testing.T, url string) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, url, func() time.Time { return now })
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	require.NoError(t, st.Migrate(ctx))
	return st
}
