// Package enginetest builds a real perfbot engine for tests: a real store
// and dialog state on either backend (the embedded default, or PostgreSQL and
// Redis), a settable clock and a small org. Adapter tests use it to run a
// whole check-in through their platform end to end, with no mocks.
package enginetest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	redisdialog "github.com/perfbot/perfbot/internal/dialog/redis"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/internal/testredis"
)

// Backend is one way to run perfbot.
type Backend struct {
	Name string
	Open func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store)
}

// Embedded is SQLite in a temporary directory with in-process state.
var Embedded = Backend{"sqlite+memory", func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store) {
	st, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "perfbot.db"), clock)
	require.NoError(t, err)
	return st, memory.New(clock)
}}

// Scaled is PostgreSQL and Redis, each isolated for the test.
var Scaled = Backend{"postgres+redis", func(t testing.TB, clock func() time.Time) (store.Store, dialog.Store) {
	st, err := sqlstore.Open(context.Background(), testdb.Postgres(t), clock)
	require.NoError(t, err)
	return st, redisdialog.New(testredis.Client(t), redisdialog.WithPrefix(testredis.Prefix(t)))
}}

// Backends lists both.
func Backends() []Backend { return []Backend{Embedded, Scaled} }

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// Start is when every fixture's clock starts: Friday 27 November 2026,
// 08:00 UTC, inside ISO week 2026-W48 in every time zone of the org.
var Start = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// Fixture is an engine on a backend with a team, "Platform", that sends
// check-ins to managers.
type Fixture struct {
	Store  store.Store
	Dialog dialog.Store
	Engine *engine.Engine
	Clock  *Clock
	Team   store.Team
	// Buttons seals the engine's button values.
	Buttons *seal.Ring
	t       testing.TB
}

// New builds a Fixture on b with adapters registered.
func New(t testing.TB, b Backend, adapters ...bot.Adapter) *Fixture {
	return NewWith(t, b, nil, adapters...)
}

// NewWith is New with configure given the engine's options before the
// engine is built, to add what a test needs (a transcriber, say).
func NewWith(t testing.TB, b Backend, configure func(*engine.Options), adapters ...bot.Adapter) *Fixture {
	ctx := context.Background()
	c := &Clock{t: Start}
	st, ds := b.Open(t, c.Now)
	t.Cleanup(func() { st.Close(); ds.Close() })
	require.NoError(t, st.Migrate(ctx))
	cat, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	f := &Fixture{Store: st, Dialog: ds, Clock: c, t: t}
	key, err := seal.NewKey('t', seal.NewSecret())
	require.NoError(t, err)
	buttons, err := seal.NewRing(seal.DefaultLifetime, c.Now, key)
	require.NoError(t, err)
	o := engine.Options{Store: st, Dialog: ds, Texts: cat, Clock: c.Now, Buttons: buttons}
	if configure != nil {
		configure(&o)
	}
	f.Buttons = o.Buttons
	f.Engine = engine.New(o)
	for _, a := range adapters {
		f.Engine.Register(a)
	}
	f.Team = store.Team{Name: "Platform", NotifyManager: true}
	require.NoError(t, st.SaveTeam(ctx, &f.Team))
	return f
}

// Add saves a person in the team. manager is 0 for none.
func (f *Fixture) Add(name, locale, timeZone string, manager int64, role bot.Role, ids ...bot.Identity) bot.Person {
	f.t.Helper()
	p := bot.Person{
		Name: name, Email: name + "@example.com", Locale: locale, TimeZone: timeZone,
		Roles: []bot.Role{role}, ManagerID: manager, TeamID: f.Team.ID, Identities: ids,
	}
	require.NoError(f.t, f.Store.SavePerson(context.Background(), &p))
	return p
}

// Reseal returns value, taken from a button sent to from, as if perfbot
// had sent it to to instead: how a test gets past the seal to check the
// step's own rules on who may use a button.
func (f *Fixture) Reseal(value string, from, to bot.Identity) string {
	f.t.Helper()
	v, err := f.Buttons.Open(value, seal.Person(from))
	require.NoError(f.t, err)
	return f.Buttons.Sign(seal.Person(to), v)
}

// Round reads a person's round for period as perfbot itself.
func (f *Fixture) Round(personID int64, period string) store.Round {
	f.t.Helper()
	r, err := f.Store.RoundByPeriod(context.Background(), store.System, personID, period)
	require.NoError(f.t, err)
	return r
}
