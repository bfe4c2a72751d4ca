package scheduler_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/scheduler"
)

// Prompts go out on the team's cadence in each person's own time zone,
// once, however many replicas run the scheduler; not to someone away.
func TestRunnerPromptsOnCadence(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			sim := simulator.New(simulator.Options{})
			f := enginetest.New(t, b, sim)
			ctx := context.Background()
			f.Team.Cadence = "0 16 * * FRI"
			require.NoError(t, f.Store.SaveTeam(ctx, &f.Team))
			id := func(u string) bot.Identity {
				return bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: u}
			}
			f.Add("berlin", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, id("berlin"))
			f.Add("shanghai", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleEmployee, id("shanghai"))
			away := f.Add("away", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, id("away"))
			away.AwayUntil = "2026-12-07"
			require.NoError(t, f.Store.SavePerson(ctx, &away))

			cal, err := calendar.Load("")
			require.NoError(t, err)
			planner := scheduler.NewPlanner(cal)
			replica := func() *scheduler.Runner {
				return scheduler.NewRunner(planner, f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
			}
			a, b := replica(), replica()

			// Friday 27 November 2026, 08:00 UTC: 16:00 in Shanghai has come, not yet in Berlin.
			c, err := a.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, c.Prompts)
			require.Len(t, sim.DM("shanghai"), 1)
			require.Equal(t, "每周签到 · 2026-W48", sim.DM("shanghai")[0].Title)
			require.Empty(t, sim.DM("berlin"))

			// 15:01 UTC is 16:01 in Berlin. Both replicas look at once.
			f.Clock.Set(time.Date(2026, 11, 27, 15, 1, 0, 0, time.UTC))
			ca, err := a.Tick(ctx)
			require.NoError(t, err)
			cb, err := b.Tick(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, ca.Prompts+cb.Prompts, "prompted once across replicas")
			require.Len(t, sim.DM("berlin"), 1)
			require.Len(t, sim.DM("shanghai"), 1, "and nobody twice")
			require.Empty(t, sim.DM("away"), "not while away")

			// A day later nothing new is due.
			f.Clock.Set(time.Date(2026, 11, 28, 15, 1, 0, 0, time.UTC))
			c, err = a.Tick(ctx)
			require.NoError(t, err)
			require.Zero(t, c.Prompts)
		})
	}
}
