package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// Anna types "checkin", then her first answer. Each event is one step:
// its store effects (the round, its audit entry) are made in one
// transaction, then the dialog state, then the reply is sent. The same
// event delivered again is handled once.
func ExampleEngine_Handle() {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC) }
	dir, err := os.MkdirTemp("", "perfbot-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "perfbot.db"), clock)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	cat, err := i18n.Load(bot.LocaleEN)
	if err != nil {
		panic(err)
	}
	sim := simulator.New(simulator.Options{})
	e := engine.New(engine.Options{Store: st, Dialog: memory.New(clock), Texts: cat, Clock: clock})
	e.Register(sim)
	me := bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: "anna"}
	anna := bot.Person{Name: "Anna", Email: "anna@example.com", Locale: bot.LocaleEN, Identities: []bot.Identity{me}}
	if err := st.SavePerson(ctx, &anna); err != nil {
		panic(err)
	}

	for _, ev := range []bot.Event{
		{ID: "1", Kind: bot.KindMessage, Text: "checkin", From: me},
		{ID: "2", Kind: bot.KindMessage, Text: "Shipped the importer", From: me},
		{ID: "2", Kind: bot.KindMessage, Text: "Shipped the importer", From: me}, // redelivered
	} {
		if err := e.Handle(ctx, ev); err != nil {
			panic(err)
		}
	}
	r, err := st.RoundByPeriod(ctx, store.System, anna.ID, "2026-W48")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status, r.Version, r.Answer(store.QuestionDone))
	log, err := st.AuditLog(ctx, fmt.Sprintf("round:%d", r.ID), 10)
	if err != nil {
		panic(err)
	}
	for i := len(log) - 1; i >= 0; i-- {
		fmt.Println(log[i].Action)
	}
	for _, m := range sim.DM("anna") {
		fmt.Println(m.Text)
	}
	// Output:
	// in_progress 3 Shipped the importer
	// checkin.open
	// checkin.start
	// checkin.answer
	// (1/4) What did you get done this week?
	// Type your answer, or skip.
	// (2/4) Any blockers?
	// Type your answer, or skip.
}
