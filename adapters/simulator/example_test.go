package simulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

// Mount the simulator with an echo bot, then be Alice and say hello.
func Example() {
	sim := simulator.New(simulator.Options{
		Personas: func(context.Context) ([]simulator.Persona, error) {
			return []simulator.Persona{
				{ID: "alice", Name: "Alice Chen", Title: "Manager · Platform team", Locale: bot.LocaleEN, TimeZone: "Europe/London"},
			}, nil
		},
		Clock: func() time.Time { return time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC) },
	})

	echo := bot.HandlerFunc(func(ctx context.Context, ev bot.Event) error {
		_, err := sim.Send(ctx, bot.Message{
			To:      bot.Address{Identity: ev.From},
			Text:    "You said: " + ev.Text,
			Buttons: []bot.Button{{Label: "Again", Value: "again", Style: bot.StylePrimary}},
		})
		return err
	})

	mux := http.NewServeMux()
	sim.Mount(mux, echo)
	srv := httptest.NewServer(mux) // perfbot's own server in real life: http://127.0.0.1:8080/
	defer srv.Close()

	res, err := http.Post(srv.URL+"/api/conversations/alice/messages", "application/json",
		strings.NewReader(`{"text": "hello"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.Status)

	for _, e := range sim.DM("alice") {
		who := "perfbot"
		if e.From != "" {
			who = e.From
		}
		fmt.Printf("%s: %s %v\n", who, e.Text, e.Buttons)
	}
	// Output:
	// 200 OK
	// alice: hello []
	// perfbot: You said: hello [{Again again primary}]
}
