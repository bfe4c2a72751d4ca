package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
)

// buildDingTalk builds the DingTalk adapter, or nil when DINGTALK_CLIENT_ID
// and DINGTALK_CLIENT_SECRET are unset.
func buildDingTalk(ctx context.Context, a *app) (bot.Adapter, error) {
	ad, ok, err := newDingTalk(a)
	if !ok || err != nil {
		return nil, err
	}
	return ad, nil
}

func newDingTalk(a *app) (*dingtalk.Adapter, bool, error) {
	cfg, ok, err := dingtalk.LoadConfig(a.env.getenv)
	if err != nil {
		return nil, ok, fmt.Errorf("configuration: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	ad, err := dingtalk.New(cfg, dingtalk.Options{Dialog: a.dialog, Clock: a.env.clock, Logger: a.log, Registerer: a.registry})
	if err != nil {
		return nil, true, fmt.Errorf("dingtalk: %w", err)
	}
	a.log.Info("dingtalk configured", "dingtalk", cfg.String())
	return ad, true, nil
}

// orgSyncDingTalk is `perfbot org sync dingtalk`: DingTalk's departments and
// users, with their managers, into perfbot's people.
func orgSyncDingTalk(ctx context.Context, env environment, args []string) error {
	if _, err := flags("org sync dingtalk", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		ad, ok, err := newDingTalk(a)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("dingtalk is not configured: set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_CORP_ID")
		}
		res, err := directory.Sync(ctx, a.store, ad, directory.Options{
			DefaultLocale: a.cfg.DefaultLocale, DefaultTimeZone: a.cfg.DefaultTimeZone.String(), Clock: a.env.clock,
		})
		if err != nil {
			return fmt.Errorf("nothing was synced: %w", err)
		}
		fmt.Fprintf(env.stdout, "synced DingTalk: %d people created, %d updated, %d unchanged\n",
			res.Created, res.Updated, res.Unchanged)
		for _, line := range res.Problems() {
			fmt.Fprintln(env.stdout, line)
		}
		return nil
	})
}
