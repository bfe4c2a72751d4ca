package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// prompts lists the next n prompts for who after from.
func prompts(p *scheduler.Planner, who scheduler.Person, tm scheduler.Team, from time.Time, n int) []time.Time {
	var out []time.Time
	for range n {
		from = p.NextPrompt(who, tm, from)
		out = append(out, from)
	}
	return out
}

func TestEveryTwoWeeks(t *testing.T) {
	sh := zone(t, shanghai)
	p := scheduler.NewPlanner(realCalendar(t))
	who := scheduler.Person{ID: 1, Loc: sh, Region: "CN"}
	// Anchored on the week of Friday 2026-11-20: that Friday, then every
	// other one.
	tm := team(t, "every 2 weeks from 2026-11-20: 0 16 * * FRI", "")
	require.Equal(t, []time.Time{
		local(t, sh, "2026-11-20 16:00"),
		local(t, sh, "2026-12-04 16:00"),
		local(t, sh, "2026-12-18 16:00"),
	}, prompts(p, who, tm, local(t, sh, "2026-11-16 00:00"), 3))

	// The other weeks, when anchored a week later.
	tm = team(t, "every 2 weeks from 2026-11-27: 0 16 * * FRI", "")
	require.Equal(t, []time.Time{
		local(t, sh, "2026-11-27 16:00"),
		local(t, sh, "2026-12-11 16:00"),
	}, prompts(p, who, tm, local(t, sh, "2026-11-16 00:00"), 2))

	// Before the anchor, the weeks count backwards the same way.
	tm = team(t, "every 2 weeks from 2026-12-04: 0 16 * * FRI", "")
	require.Equal(t, local(t, sh, "2026-11-20 16:00"), p.NextPrompt(who, tm, local(t, sh, "2026-11-14 00:00")))
}

func TestLastWorkday(t *testing.T) {
	sh, ny := zone(t, shanghai), zone(t, newYork)
	p := scheduler.NewPlanner(realCalendar(t))
	tm := team(t, "last workday 16:00", "")
	cn := scheduler.Person{ID: 1, Loc: sh, Region: "CN"}
	us := scheduler.Person{ID: 2, Loc: ny}

	// February 2026 ends on a Saturday that China works (调休): the last
	// working day there is Saturday the 28th; in New York it is Friday the 27th.
	require.Equal(t, local(t, sh, "2026-02-28 16:00"), p.NextPrompt(cn, tm, local(t, sh, "2026-02-10 09:00")))
	require.Equal(t, local(t, ny, "2026-02-27 16:00"), p.NextPrompt(us, tm, local(t, ny, "2026-02-10 09:00")))
	// October 2026 ends on a Saturday that is a day off: Friday the 30th.
	require.Equal(t, local(t, sh, "2026-10-30 16:00"), p.NextPrompt(cn, tm, local(t, sh, "2026-10-01 00:00")))
	// Once this month's has passed, next month's.
	require.Equal(t, []time.Time{
		local(t, sh, "2026-11-30 16:00"),
		local(t, sh, "2026-12-31 16:00"),
	}, prompts(p, cn, tm, local(t, sh, "2026-10-30 16:00"), 2))
}

// NewTeam reports a cadence internal/cadence refuses, naming it.
func TestNewTeamCadence(t *testing.T) {
	_, err := scheduler.NewTeam(store.Team{Cadence: "every 0 weeks: 0 16 * * FRI", Deadline: "FRI 18:00"})
	require.ErrorContains(t, err, `cadence "every 0 weeks: 0 16 * * FRI"`)
	_, err = scheduler.NewTeam(store.Team{Cadence: "last workday 17:30", Deadline: "FRI 18:00"})
	require.NoError(t, err)
}

func TestRulesFor(t *testing.T) {
	base := scheduler.DefaultRules()
	got, err := scheduler.RulesFor(store.TeamRules{}, base)
	require.NoError(t, err)
	require.Equal(t, base, got, "a team that set nothing has the defaults")

	got, err = scheduler.RulesFor(store.TeamRules{
		NudgeHours: "10:00-18:00", NudgeAfter: 4 * time.Hour, MaxNudges: new(0),
		ReviewAfter: 12 * time.Hour, EscalateAfter: 36 * time.Hour,
	}, base)
	require.NoError(t, err)
	require.Equal(t, scheduler.Rules{
		NudgeHours: scheduler.Hours{From: 10 * 60, Until: 18 * 60}, NudgeAfter: 4 * time.Hour, MaxNudges: 0,
		ReviewAfter: 12 * time.Hour, EscalateAfter: 36 * time.Hour,
	}, got)

	_, err = scheduler.RulesFor(store.TeamRules{NudgeHours: "late"}, base)
	require.ErrorIs(t, err, scheduler.ErrBadRules)
	_, err = scheduler.RulesFor(store.TeamRules{ReviewAfter: 72 * time.Hour}, base)
	require.ErrorIs(t, err, scheduler.ErrBadRules, "a reminder after the escalation")
}
