package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// Without configured keys, every replica and every restart seals with the
// one key the first of them generated; configured keys replace it.
func TestButtonRingIsSharedByReplicas(t *testing.T) {
	for name, url := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "perfbot.db") },
		"postgres": func(t *testing.T) string { return testdb.Postgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dbURL := url(t)
			ring := func(cfg config.Config) *seal.Ring {
				t.Helper()
				st, err := sqlstore.Open(ctx, dbURL, time.Now)
				require.NoError(t, err)
				defer st.Close()
				require.NoError(t, st.Migrate(ctx))
				r, err := buttonRing(ctx, st, cfg, time.Now)
				require.NoError(t, err)
				return r
			}
			cfg, err := config.Load(func(string) string { return "" }, "")
			require.NoError(t, err)
			to := seal.Person(bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"})

			sealed := ring(cfg).Sign(to, "start:12:3")
			got, err := ring(cfg).Open(sealed, to)
			require.NoError(t, err, "another replica, or after a restart")
			require.Equal(t, "start:12:3", got)

			cfg.ButtonKeys, err = seal.ParseKeys("1=0123456789abcdef0123")
			require.NoError(t, err)
			configured := ring(cfg)
			_, err = configured.Open(sealed, to)
			require.ErrorIs(t, err, seal.ErrForged, "configured keys replace the generated one")
			got, err = ring(cfg).Open(configured.Sign(to, "start:12:3"), to)
			require.NoError(t, err)
			require.Equal(t, "start:12:3", got)
		})
	}
}
