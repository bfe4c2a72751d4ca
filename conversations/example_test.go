package conversations_test

import (
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Anna types "checkin" with this week's round open: the check-in flow
// takes the text, moves the dialog to the first question, and asks for two
// writes, the started round and its audit entry, to be made in one
// transaction before the question is sent.
func ExampleStep() {
	cat, err := i18n.Load(bot.LocaleEN)
	if err != nil {
		panic(err)
	}
	round := store.Round{ID: 100, PersonID: 7, Period: "2026-W48", Status: store.StatusPending, Version: 1}
	res := conversations.Step(conversations.Input{
		Now: now, Event: bot.Event{Kind: bot.KindMessage, Text: "checkin"},
		Person: bot.Person{ID: 7, Name: "Anna", Locale: bot.LocaleEN},
		Round:  &round, Period: "2026-W48", Texts: cat,
	})
	fmt.Println(res.State.Flow, res.State.Checkin.Step, res.State.Checkin.Item)
	for _, e := range res.Effects {
		switch e := e.(type) {
		case conversations.SaveRound:
			fmt.Println("save round", e.Round.ID, e.Round.Status)
		case conversations.Audit:
			fmt.Println("audit", e.Entry.Action, e.Entry.Object)
		}
	}
	for _, o := range res.Out {
		fmt.Println(o.Message.Text)
	}
	// Output:
	// checkin item 0
	// save round 100 in_progress
	// audit checkin.start round:100
	// (1/4) What did you get done this week?
	// Type your answer, or skip.
}
