package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/period"
)

func migrate(ctx context.Context, env environment, args []string) error {
	if _, err := flags("migrate", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	// Opening the app migrates; there is nothing more to do.
	return withAppFor(ctx, env, migrateUse, func(a *app) error {
		fmt.Fprintln(env.stdout, "database is up to date")
		return nil
	})
}

// importFile parses the arguments of an import command, which take one
// FILE (.csv or .xlsx), and opens it.
func importFile(command string, args []string) (*os.File, string, error) {
	fs, err := flags(command, args, func(*flag.FlagSet) {})
	if err != nil {
		return nil, "", err
	}
	if fs.NArg() != 1 {
		return nil, "", usagef("takes one FILE (.csv or .xlsx)")
	}
	path := fs.Arg(0)
	format, err := orgfile.FormatOf(path)
	if err != nil {
		return nil, "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	return f, format, nil
}

func orgImport(ctx context.Context, env environment, args []string) error {
	f, format, err := importFile("org import", args)
	if err != nil {
		return err
	}
	defer f.Close()
	path := f.Name()
	return withApp(ctx, env, func(a *app) error {
		res, err := orgfile.Import(ctx, a.store, f, orgfile.ImportOptions{
			Format: format, Actor: "cli", DefaultLocale: a.cfg.DefaultLocale,
			DefaultTimeZone: a.cfg.DefaultTimeZone.String(), Tenants: tenants(env.getenv),
		})
		if err != nil {
			return fmt.Errorf("%s: nothing was imported: %w", path, err)
		}
		fmt.Fprintf(env.stdout, "imported %s: %s created, %d updated, %d unchanged, %s created\n",
			path, plural(res.Created, "person"), res.Updated, res.Unchanged, plural(res.Teams, "team"))
		return nil
	})
}

func orgUnknowns(ctx context.Context, env environment, args []string) error {
	if _, err := flags("org unknowns", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		us, err := a.store.Unknowns(ctx)
		if err != nil {
			return err
		}
		if len(us) == 0 {
			fmt.Fprintln(env.stdout, "nobody unknown has written to perfbot")
			return nil
		}
		tw := newTable(env.stdout)
		fmt.Fprintln(tw, "PLATFORM\tTENANT\tUSER\tNAME\tFIRST\tLAST\tMESSAGES")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", u.Identity.Platform, u.Identity.Tenant, u.Identity.UserID,
				u.Name, u.FirstAt.UTC().Format("2006-01-02 15:04"), u.LastAt.UTC().Format("2006-01-02 15:04"), u.Count)
		}
		return tw.Flush()
	})
}

func checkinOpen(ctx context.Context, env environment, args []string) error {
	var team, p string
	if _, err := flags("checkin open", args, func(fs *flag.FlagSet) {
		fs.StringVar(&team, "team", "", "team name (default: everyone)")
		fs.StringVar(&p, "period", "", "ISO week, e.g. 2026-W48 (default: this week in each person's time zone)")
	}); err != nil {
		return err
	}
	if p != "" && !period.Valid(p) {
		return usagef("--period %q is not an ISO week like 2026-W48", p)
	}
	return withApp(ctx, env, func(a *app) error {
		var teamID int64
		if team != "" {
			t, err := findTeam(ctx, a.store, team)
			if err != nil {
				return err
			}
			teamID = t.ID
		}
		opened, err := a.engine.OpenTeam(ctx, teamID, p)
		fmt.Fprintf(env.stdout, "opened %d new rounds\n", opened)
		return err
	})
}

// tenants is the tenant id per platform for imported identity cells that
// give only a user id: the simulator's fixed one, WeCom's and DingTalk's
// corp ids, and the Slack workspace (team) id.
func tenants(getenv func(string) string) map[bot.Platform]string {
	return map[bot.Platform]string{
		bot.Simulator: simulator.Tenant,
		bot.WeCom:     getenv("WECOM_CORP_ID"),
		bot.DingTalk:  getenv("DINGTALK_CORP_ID"),
		bot.Slack:     getenv("SLACK_TEAM_ID"),
	}
}
