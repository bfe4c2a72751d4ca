package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// hooksUnmatched lists the business events from the tools' webhooks and
// the platforms' approvals that named nobody perfbot could prompt for, with
// what to add so the next one reaches a manager.
func hooksUnmatched(ctx context.Context, env environment, args []string) error {
	if _, err := flags("hooks unmatched", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		events, err := a.store.UnmatchedEvents(ctx)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			fmt.Fprintln(env.stdout, "every business event reached a manager")
			return nil
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RECEIVED\tSOURCE\tKIND\tADD\tTITLE")
		for _, e := range events {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ReceivedAt.UTC().Format("2006-01-02 15:04"), e.Source, e.Kind, toAdd(e), e.Title)
		}
		return tw.Flush()
	})
}

// toAdd says what would have matched e: the org file column and value of
// the identity it named, or the manager its person lacks.
func toAdd(e store.UnmatchedEvent) string {
	id := e.Account
	who := ""
	switch {
	case id.UserID == "" && e.Email == "":
		return "nothing: the tool named nobody"
	case id.UserID == "":
		who = "email " + e.Email
	case slices.Contains(bot.Tools(), id.Platform):
		who = string(id.Platform) + " column: " + id.UserID
	default:
		who = string(id.Platform) + " column: " + id.Tenant + ":" + id.UserID
	}
	if e.Reason == store.UnmatchedNoKeyResult {
		return "an agreed goal with key result " + e.KeyResult + " for the person with " + who
	}
	if e.Reason == store.UnmatchedNoManager {
		return "a manager for the person with " + who
	}
	return who
}
