package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
)

// buildWeCom returns the WeCom adapter, or nil when WECOM_* is not set.
func buildWeCom(ctx context.Context, a *app) (bot.Adapter, error) {
	ad, err := newWeCom(a)
	if ad == nil || err != nil {
		return nil, err
	}
	a.log.Info("wecom: taking callbacks", "path", wecom.CallbackPath, "config", ad.Config())
	return ad, nil
}

// newWeCom builds the adapter from the environment; nil, nil when WeCom is
// not configured.
func newWeCom(a *app) (*wecom.Adapter, error) {
	cfg, configured, err := wecom.LoadConfig(a.env.getenv)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	if !configured {
		return nil, nil
	}
	return wecom.New(cfg, wecom.Options{Dialog: a.dialog, Logger: a.log, Registerer: a.registry, Clock: a.env.clock})
}

// orgSyncWeCom is `perfbot org sync wecom`: the members visible to the app
// become people, with their direct leaders as managers.
func orgSyncWeCom(ctx context.Context, env environment, args []string) error {
	if _, err := flags("org sync wecom", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		ad, err := newWeCom(a)
		if err != nil {
			return err
		}
		if ad == nil {
			return errors.New("WeCom is not configured: set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_ENCODING_AES_KEY")
		}
		res, err := directory.Sync(ctx, a.store, ad, directory.Options{
			DefaultLocale: a.cfg.DefaultLocale, DefaultTimeZone: a.cfg.DefaultTimeZone.String(), Clock: a.env.clock,
		})
		if err != nil {
			return fmt.Errorf("org sync wecom: nothing was changed: %w", err)
		}
		fmt.Fprintf(env.stdout, "synced WeCom: %d people created, %d updated, %d unchanged, %d skipped (disabled or left)\n",
			res.Created, res.Updated, res.Unchanged, res.Skipped)
		for _, line := range res.Problems() {
			fmt.Fprintln(env.stdout, line)
		}
		return nil
	})
}
