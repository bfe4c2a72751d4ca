package conversations_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

var now = time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC) // a Friday in 2026-W48

// world is a tiny in-memory stand-in for what the engine does between steps:
// it keeps the state and the round, and applies each Result.
type world struct {
	t       *testing.T
	cat     *i18n.Catalog
	state   conversations.State
	round   *store.Round
	person  bot.Person
	manager bot.Person
	team    store.Team
	goals   []store.Goal
	audit   []store.AuditEntry
	last    conversations.Result
	saved   *record // what the last step wrote
	period  string
	// lost says the dialog store has no state for the person, as after
	// a Redis restart (see lose).
	lost bool
}

func newWorld(t *testing.T, locale string) *world {
	cat, err := i18n.Load("en")
	require.NoError(t, err)
	w := &world{
		t: t, cat: cat, period: "2026-W48",
		person:  bot.Person{ID: 7, Name: "Anna", Locale: locale, ManagerID: 3, TeamID: 1},
		manager: bot.Person{ID: 3, Name: "Li Wei", Locale: bot.LocaleZH, Roles: []bot.Role{bot.RoleManager}},
		team:    store.Team{ID: 1, Name: "Platform", NotifyManager: true},
		goals:   []store.Goal{{ID: 11, PersonID: 7, Title: "Ship v2"}, {ID: 12, PersonID: 7, Title: "Close deals", Target: 10}},
	}
	w.round = &store.Round{ID: 100, PersonID: 7, TeamID: 1, Period: w.period, Status: store.StatusPending, Version: 1}
	return w
}

// input is what the step for ev looks at, loaded through conversations.Load
// from the world, as the engine loads it from the store.
func (w *world) input(ev bot.Event) conversations.Input {
	w.t.Helper()
	r := mapReader{
		me: w.person, people: []bot.Person{w.person, w.manager},
		teams: map[int64]store.Team{w.team.ID: w.team}, goals: w.goals,
	}
	if w.round != nil {
		r.rounds = map[int64]store.Round{w.round.ID: *w.round}
	}
	in, err := conversations.Load(context.Background(), r, conversations.Trigger{
		Now: now, Event: ev, State: w.state, Lost: w.lost, Person: w.person, Location: time.UTC,
		Feedback: conversations.DefaultFeedbackConfig(), Texts: w.cat,
	})
	require.NoError(w.t, err)
	return in
}

// lose forgets the dialog state, as Redis restarted without persistence
// does; the records stay.
func (w *world) lose() { w.state, w.lost = conversations.State{}, true }

// apply does what the engine does with a Result.
func (w *world) apply(res conversations.Result) conversations.Result {
	w.t.Helper()
	rec := written(w.t, &res)
	if rec.Round != nil {
		require.Equal(w.t, w.round.Version, rec.Round.Version, "a step must not touch the version")
		r := *rec.Round
		r.Version++
		w.round = &r
	}
	w.audit = append(w.audit, rec.Audits...)
	w.saved = rec
	if res.State != w.state {
		w.lost = false // written: the store has a state again
	}
	w.state = res.State
	w.last = res
	return res
}

func (w *world) open() conversations.Result {
	in := w.input(bot.Event{})
	in.Open = true
	return w.apply(conversations.Step(in))
}

func (w *world) say(text string) conversations.Result {
	return w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindMessage, Text: text})))
}

func (w *world) clickValue(value string) conversations.Result {
	return w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindAction, Action: value, Ref: "card-1"})))
}

// button finds a button by label in res's messages to the sender.
func button(t *testing.T, res conversations.Result, label string) string {
	t.Helper()
	for _, o := range res.Out {
		for _, b := range o.Message.Buttons {
			if b.Label == label {
				return b.Value
			}
		}
	}
	require.FailNowf(t, "no such button", "%q in %s", label, dump(res))
	return ""
}

func (w *world) click(label string) conversations.Result {
	w.t.Helper()
	return w.clickValue(button(w.t, w.last, label))
}

// dump renders a result's messages as text for assertions and failures.
func dump(res conversations.Result) string {
	var b strings.Builder
	for _, o := range res.Out {
		m := o.Message
		b.WriteString("[")
		switch {
		case o.Channel.IsChannel():
			b.WriteString("channel " + o.Channel.Channel)
		case o.PersonID != 0:
			fmt.Fprintf(&b, "person %d", o.PersonID)
		default:
			b.WriteString("reply")
		}
		if m.Replace != "" {
			b.WriteString(" replaces " + string(m.Replace))
		}
		b.WriteString("] " + m.Title + " " + m.Text)
		for _, f := range m.Fields {
			b.WriteString(" | " + f.Label + ": " + f.Value)
		}
		for _, bt := range m.Buttons {
			b.WriteString(" (" + bt.Label + ")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// answerAll runs a whole check-in up to the review.
func (w *world) answerAll() {
	w.t.Helper()
	w.open()
	w.click("Start")
	w.say("Shipped the importer")
	w.say("Waiting on legal")
	w.say("Start the exporter")
	w.say("40%")
	w.say("7")
	w.click("4 🙂")
	require.Equal(w.t, conversations.StepReview, w.state.Checkin.Step, dump(w.last))
}
