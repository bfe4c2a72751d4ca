package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// An adapter hands an event to the runtime, which keeps it in the inbox
// before the platform is acknowledged; a redelivery of it is dropped.
func ExampleRuntime() {
	dir, _ := os.MkdirTemp("", "perfbot-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	inbox, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "perfbot.db"), time.Now)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer inbox.Close()
	if err := inbox.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}

	handled := make(chan bot.Event, 1)
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: inbox, Handler: bot.HandlerFunc(func(_ context.Context, ev bot.Event) error {
		handled <- ev
		return nil
	})})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- rt.Run(run) }()

	ev := bot.Event{ID: "Ev1", Kind: bot.KindMessage, Text: "checkin",
		From: bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}}
	_ = rt.Handle(ctx, ev) // kept: the adapter may acknowledge now
	fmt.Println("handled:", (<-handled).Text)
	_ = rt.Handle(ctx, ev) // Slack retried: acknowledged, not handled again

	stop()
	<-done
	n, _, _ := inbox.InboxStats(ctx)
	fmt.Println("waiting:", n, "handled again:", len(handled))
	// Output:
	// handled: checkin
	// waiting: 0 handled again: 0
}
