package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// fixture drives the engine through the simulator, perfbot's test bot, with
// a small org: Anna reports to Li Wei, who reports to Mei (HR); Sam is Anna's
// peer.
type fixture struct {
	*enginetest.Fixture
	t      testing.TB
	sim    *simulator.Adapter
	people map[string]bot.Person
	seq    int
}

func newFixture(t testing.TB, b enginetest.Backend, configure ...func(*engine.Options)) *fixture {
	f := &fixture{t: t, people: map[string]bot.Person{}}
	f.sim = simulator.New(simulator.Options{}) // its clock only stamps the transcript
	f.Fixture = enginetest.NewWith(t, b, func(o *engine.Options) {
		for _, c := range configure {
			c(o)
		}
	}, f.sim)
	add := func(id, name, locale, tz string, manager int64, role bot.Role) {
		f.people[id] = f.Add(name, locale, tz, manager, role, bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: id})
	}
	add("mei", "Mei", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleHR)
	add("li.wei", "Li Wei", bot.LocaleZH, "Asia/Shanghai", f.people["mei"].ID, bot.RoleManager)
	add("anna", "Anna", bot.LocaleEN, "Europe/Berlin", f.people["li.wei"].ID, bot.RoleEmployee)
	add("sam", "Sam", bot.LocaleEN, "America/New_York", f.people["li.wei"].ID, bot.RoleEmployee)
	return f
}

func (f *fixture) event(who string, ev bot.Event) bot.Event {
	f.seq++
	if ev.ID == "" {
		ev.ID = "ev-" + who + "-" + time.Duration(f.seq).String()
	}
	ev.From = bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: who}
	ev.At = f.Clock.Now()
	return ev
}

func (f *fixture) say(who, text string) {
	f.t.Helper()
	require.NoError(f.t, f.Engine.Handle(context.Background(), f.event(who, bot.Event{Kind: bot.KindMessage, Text: text})))
}

// click taps the newest button labelled label in who's conversation.
func (f *fixture) click(who, label string) {
	f.t.Helper()
	entries := f.sim.DM(who)
	for i := len(entries) - 1; i >= 0; i-- {
		for _, b := range entries[i].Buttons {
			if b.Label == label {
				ev := f.event(who, bot.Event{Kind: bot.KindAction, Action: b.Value, Ref: entries[i].Ref})
				require.NoError(f.t, f.Engine.Handle(context.Background(), ev))
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
	return f.Round(f.people[who].ID, "2026-W48")
}
