package engine_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/internal/testredis"
)

// backend is one way to run perfbot: the embedded default, or PostgreSQL
// with Redis. Every engine test runs on each.
type backend struct {
	name string
	open func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store)
}

var backends = []backend{
	{"sqlite+memory", func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store) {
		st, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "perfbot.db"), clock)
		require.NoError(t, err)
		return st, memory.New(clock)
	}},
	{"postgres+redis", func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store) {
		st, err := sqlstore.Open(context.Background(), testdb.Postgres(t), clock)
		require.NoError(t, err)
		ds := redisdialog.New(testredis.Client(t), redisdialog.WithPrefix(testredis.Prefix(t)))
		return st, ds
	}},
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// fixture is an engine on a backend with a small org: Anna reports to Li
// Wei, who reports to Mei (HR); Sam is Anna's peer.
type fixture struct {
	t      testing.TB
	store  store.Store
	dialog dialog.Store
	engine *engine.Engine
	sim    *simulator.Adapter
	clock  *clock
	people map[string]bot.Person
	team   store.Team
	seq    int
}

func newFixture(t testing.TB, b backend) *fixture {
	ctx := context.Background()
	// Friday 27 November 2026, 09:00 in Berlin: week 48 everywhere.
	c := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	st, ds := b.open(t, c.Now)
	t.Cleanup(func() { st.Close(); ds.Close() })
	require.NoError(t, st.Migrate(ctx))
	cat, err := i18n.Load("en")
	require.NoError(t, err)
	f := &fixture{t: t, store: st, dialog: ds, clock: c, people: map[string]bot.Person{}}
	f.sim = simulator.New(simulator.Options{Clock: c.Now})
	f.engine = engine.New(engine.Options{Store: st, Dialog: ds, Texts: cat, Clock: c.Now})
	f.engine.Register(f.sim)

	f.team = store.Team{Name: "Platform", NotifyManager: true}
	require.NoError(t, st.SaveTeam(ctx, &f.team))
	f.add("mei", "Mei", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleHR)
	f.add("li.wei", "Li Wei", bot.LocaleZH, "Asia/Shanghai", f.people["mei"].ID, bot.RoleManager)
	f.add("anna", "Anna", bot.LocaleEN, "Europe/Berlin", f.people["li.wei"].ID, bot.RoleEmployee)
	f.add("sam", "Sam", bot.LocaleEN, "America/New_York", f.people["li.wei"].ID, bot.RoleEmployee)
	return f
}

func (f *fixture) add(id, name, locale, tz string, manager int64, role bot.Role) {
	p := bot.Person{
		Name: name, Email: id + "@example.com", Locale: locale, TimeZone: tz, Roles: []bot.Role{role},
		ManagerID: manager, TeamID: f.team.ID, Identities: []bot.Identity{{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: id}},
	}
	require.NoError(f.t, f.store.SavePerson(context.Background(), &p))
	f.people[id] = p
}

func (f *fixture) event(who string, ev bot.Event) bot.Event {
	f.seq++
	if ev.ID == "" {
		ev.ID = "ev-" + who + "-" + time.Duration(f.seq).String()
	}
	ev.From = bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: who}
	ev.At = f.clock.Now()
	return ev
}

func (f *fixture) say(who, text string) {
	f.t.Helper()
	require.NoError(f.t, f.engine.Handle(context.Background(), f.event(who, bot.Event{Kind: bot.KindMessage, Text: text})))
}

// click taps the newest button labelled label in who's conversation.
func (f *fixture) click(who, label string) {
	f.t.Helper()
	entries := f.sim.DM(who)
	for i := len(entries) - 1; i >= 0; i-- {
		for _, b := range entries[i].Buttons {
			if b.Label == label {
				ev := f.event(who, bot.Event{Kind: bot.KindAction, Action: b.Value, Ref: entries[i].Ref})
				require.NoError(f.t, f.engine.Handle(context.Background(), ev))
				return
			}
		}
	}
	require.FailNowf(f.t, "no button", "%q in %s's conversation: %s", label, who, f.transcript(who))
}

// last is the text of who's newest message from perfbot.
func (f *fixture) last(who string) simulator.Entry {
	entries := f.sim.DM(who)
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].From == "" {
			return entries[i]
		}
	}
	return simulator.Entry{}
}

func (f *fixture) transcript(who string) string {
	var s string
	for _, e := range f.sim.DM(who) {
		s += "\n  " + e.From + "> " + e.Title + " " + e.Text
		for _, fl := range e.Fields {
			s += " | " + fl.Label + ": " + fl.Value
		}
		for _, b := range e.Buttons {
			s += " (" + b.Label + ")"
		}
	}
	return s
}

func (f *fixture) round(who string) store.Round {
	f.t.Helper()
	r, err := f.store.RoundByPeriod(context.Background(), store.System, f.people[who].ID, "2026-W48")
	require.NoError(f.t, err)
	return r
}
