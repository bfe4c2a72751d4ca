package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// environment is everything the process takes from the outside, so tests
// can run commands in-process.
type environment struct {
	args   []string
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	clock  func() time.Time
	// ready, when set, is called with the HTTP address once serving.
	ready func(addr string)
}

// errUsage marks a command line that is wrong; the usage is printed.
var errUsage = errors.New("usage")

const usage = `perfbot: weekly check-ins and feedback in WeCom, DingTalk and Slack.

Usage:
  perfbot demo                          run on the embedded default with the chat simulator and a demo org
  perfbot serve                         run the HTTP server, every configured adapter and the workers
  perfbot migrate                       apply database migrations
  perfbot doctor [--max-age 5m]         check the database, Redis, the inbox and the platforms, a line each
  perfbot org import FILE               import people from a .csv or .xlsx file (all rows or none)
  perfbot org unknowns                  list people who wrote to the bot before they were set up
  perfbot org sync slack|wecom|dingtalk bring in people (and managers) from a platform's directory
  perfbot team list                     list teams and their settings
  perfbot team set NAME [--notify-manager=true|false] [--channel platform:[tenant:]id|none]
                   [--deadline "FRI 18:00"|none] [--cadence "0 16 * * FRI"|"every 2 weeks: CRON"|"last workday 16:00"|none]
                   [--questions FILE.yaml|default] [--praise-feed true|false] [--nudge-hours 09:00-20:00] [--nudge-after 24h] [--max-nudges 2]
                   [--review-after 24h] [--escalate-after 48h]     (each of the last five also takes "default")
                                        create a team or change its settings
  perfbot checkin open [--team T] [--period 2026-W48]
                                        open a round now and send the prompts
  perfbot export checkins [--from 2026-11-01] [--to 2026-11-30] [--format csv|xlsx] [-o FILE]
                                        export check-ins (stdout unless -o)
  perfbot export feedback [--from 2026-11] [--to 2026-12] [--format csv|xlsx] [-o FILE]
                                        export feedback numbers per person and month (stdout unless -o)
  perfbot schedule preview [--team T] [--from 2026-11-01] [--days 14] [--calendar FILE]
                                        when each prompt, nudge, deadline and escalation would fire
  perfbot schedule log [--person EMAIL] [--kind nudge|digest|review-reminder|escalation] [--since 2026-11-01]
                                        the nudges, digests, reminders and escalations sent
  perfbot broadcast send --text "..." [--ack] [--to everyone|team:NAME|dept:NAME|role:ROLE|email:a@b.com,...]
                         [--remind-after 48h]
                                        queue an HR announcement (perfbot serve sends it)
  perfbot broadcast status ID [--failed] how far a broadcast got, its read rate, and why it failed for whom
  perfbot broadcast list                the newest broadcasts
  perfbot hooks unmatched               business events that named nobody perfbot could prompt for, and what to add
  perfbot hooks test github|gitlab|jira|hubspot [--url URL] [--sample NAME]
                                        send a running perfbot a signed sample webhook of that tool

Configuration comes from the environment (PERFBOT_DATABASE_URL, PERFBOT_REDIS_URL,
PERFBOT_HTTP_ADDR, ...) and optionally the YAML file named by PERFBOT_CONFIG.
See the README for the full table.
`

func run(ctx context.Context, env environment) int {
	err := dispatch(ctx, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(env.stdout, usage)
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "perfbot: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(env.stderr, "perfbot: %v\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, env environment) error {
	args := env.args
	if len(args) == 0 {
		return fmt.Errorf("%w: no command", errUsage)
	}
	cmd, rest := args[0], args[1:]
	// Commands are up to three words: "org sync slack".
	for _, n := range []int{2, 1} {
		if len(rest) < n {
			continue
		}
		words := strings.Join(append([]string{cmd}, rest[:n]...), " ")
		if _, ok := commands[words]; ok {
			cmd, rest = words, rest[n:]
			break
		}
	}
	switch cmd {
	case "help", "-h", "--help":
		return flag.ErrHelp
	}
	if run, ok := commands[cmd]; ok {
		return run(ctx, env, rest)
	}
	return fmt.Errorf("%w: unknown command %q", errUsage, strings.Join(args, " "))
}

// commands are perfbot's commands by their words.
var commands = map[string]func(context.Context, environment, []string) error{
	"demo":              runDemo,
	"serve":             serve,
	"migrate":           migrate,
	"doctor":            doctor,
	"org import":        orgImport,
	"org unknowns":      orgUnknowns,
	"org sync slack":    orgSyncSlack,
	"org sync wecom":    orgSyncWeCom,
	"org sync dingtalk": orgSyncDingTalk,
	"team list":         teamList,
	"team set":          teamSet,
	"checkin open":      checkinOpen,
	"export checkins":   exportCheckins,
	"export feedback":   exportFeedback,
	"schedule preview":  schedulePreview,
	"schedule log":      scheduleLog,
	"broadcast send":    broadcastSend,
	"broadcast status":  broadcastStatus,
	"broadcast list":    broadcastList,
	"hooks unmatched":   hooksUnmatched,
	"hooks test":        hooksTest,
}

// flags parses a command's flags, turning mistakes into usage errors.
func flags(name string, args []string, define func(*flag.FlagSet)) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %v", errUsage, name, err)
	}
	return fs, nil
}
