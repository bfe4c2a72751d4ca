package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
  perfbot org import FILE               import people from a .csv or .xlsx file (all rows or none)
  perfbot org unknowns                  list people who wrote to the bot before they were set up
  perfbot checkin open [--team T] [--period 2026-W48]
                                        open a round now and send the prompts
  perfbot export checkins [--from 2026-11-01] [--to 2026-11-30] [--format csv|xlsx] [-o FILE]
                                        export check-ins (stdout unless -o)

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
	if len(rest) > 0 {
		switch cmd + " " + rest[0] {
		case "org import", "org unknowns", "checkin open", "export checkins":
			cmd, rest = cmd+" "+rest[0], rest[1:]
		}
	}
	switch cmd {
	case "help", "-h", "--help":
		return flag.ErrHelp
	case "demo":
		return runDemo(ctx, env, rest)
	case "serve":
		return serve(ctx, env, rest)
	case "migrate":
		return migrate(ctx, env, rest)
	case "org import":
		return orgImport(ctx, env, rest)
	case "org unknowns":
		return orgUnknowns(ctx, env, rest)
	case "checkin open":
		return checkinOpen(ctx, env, rest)
	case "export checkins":
		return exportCheckins(ctx, env, rest)
	}
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
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
