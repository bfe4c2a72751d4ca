package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// teamList prints every team and its settings.
func teamList(ctx context.Context, env environment, args []string) error {
	if _, err := flags("team list", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		teams, err := a.store.Teams(ctx)
		if err != nil {
			return err
		}
		tw := newTable(env.stdout)
		fmt.Fprintln(tw, "TEAM\tMEMBERS\tTO MANAGER\tCHANNEL\tCHANNEL GETS\tPRAISE FEED\tDEADLINE\tCADENCE\tQUESTIONS\tFOLLOW-UP")
		for _, t := range teams {
			members, err := a.store.People(ctx, store.PeopleFilter{TeamID: t.ID})
			if err != nil {
				return err
			}
			channel, gets := "-", "-"
			if t.Channel.IsChannel() {
				channel = strings.Join([]string{string(t.Channel.Platform), t.Channel.Tenant, t.Channel.Channel}, ":")
				gets = channelGets(t.ChannelPosts)
			}
			keys := []string{"(default)"}
			if len(t.Questions) > 0 {
				keys = keys[:0]
				for _, q := range t.Questions {
					keys = append(keys, q.Key)
				}
			}
			rules, err := scheduler.RulesFor(t.Rules, scheduler.DefaultRules())
			if err != nil {
				return fmt.Errorf("team %s: %w", t.Name, err)
			}
			fmt.Fprintf(tw, "%s\t%d\t%t\t%s\t%s\t%t\t%s\t%s\t%s\t%s\n", t.Name, len(members), t.NotifyManager, channel, gets, t.PraiseFeed,
				orDash(t.Deadline), orDash(t.Cadence), strings.Join(keys, ","), rules)
		}
		return tw.Flush()
	})
}

// channelGets says what a team's channel receives of each check-in.
func channelGets(p store.ChannelPosts) string {
	if p == store.ChannelFull {
		return "whole check-ins"
	}
	return "summaries (no mood)"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// nameFirst takes the NAME a command starts with (team set Core
// --deadline ...), since flag parsing would stop at it.
func nameFirst(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return strings.TrimSpace(args[0]), args[1:]
	}
	return "", args
}

// teamSet changes the settings named on the command line, the others
// staying as they are, or with --create creates the team. A name that is
// no team's is refused without --create: it is more often a typo.
func teamSet(ctx context.Context, env environment, args []string) error {
	name, args := nameFirst(args)
	var create bool
	set := map[string]string{}
	record := func(name string) func(string) error {
		return func(v string) error { set[name] = v; return nil }
	}
	fs, err := flags("team set", args, func(fs *flag.FlagSet) {
		fs.Func("notify-manager", "true or false: send each check-in to the person's manager", record("notify-manager"))
		fs.Func("channel", "platform:[tenant:]channel to post check-ins to, or none", record("channel"))
		fs.Func("channel-posts", "what the channel gets of each check-in: summary (without the mood; the default) or full", record("channel-posts"))
		fs.Func("deadline", `when a round is due, like "FRI 18:00", or none`, record("deadline"))
		fs.Func("cadence", `when prompts go out: a cron expression like "0 16 * * FRI", "every 2 weeks: 0 16 * * FRI", "last workday 16:00", or none`, record("cadence"))
		fs.Func("nudge-hours", `when nudges may reach people, their local time, like "09:00-20:00", or default`, record("nudge-hours"))
		fs.Func("nudge-after", `time from the prompt to the first nudge and between nudges, like 24h, or default`, record("nudge-after"))
		fs.Func("max-nudges", `how many nudges a round gets (0: none), or default`, record("max-nudges"))
		fs.Func("review-after", `how long a check-in waits for review before the manager is reminded, like 24h, or default`, record("review-after"))
		fs.Func("escalate-after", `how long before the manager's manager is told, like 48h, or default`, record("escalate-after"))
		fs.Func("questions", "a YAML file with the check-in questions, or default", record("questions"))
		fs.Func("praise-feed", "true or false: post public praise for the team's members to its channel", record("praise-feed"))
		fs.BoolVar(&create, "create", false, "create the team if there is none of that name")
		fs.Func("weekly-digest", "true or false: send the team's managers and HR people the Monday digest", record("weekly-digest"))
	})
	if err != nil {
		return err
	}
	if name == "" || fs.NArg() != 0 {
		return usagef("takes one team NAME, then its settings")
	}
	return withApp(ctx, env, func(a *app) error {
		return a.store.InTx(ctx, func(tx store.Store) error {
			t, err := findTeam(ctx, tx, name)
			created := errors.Is(err, store.ErrNotFound) && create
			switch {
			case created:
				t = store.Team{Name: name, NotifyManager: true}
			case errors.Is(err, store.ErrNotFound):
				return withHint(err, fmt.Sprintf("to create a team of that name: perfbot team set %q --create ...", name))
			case err != nil:
				return err
			}
			if err := applyTeamSettings(&t, set, env.getenv); err != nil {
				return usagef("%v", err)
			}
			if err := tx.SaveTeam(ctx, &t); err != nil {
				return err
			}
			changed := slices.Sorted(maps.Keys(set))
			detail := make([]string, len(changed))
			for i, k := range changed {
				detail[i] = k + "=" + set[k]
			}
			action, said := "team.set", "updated"
			if created {
				action, said = "team.create", "created"
			}
			err = tx.Audit(ctx, store.AuditEntry{Actor: "cli", Action: action, Object: fmt.Sprintf("team:%d", t.ID), Detail: strings.Join(detail, " ")})
			if err != nil {
				return err
			}
			switch {
			case created:
				fmt.Fprintf(env.stdout, "team %s %s\n", t.Name, said)
			case len(changed) == 0:
				fmt.Fprintf(env.stdout, "team %s unchanged: no setting was named (perfbot team set --help lists them)\n", t.Name)
			default:
				fmt.Fprintf(env.stdout, "team %s updated: %s\n", t.Name, strings.Join(changed, ", "))
			}
			return nil
		})
	})
}

// teamDelete deletes a team. One with members needs --force, which leaves
// them without a team; their check-ins are kept.
func teamDelete(ctx context.Context, env environment, args []string) error {
	name, args := nameFirst(args)
	var force bool
	fs, err := flags("team delete", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "delete it even though it has members, leaving them without a team")
	})
	if err != nil {
		return err
	}
	if name == "" || fs.NArg() != 0 {
		return usagef("takes one team NAME")
	}
	return withApp(ctx, env, func(a *app) error {
		return a.store.InTx(ctx, func(tx store.Store) error {
			t, err := findTeam(ctx, tx, name)
			if err != nil {
				return err
			}
			members, err := tx.People(ctx, store.PeopleFilter{TeamID: t.ID})
			if err != nil {
				return err
			}
			if len(members) > 0 && !force {
				return withHint(fmt.Errorf("team %s has %s", t.Name, plural(len(members), "member")),
					"move them to another team first (perfbot org import), or add --force to leave them without a team")
			}
			if err := tx.DeleteTeam(ctx, t.ID); err != nil {
				return err
			}
			err = tx.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "team.delete", Object: fmt.Sprintf("team:%d", t.ID),
				Detail: fmt.Sprintf("%s, %s", t.Name, plural(len(members), "member"))})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "team %s deleted", t.Name)
			if len(members) > 0 {
				fmt.Fprintf(env.stdout, "; %s now without a team", plural(len(members), "member"))
			}
			fmt.Fprintln(env.stdout)
			return nil
		})
	})
}

// applyTeamSettings sets what the command line named on t.
func applyTeamSettings(t *store.Team, set map[string]string, getenv func(string) string) error {
	for name, v := range set {
		none := v == "none" || v == ""
		var err error
		switch name {
		case "notify-manager":
			t.NotifyManager, err = strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("--notify-manager %q: want true or false", v)
			}
		case "praise-feed":
			t.PraiseFeed, err = strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("--praise-feed %q: want true or false", v)
			}
		case "channel-posts":
			switch v {
			case "summary", "default":
				t.ChannelPosts = store.ChannelSummary
			case "full":
				t.ChannelPosts = store.ChannelFull
			default:
				return fmt.Errorf("--channel-posts %q: want summary or full", v)
			}
		case "weekly-digest":
			var on bool
			if on, err = strconv.ParseBool(v); err != nil {
				return fmt.Errorf("--weekly-digest %q: want true or false", v)
			}
			t.Rules.NoWeeklyDigest = !on
		case "channel":
			t.Channel = bot.Address{}
			if !none {
				t.Channel, err = orgfile.ParseChannel(v, tenants(getenv))
			}
		case "deadline":
			t.Deadline = ""
			if !none {
				t.Deadline, err = orgfile.ParseDeadline(v)
			}
		case "cadence":
			t.Cadence = ""
			if !none {
				t.Cadence, err = orgfile.ParseCadence(v)
			}
		case "questions":
			t.Questions = nil
			if v != "default" {
				t.Questions, err = readQuestions(v)
			}
		default:
			err = applyTeamRule(&t.Rules, name, v)
		}
		if err != nil {
			return err
		}
	}
	// The scheduler's own check, so a team never holds rules it would refuse.
	if _, err := scheduler.RulesFor(t.Rules, scheduler.DefaultRules()); err != nil {
		return err
	}
	return nil
}

// applyTeamRule sets one of the team's nudge and escalation thresholds;
// "default" goes back to perfbot's.
func applyTeamRule(r *store.TeamRules, name, v string) error {
	reset := v == "default"
	duration := func(d *time.Duration) error {
		if reset {
			*d = 0
			return nil
		}
		parsed, err := time.ParseDuration(v)
		if err != nil || parsed <= 0 {
			return fmt.Errorf("--%s %q: want a duration like 24h, or default", name, v)
		}
		*d = parsed
		return nil
	}
	switch name {
	case "nudge-hours":
		r.NudgeHours = ""
		if !reset {
			if _, err := scheduler.ParseHours(v); err != nil {
				return fmt.Errorf("--nudge-hours: %w", err)
			}
			r.NudgeHours = v
		}
	case "nudge-after":
		return duration(&r.NudgeAfter)
	case "max-nudges":
		r.MaxNudges = nil
		if !reset {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 10 {
				return fmt.Errorf("--max-nudges %q: want 0 to 10, or default", v)
			}
			r.MaxNudges = &n
		}
	case "review-after":
		return duration(&r.ReviewAfter)
	case "escalate-after":
		return duration(&r.EscalateAfter)
	}
	return nil
}

func readQuestions(path string) ([]store.Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return orgfile.ReadQuestions(f)
}
