package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// everyDay is a calendar with no days off, so that the DST tests can put
// prompts on the Sundays the clocks change.
type everyDay struct{}

func (everyDay) IsWorkday(string, calendar.Date) bool { return true }
func (everyDay) NextWorkday(_ string, d calendar.Date) calendar.Date {
	return d.AddDays(1)
}

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// local reads "2026-03-08 02:30" in loc.
func local(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return at
}

func utc(t testing.TB, s string) time.Time { return local(t, time.UTC, s) }

func team(t testing.TB, cadence, deadline string) scheduler.Team {
	t.Helper()
	tm, err := scheduler.NewTeam(store.Team{Cadence: cadence, Deadline: deadline})
	require.NoError(t, err)
	return tm
}

func realCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.Load("")
	require.NoError(t, err)
	return c
}

const (
	shanghai = "Asia/Shanghai"
	newYork  = "America/New_York"
	berlin   = "Europe/Berlin"
)

func TestNextPrompt(t *testing.T) {
	cn := realCalendar(t)
	tests := []struct {
		name     string
		days     scheduler.Workdays
		tz       string
		cadence  string
		after    string // local
		want     string // UTC
		wantZone string // the local time zone abbreviation, for DST cases
	}{
		{"Shanghai Friday", cn, shanghai, "0 16 * * FRI", "2026-11-16 09:00", "2026-11-20 08:00", "CST"},
		{"Shanghai 调休 Saturday is a working day", cn, shanghai, "0 10 * * *", "2026-02-13 10:00", "2026-02-14 02:00", ""},
		{"Shanghai Saturday cadence on a 调休 Saturday", cn, shanghai, "0 16 * * SAT", "2026-02-10 09:00", "2026-02-14 08:00", ""},
		{"Shanghai Saturday cadence in 春节 moves past it", cn, shanghai, "0 16 * * SAT", "2026-02-15 09:00", "2026-02-24 08:00", ""},
		{"Shanghai holiday Friday (端午) moves to Monday", cn, shanghai, "0 16 * * FRI", "2026-06-15 09:00", "2026-06-22 08:00", ""},
		{"Shanghai 国庆 week moves to the first working day", cn, shanghai, "0 16 * * FRI", "2026-09-29 09:00", "2026-10-08 08:00", ""},
		{"Shanghai ordinary Sunday moves to Monday", cn, shanghai, "0 16 * * SUN", "2026-11-16 09:00", "2026-11-16 08:00", ""},
		{"Shanghai Sunday moved to Monday, then the next week's", cn, shanghai, "0 16 * * SUN", "2026-11-16 16:00", "2026-11-23 08:00", ""},
		// Asked in the middle of 国庆: Friday 10-02's prompt, moved to Thursday 10-08, is still to come.
		{"Shanghai asked during the holiday", cn, shanghai, "0 16 * * FRI", "2026-10-05 09:00", "2026-10-08 08:00", ""},
		{"Shanghai after the moved prompt, the regular one", cn, shanghai, "0 16 * * FRI", "2026-10-08 16:00", "2026-10-09 08:00", ""},
		{"no data: weekends only", cn, newYork, "0 16 * * SAT", "2026-11-16 09:00", "2026-11-16 21:00", "EST"},
		{"no data: next Saturday's moves to Monday", cn, newYork, "0 16 * * SAT", "2026-11-17 09:00", "2026-11-23 21:00", "EST"},
		{"New York before spring forward", cn, newYork, "0 16 * * FRI", "2026-03-02 09:00", "2026-03-06 21:00", "EST"},
		{"New York after spring forward", cn, newYork, "0 16 * * FRI", "2026-03-07 09:00", "2026-03-13 20:00", "EDT"},
		{"New York gap: 02:30 fires at 03:00 EDT", everyDay{}, newYork, "30 2 * * *", "2026-03-08 00:00", "2026-03-08 07:00", "EDT"},
		{"New York gap: then the next day's 02:30", everyDay{}, newYork, "30 2 * * *", "2026-03-08 03:00", "2026-03-09 06:30", "EDT"},
		{"New York overlap: 01:30 fires at the first", everyDay{}, newYork, "30 1 * * *", "2026-11-01 00:00", "2026-11-01 05:30", "EDT"},
		// 05:31 UTC is 01:31 EDT; 01:30 EST (06:30 UTC) is the same wall time, not fired again.
		{"New York overlap: not twice", everyDay{}, newYork, "30 1 * * *", "2026-11-01 01:31", "2026-11-02 06:30", "EST"},
		{"Berlin gap: 02:30 fires at 03:00 CEST", everyDay{}, berlin, "30 2 * * *", "2026-03-29 00:00", "2026-03-29 01:00", "CEST"},
		{"Berlin overlap: 02:30 fires at the first", everyDay{}, berlin, "30 2 * * *", "2026-10-25 00:00", "2026-10-25 00:30", "CEST"},
		{"Berlin overlap: not twice", everyDay{}, berlin, "30 2 * * *", "2026-10-25 02:31", "2026-10-26 01:30", "CET"},
		{"Berlin DST day on a Sunday moves to Monday", cn, berlin, "30 2 * * SUN", "2026-03-28 00:00", "2026-03-30 00:30", "CEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.tz)
			p := scheduler.NewPlanner(tt.days)
			who := scheduler.Person{Loc: loc, Region: calendar.RegionOf(tt.tz)}
			got := p.NextPrompt(who, team(t, tt.cadence, ""), local(t, loc, tt.after))
			require.Equal(t, utc(t, tt.want), got.UTC(), "got %s", got.In(loc))
			if tt.wantZone != "" {
				name, _ := got.In(loc).Zone()
				require.Equal(t, tt.wantZone, name)
			}
		})
	}
}

// TestPromptsOnceAcrossFallBack walks an hourly cadence through New York's
// fall-back night: the wall clock shows 01:00 twice, perfbot prompts once.
func TestPromptsOnceAcrossFallBack(t *testing.T) {
	p := scheduler.NewPlanner(everyDay{})
	who := scheduler.Person{Loc: zone(t, newYork)}
	tm := team(t, "0 * * * *", "")
	var got []string
	for at := utc(t, "2026-11-01 04:00"); ; {
		at = p.NextPrompt(who, tm, at)
		if !at.Before(utc(t, "2026-11-01 09:00")) {
			break
		}
		got = append(got, at.In(who.Loc).Format("15:04 MST"))
	}
	require.Equal(t, []string{"01:00 EDT", "02:00 EST", "03:00 EST"}, got)

	// And spring forward: 02:00 does not exist, and fires once at 03:00.
	got = nil
	for at := utc(t, "2026-03-08 05:00"); ; {
		at = p.NextPrompt(who, tm, at)
		if !at.Before(utc(t, "2026-03-08 09:00")) {
			break
		}
		got = append(got, at.In(who.Loc).Format("15:04 MST"))
	}
	require.Equal(t, []string{"01:00 EST", "03:00 EDT", "04:00 EDT"}, got)
}

// TestNeverOnADayOff plans a year of daily prompts and nudges in several
// zones and checks each against the person's calendar.
func TestNeverOnADayOff(t *testing.T) {
	cn := realCalendar(t)
	p := scheduler.NewPlanner(cn)
	rules := scheduler.DefaultRules()
	for _, tz := range []string{shanghai, newYork, berlin, "Asia/Kolkata", "Pacific/Auckland"} {
		loc := zone(t, tz)
		who := scheduler.Person{Loc: loc, Region: calendar.RegionOf(tz)}
		events := p.Plan(who, team(t, "30 2 * * *", "FRI 18:00"), rules, utc(t, "2026-01-01 00:00"), utc(t, "2027-01-01 00:00"))
		require.NotEmpty(t, events)
		for _, e := range events {
			if e.Kind == scheduler.KindPrompt || e.Kind == scheduler.KindNudge {
				require.True(t, cn.IsWorkday(who.Region, calendar.DateOf(e.Local)), "%s %s %s", tz, e.Kind, e.Local)
			}
		}
	}
}

func TestDeadline(t *testing.T) {
	cn := realCalendar(t)
	tests := []struct {
		name, tz, deadline, prompt, want string // prompt and want local
	}{
		{"same day", shanghai, "FRI 18:00", "2026-11-20 16:00", "2026-11-20 18:00"},
		{"at the prompt", shanghai, "FRI 16:00", "2026-11-20 16:00", "2026-11-20 16:00"},
		{"after it on the day: next week", shanghai, "FRI 18:00", "2026-11-20 18:30", "2026-11-27 18:00"},
		{"holiday week: end of the next working day", shanghai, "FRI 18:00", "2026-09-24 16:00", "2026-09-28 18:00"},
		{"due on a 调休 Saturday", shanghai, "SAT 12:00", "2026-02-13 16:00", "2026-02-14 12:00"},
		{"weekend deadline without data moves to Monday", newYork, "SUN 12:00", "2026-11-20 16:00", "2026-11-23 12:00"},
		{"across spring forward", newYork, "MON 09:00", "2026-03-06 16:00", "2026-03-09 09:00"},
		{"across fall back", berlin, "MON 09:00", "2026-10-23 16:00", "2026-10-26 09:00"},
	}
	p := scheduler.NewPlanner(cn)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.tz)
			who := scheduler.Person{Loc: loc, Region: calendar.RegionOf(tt.tz)}
			got, ok := p.Deadline(who, team(t, "0 16 * * FRI", tt.deadline), local(t, loc, tt.prompt))
			require.True(t, ok)
			require.Equal(t, local(t, loc, tt.want), got, "got %s", got.In(loc))
		})
	}
	_, ok := p.Deadline(scheduler.Person{}, team(t, "0 16 * * FRI", ""), time.Now())
	require.False(t, ok, "no deadline set")
}

func TestNudges(t *testing.T) {
	cn := realCalendar(t)
	tests := []struct {
		name   string
		tz     string
		hours  string
		after  time.Duration
		max    int
		prompt string
		want   []string // local
	}{
		{"inside the hours", shanghai, "09:00-20:00", 2 * time.Hour, 2, "2026-11-18 10:00", []string{"2026-11-18 12:00", "2026-11-18 14:00"}},
		{"20:00 is quiet: next working morning", shanghai, "09:00-20:00", 2 * time.Hour, 3, "2026-11-20 16:00", []string{"2026-11-20 18:00", "2026-11-23 09:00", "2026-11-23 11:00"}},
		{"before the hours: their start", shanghai, "09:00-20:00", time.Hour, 1, "2026-11-18 06:30", []string{"2026-11-18 09:00"}},
		{"configured hours", shanghai, "10:00-18:00", 24 * time.Hour, 1, "2026-11-17 09:00", []string{"2026-11-18 10:00"}},
		{"a 调休 Saturday is nudged, 春节 is not", shanghai, "09:00-20:00", 24 * time.Hour, 2, "2026-02-13 16:00", []string{"2026-02-14 16:00", "2026-02-24 09:00"}},
		{"weekend without data", newYork, "09:00-20:00", 24 * time.Hour, 2, "2026-11-20 16:00", []string{"2026-11-23 09:00", "2026-11-24 09:00"}},
		{"across fall back", berlin, "09:00-20:00", 24 * time.Hour, 1, "2026-10-23 19:00", []string{"2026-10-26 09:00"}},
		{"none", berlin, "09:00-20:00", 24 * time.Hour, 0, "2026-10-23 19:00", nil},
	}
	p := scheduler.NewPlanner(cn)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.tz)
			hours, err := scheduler.ParseHours(tt.hours)
			require.NoError(t, err)
			rules := scheduler.DefaultRules()
			rules.NudgeHours, rules.NudgeAfter, rules.MaxNudges = hours, tt.after, tt.max
			require.NoError(t, rules.Validate())
			var got []string
			for _, n := range p.Nudges(scheduler.Person{Loc: loc, Region: calendar.RegionOf(tt.tz)}, rules, local(t, loc, tt.prompt)) {
				got = append(got, n.In(loc).Format("2006-01-02 15:04"))
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestReview(t *testing.T) {
	p := scheduler.NewPlanner(realCalendar(t))
	rules := scheduler.DefaultRules()
	loc := zone(t, shanghai)
	manager := scheduler.Person{Loc: loc, Region: "CN"}
	tests := []struct{ name, submitted, remind, escalate string }{
		{"weekdays", "2026-11-17 10:00", "2026-11-18 10:00", "2026-11-19 10:00"},
		{"over a weekend", "2026-11-20 17:00", "2026-11-23 09:00", "2026-11-24 09:00"},
		{"late evening", "2026-11-16 21:00", "2026-11-18 09:00", "2026-11-19 09:00"},
		{"into 国庆", "2026-09-29 15:00", "2026-09-30 15:00", "2026-10-08 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remind, escalate := p.Review(manager, rules, local(t, loc, tt.submitted))
			require.Equal(t, local(t, loc, tt.remind), remind)
			require.Equal(t, local(t, loc, tt.escalate), escalate)
		})
	}
}

func TestPlanHolidayWeek(t *testing.T) {
	p := scheduler.NewPlanner(realCalendar(t))
	loc := zone(t, shanghai)
	nyc := zone(t, newYork)
	manager := scheduler.Person{Loc: nyc}
	who := scheduler.Person{Loc: loc, Region: "CN", Manager: &manager}
	events := p.Plan(who, team(t, "0 16 * * FRI", "FRI 18:00"), scheduler.DefaultRules(),
		local(t, loc, "2026-09-21 00:00"), local(t, loc, "2026-10-12 00:00"))
	var got []string
	for _, e := range events {
		require.Equal(t, time.UTC, e.At.Location())
		require.True(t, e.At.Equal(e.Local))
		got = append(got, string(e.Kind)+" "+e.Local.Format("2006-01-02 15:04 MST"))
	}
	require.Equal(t, []string{
		// Friday 09-25 is 中秋: the prompt moves to Monday, and its Friday deadline (国庆) to 10-08.
		"prompt 2026-09-28 16:00 CST",
		"nudge 2026-09-29 16:00 CST",
		"nudge 2026-09-30 16:00 CST",
		// Friday 10-02 is 国庆: moved to the first working day, Thursday 10-08.
		"prompt 2026-10-08 16:00 CST",
		"deadline 2026-10-08 18:00 CST", // round of 09-28
		"nudge 2026-10-09 16:00 CST",
		// Friday 10-09's own prompt is in the same week, 2026-W41, as the
		// moved one: that week's round is open already, so it is not planned.
		"deadline 2026-10-09 18:00 CST",        // round of 10-08
		"review-reminder 2026-10-09 09:00 EDT", // the manager's morning, in New York
		"nudge 2026-10-10 16:00 CST",           // on the 调休 Saturday
		// New York has no data: its weekend is off, so the rest waits for Monday morning there.
		"escalation 2026-10-12 09:00 EDT",      // round of 09-28: a working day after its reminder
		"review-reminder 2026-10-12 09:00 EDT", // round of 10-08
		"escalation 2026-10-13 09:00 EDT",      // and a working day later, not in the same minute
	}, got)
}

func TestNewTeamAndRules(t *testing.T) {
	_, err := scheduler.NewTeam(store.Team{})
	require.ErrorIs(t, err, scheduler.ErrNoCadence)
	_, err = scheduler.NewTeam(store.Team{Cadence: "0 16 * *"})
	require.ErrorContains(t, err, `cadence "0 16 * *"`)
	_, err = scheduler.NewTeam(store.Team{Cadence: "CRON_TZ=Asia/Tokyo 0 16 * * FRI"})
	require.ErrorContains(t, err, "each person's own")
	_, err = scheduler.NewTeam(store.Team{Cadence: "0 16 * * FRI", Deadline: "FRIDAY 6pm"})
	require.ErrorContains(t, err, `deadline "FRIDAY 6pm"`)

	require.NoError(t, scheduler.DefaultRules().Validate())
	bad := scheduler.DefaultRules()
	bad.NudgeHours = scheduler.Hours{From: 20 * 60, Until: 9 * 60}
	require.ErrorIs(t, bad.Validate(), scheduler.ErrBadRules)
	bad = scheduler.DefaultRules()
	bad.EscalateAfter = bad.ReviewAfter
	require.ErrorIs(t, bad.Validate(), scheduler.ErrBadRules)
	_, err = scheduler.ParseHours("9-20")
	require.Error(t, err)
}
