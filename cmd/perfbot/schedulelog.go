package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/store"
)

// scheduleLog prints the nudges, digests, review reminders and escalations
// perfbot sent, newest first, so HR can see who was chased and when.
func scheduleLog(ctx context.Context, env environment, args []string) error {
	var email, kind, since string
	var limit int
	if _, err := flags("schedule log", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "person", "", "only what went to this person (email)")
		fs.StringVar(&kind, "kind", "", "only this kind: nudge, digest, review-reminder, escalation, remind-team, goal-warnings, goal-warning, goal-plan, my-week")
		fs.StringVar(&since, "since", "", "only since this day, 2026-11-01")
		fs.IntVar(&limit, "limit", 200, "at most this many lines")
	}); err != nil {
		return err
	}
	f := store.DeliveryFilter{Kind: kind, Limit: limit}
	if since != "" {
		d, err := calendar.ParseDate(since)
		if err != nil {
			return usagef("--since: %v", err)
		}
		f.Since = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	}
	return withApp(ctx, env, func(a *app) error {
		if email != "" {
			p, err := a.store.PersonByEmail(ctx, email)
			if err != nil {
				return noPerson(email, err)
			}
			f.PersonID = p.ID
		}
		ds, err := a.store.Deliveries(ctx, f)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		tw := newTable(env.stdout)
		fmt.Fprintln(tw, "WHEN (UTC)\tKIND\tTO\tABOUT\tSTATUS\tATTEMPTS\tREASON")
		for _, d := range ds {
			name, ok := names[d.PersonID]
			if !ok {
				p, err := a.store.Person(ctx, d.PersonID)
				if err != nil {
					return err
				}
				name = p.Email
				names[d.PersonID] = name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", d.ClaimedAt.Format("2006-01-02 15:04"), d.Kind, name,
				orDash(d.Subject), d.Status, d.Attempts, orDash(d.Reason))
		}
		if len(ds) == 0 {
			fmt.Fprintln(tw, "nothing sent yet\t\t\t\t\t\t")
		}
		return tw.Flush()
	})
}
