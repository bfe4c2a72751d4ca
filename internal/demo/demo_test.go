package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/demo"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// openStore opens an empty, migrated store: SQLite, or Postgres when
// postgres is set.
func openStore(t *testing.T, postgres bool) store.Store {
	t.Helper()
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "perfbot.db")
	if postgres {
		url = testdb.Postgres(t)
	}
	st, err := sqlstore.Open(ctx, url, time.Now)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func TestSeed(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testSeed(t, openStore(t, false)) })
	t.Run("postgres", func(t *testing.T) { testSeed(t, openStore(t, true)) })
}

var tenants = map[bot.Platform]string{bot.Simulator: "demo"}

func testSeed(t *testing.T, st store.Store) {
	ctx := context.Background()
	require.NoError(t, demo.Seed(ctx, st, tenants))

	people, err := st.People(ctx, store.PeopleFilter{})
	require.NoError(t, err)
	require.Len(t, people, 9)
	teams, err := st.Teams(ctx)
	require.NoError(t, err)
	require.Len(t, teams, 2)
	for _, team := range teams {
		require.True(t, team.NotifyManager, team.Name)
		if team.Name == demo.ChannelTeam {
			require.Equal(t, demo.Channel, team.Channel.Channel)
			require.Equal(t, "demo", team.Channel.Tenant)
			require.True(t, team.PraiseFeed, "the demo shows the praise feed")
		}
	}

	byID := map[int64]bot.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	roles := map[bot.Role]int{}
	locales := map[string]int{}
	zones := map[string]bool{}
	deepest := 0
	for _, p := range people {
		for _, r := range p.Roles {
			roles[r]++
		}
		locales[p.Locale]++
		zones[p.TimeZone] = true
		id, ok := p.IdentityOn(bot.Simulator)
		require.True(t, ok, "%s can chat in the simulator", p.Name)
		require.NotEmpty(t, id.UserID)

		depth := 0
		for m := p.ManagerID; m != 0; m = byID[m].ManagerID {
			depth++
			require.Less(t, depth, len(people), "no manager cycle")
		}
		deepest = max(deepest, depth)
	}
	require.Equal(t, map[bot.Role]int{bot.RoleHR: 1, bot.RoleAdmin: 1, bot.RoleManager: 2, bot.RoleEmployee: 6}, roles)
	require.Positive(t, locales[bot.LocaleEN])
	require.Positive(t, locales[bot.LocaleZH])
	require.GreaterOrEqual(t, len(zones), 4)
	require.GreaterOrEqual(t, deepest, 2, "a manager chain of two levels")

	// The simulator's events carry its tenant; they must find the people.
	li, err := st.PersonByIdentity(ctx, bot.Identity{Platform: bot.Simulator, Tenant: "demo", UserID: "li.wei"})
	require.NoError(t, err)
	require.Equal(t, "李伟", li.Name)
	goals, err := st.Goals(ctx, li.ID)
	require.NoError(t, err)
	require.NotEmpty(t, goals)

	// Seeding again changes nothing.
	log, err := st.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.NoError(t, demo.Seed(ctx, st, tenants))
	again, err := st.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.Equal(t, log, again)
}

func TestSeedLeavesARealOrganisationAlone(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, false)
	someone := bot.Person{Name: "Someone", Email: "someone@example.com", Locale: bot.LocaleEN, TimeZone: "UTC", Roles: []bot.Role{bot.RoleAdmin}}
	require.NoError(t, st.SavePerson(ctx, &someone))

	require.NoError(t, demo.Seed(ctx, st, tenants))
	people, err := st.People(ctx, store.PeopleFilter{})
	require.NoError(t, err)
	require.Len(t, people, 1)
}
