package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
)

// buildSlack returns the Slack adapter, or nil when Slack is not configured.
func buildSlack(ctx context.Context, a *app) (bot.Adapter, error) {
	ad, err := newSlack(a)
	if ad == nil || err != nil {
		return nil, err // a nil *slack.Adapter would be a non-nil bot.Adapter
	}
	return ad, nil
}

func newSlack(a *app) (*slack.Adapter, error) {
	cfg, configured, err := slack.LoadConfig(a.env.getenv)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	if !configured {
		return nil, nil
	}
	ad, err := slack.New(slack.Options{
		Config: cfg, Logger: a.log.With("platform", bot.Slack), Clock: a.env.clock,
		Registerer: a.registry, Dialog: a.dialog,
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("slack configured", "slack", cfg.String())
	return ad, nil
}

// orgSyncSlack runs `perfbot org sync slack`: the workspace's users into
// perfbot's people.
func orgSyncSlack(ctx context.Context, env environment, args []string) error {
	if _, err := flags("org sync slack", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		ad, err := newSlack(a)
		if err != nil {
			return err
		}
		if ad == nil {
			return errors.New("slack is not configured: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)")
		}
		res, err := directory.Sync(ctx, a.store, ad, directory.Options{
			DefaultLocale: a.cfg.DefaultLocale, DefaultTimeZone: a.cfg.DefaultTimeZone.String(), Clock: a.env.clock,
			// Slack shows emails only to apps with users:read.email; without
			// one a user cannot be told apart from the person an import adds
			// later.
			RequireEmail: true,
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "synced slack: %d people created, %d updated, %d unchanged, %d bots or deactivated skipped\n",
			res.Created, res.Updated, res.Unchanged, res.Skipped)
		for _, line := range res.Problems() {
			fmt.Fprintln(env.stdout, line)
		}
		return nil
	})
}
