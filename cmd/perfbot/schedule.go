package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// schedulePreview prints, per person, when each prompt, nudge, deadline and
// escalation would fire in a window, so an admin can check a team's
// settings before anything is sent.
func schedulePreview(ctx context.Context, env environment, args []string) error {
	var team, from, calFile string
	var days int
	if _, err := flags("schedule preview", args, func(fs *flag.FlagSet) {
		fs.StringVar(&team, "team", "", "team name (default: every team)")
		fs.StringVar(&from, "from", "", "first day, 2026-11-01, or a week, 2026-W44 (default: today)")
		fs.IntVar(&days, "days", 14, "how many days to show")
		fs.StringVar(&calFile, "calendar", "", "a calendar override file (see internal/calendar/data/README.md)")
	}); err != nil {
		return err
	}
	if days < 1 || days > 366 {
		return usagef("--days %d: want 1 to 366", days)
	}
	return withApp(ctx, env, func(a *app) error {
		// The calendar perfbot serve plans with, unless the flag names another.
		cal, err := calendar.Load(cmp.Or(calFile, a.cfg.CalendarFile))
		if err != nil {
			return err
		}
		start, err := previewStart(from, env.clock().In(a.cfg.DefaultTimeZone))
		if err != nil {
			return usagef("%v", err)
		}
		teams, err := a.store.Teams(ctx)
		if err != nil {
			return err
		}
		if team != "" {
			t, err := findTeam(ctx, a.store, team)
			if err != nil {
				return err
			}
			teams = []store.Team{t}
		}
		pv := preview{ctx: ctx, st: a.store, cal: cal, planner: scheduler.NewPlanner(cal), texts: a.texts,
			rules: scheduler.DefaultRules(), defaultLoc: a.cfg.DefaultTimeZone, zones: map[string]*time.Location{},
			managers: map[int64]*scheduler.Person{}, noData: map[string]bool{}, provisional: map[regionYear]bool{}}
		return pv.print(env.stdout, teams, start, days)
	})
}

// previewStart reads --from: a date, a week (its Monday), or today.
func previewStart(from string, now time.Time) (calendar.Date, error) {
	switch {
	case from == "":
		return calendar.DateOf(now), nil
	case period.Valid(from):
		monday, err := period.Start(from, time.UTC)
		return calendar.DateOf(monday), err
	}
	d, err := calendar.ParseDate(from)
	if err != nil {
		return d, fmt.Errorf("--from: %v, or a week like 2026-W44", err)
	}
	return d, nil
}

type preview struct {
	ctx        context.Context
	st         store.Store
	cal        *calendar.Calendar
	planner    *scheduler.Planner
	rules      scheduler.Rules
	defaultLoc *time.Location
	zones      map[string]*time.Location
	managers   map[int64]*scheduler.Person
	noData     map[string]bool // "CN 2028" for each region and year planned without data
	// provisional holds each region and year planned on a provisional
	// calendar (calendar.Calendar.Provisional).
	provisional map[regionYear]bool
	texts       *i18n.Catalog
}

type regionYear struct {
	region string
	year   int
}

func (pv *preview) print(w io.Writer, teams []store.Team, start calendar.Date, days int) error {
	fmt.Fprintf(w, "%s to %s, each person's own days (%d days), working days only\n", start, start.AddDays(days-1), days)
	for _, t := range teams {
		if rules, err := scheduler.RulesFor(t.Rules, pv.rules); err == nil {
			fmt.Fprintf(w, "%s: %s\n", t.Name, rules)
		}
	}
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintln(tw, "TEAM\tPERSON\tCALENDAR\tEVENT\tLOCAL\tUTC")
	for _, t := range teams {
		st, err := scheduler.NewTeam(t)
		if errors.Is(err, scheduler.ErrNoCadence) {
			fmt.Fprintf(tw, "%s\t-\t-\tno cadence set\t\t\n", t.Name)
			continue
		}
		if err != nil {
			return fmt.Errorf("team %s: %w", t.Name, err)
		}
		rules, err := scheduler.RulesFor(t.Rules, pv.rules)
		if err != nil {
			return fmt.Errorf("team %s: %w", t.Name, err)
		}
		people, err := pv.st.People(pv.ctx, store.PeopleFilter{TeamID: t.ID})
		if err != nil {
			return err
		}
		if len(people) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\tno members\t\t\n", t.Name)
		}
		for _, p := range people {
			who, err := pv.person(p)
			if err != nil {
				return err
			}
			from := time.Date(start.Year, start.Month, start.Day, 0, 0, 0, 0, who.Loc)
			events := awayless(pv.planner.Plan(who, st, rules, from, from.AddDate(0, 0, days)), p.AwayUntil, who.Loc)
			pv.noteCoverage(who.Region, start, days)
			if p.AwayUntil != "" {
				fmt.Fprintf(tw, "%s\t%s\t%s\taway until %s: nothing before\t\t\n", t.Name, p.Name, calendarName(who.Region), p.AwayUntil)
			}
			if len(events) == 0 {
				fmt.Fprintf(tw, "%s\t%s\t%s\tno prompt in the window\t\t\n", t.Name, p.Name, calendarName(who.Region))
			}
			for _, e := range events {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, p.Name, pv.calendarOn(who.Region, e.Local), eventName(e.Kind),
					e.Local.Format("Mon 2006-01-02 15:04 MST"), e.At.Format("2006-01-02 15:04"))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* if the check-in is submitted at the deadline and not reviewed; in the manager's time zone")
	notes := make([]string, 0, len(pv.noData))
	for k := range pv.noData {
		notes = append(notes, k)
	}
	slices.Sort(notes)
	for _, n := range notes {
		fmt.Fprintf(w, "note: no holiday data for %s: weekends only\n", n)
	}
	// A provisional year is said in both of perfbot's languages: the
	// operator of a calendar of China may read either.
	for _, ry := range slices.SortedFunc(maps.Keys(pv.provisional), func(a, b regionYear) int {
		return cmp.Or(strings.Compare(a.region, b.region), cmp.Compare(a.year, b.year))
	}) {
		for _, loc := range i18n.Locales() {
			fmt.Fprintf(w, "%s%s\n", notePrefix(loc), pv.texts.For(loc).T("calendar.provisional", "Region", ry.region, "Year", ry.year))
		}
	}
	return nil
}

// notePrefix starts a note under the preview in locale.
func notePrefix(locale string) string {
	if locale == bot.LocaleZH {
		return "注："
	}
	return "note: "
}

// calendarOn names the calendar an event at local is planned on: the
// region's, marked when that year of it is provisional.
func (pv *preview) calendarOn(region string, local time.Time) string {
	if pv.cal.Provisional(region, local.Year()) {
		return calendarName(region) + " provisional"
	}
	return calendarName(region)
}

// person turns a stored person into whom the planner plans for, with their
// manager for the review reminders.
func (pv *preview) person(p bot.Person) (scheduler.Person, error) {
	loc := pv.zone(p.TimeZone)
	who := scheduler.Person{ID: p.ID, Loc: loc, Region: calendar.RegionOf(loc.String())}
	if p.ManagerID == 0 {
		return who, nil
	}
	if m, ok := pv.managers[p.ManagerID]; ok {
		who.Manager = m
		return who, nil
	}
	mp, err := pv.st.Person(pv.ctx, p.ManagerID)
	if err != nil {
		return who, fmt.Errorf("manager of %s: %w", p.Email, err)
	}
	mloc := pv.zone(mp.TimeZone)
	m := &scheduler.Person{ID: mp.ID, Loc: mloc, Region: calendar.RegionOf(mloc.String())}
	pv.managers[p.ManagerID] = m
	who.Manager = m
	return who, nil
}

// zone loads a time zone once; a person without one has the default.
func (pv *preview) zone(name string) *time.Location {
	if loc, ok := pv.zones[name]; ok {
		return loc
	}
	loc := pv.defaultLoc
	if name != "" {
		if l, err := time.LoadLocation(name); err == nil {
			loc = l
		}
	}
	pv.zones[name] = loc
	return loc
}

// noteCoverage remembers the years of the window region has no data for.
func (pv *preview) noteCoverage(region string, start calendar.Date, days int) {
	if region == "" {
		return
	}
	for y := start.Year; y <= start.AddDays(days).Year; y++ {
		day, err := pv.cal.Lookup(region, calendar.Date{Year: y, Month: time.June, Day: 1})
		switch {
		case errors.Is(err, calendar.ErrNoData):
			pv.noData[fmt.Sprintf("%s %d", region, y)] = true
		case day.Provisional:
			pv.provisional[regionYear{region, y}] = true
		}
	}
}

func calendarName(region string) string {
	if region == "" {
		return "weekends"
	}
	return region
}

func eventName(k scheduler.Kind) string {
	switch k {
	case scheduler.KindDeadline:
		return "deadline, manager digest"
	case scheduler.KindReview:
		return "review reminder*"
	case scheduler.KindEscalation:
		return "escalation*"
	}
	return strings.ReplaceAll(string(k), "-", " ")
}

// awayless leaves out what will not happen while someone is away until
// (YYYY-MM-DD, their first day back): rounds prompted before it are not
// opened, and nudges before it are not sent.
func awayless(events []scheduler.Event, until string, loc *time.Location) []scheduler.Event {
	if until == "" {
		return events
	}
	before := func(t time.Time) bool { return t.In(loc).Format(time.DateOnly) < until }
	return slices.DeleteFunc(events, func(e scheduler.Event) bool {
		return before(e.Round) || (e.Kind == scheduler.KindNudge && before(e.At))
	})
}
