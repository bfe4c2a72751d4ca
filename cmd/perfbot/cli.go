package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
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

// errUsage marks a command line that is wrong: the error is printed in one
// line with a hint to the command's help.
var errUsage = errors.New("usage")

// errNoCommand is perfbot run without a command: the list of them is
// printed.
var errNoCommand = errors.New("no command")

// usageError is a wrong command line, its text what the person got wrong.
type usageError struct{ err error }

// usagef is a usage error reading like fmt.Errorf.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func (e usageError) Error() string        { return e.err.Error() }
func (e usageError) Unwrap() error        { return e.err }
func (e usageError) Is(target error) bool { return target == errUsage }

// helpError is a request for a command's help (-h, --help), carrying its
// flags so the help can list them.
type helpError struct{ fs *flag.FlagSet }

func (helpError) Error() string        { return flag.ErrHelp.Error() }
func (helpError) Is(target error) bool { return target == flag.ErrHelp }

// hintError is an error with what to do about it, printed on a line of
// its own.
type hintError struct {
	err  error
	hint string
}

func withHint(err error, hint string) error { return hintError{err, hint} }

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

// prog is how the output names the command.
func prog(name string) string { return strings.TrimSpace("perfbot " + name) }

// command is one of perfbot's commands. Adding one is one entry in
// commands.
type command struct {
	// summary is one line for the lists of commands.
	summary string
	// usage is the synopsis after the command's words, then, after a
	// blank line if need be, what the command's help explains beyond its
	// flags.
	usage string
	run   func(context.Context, environment, []string) error
}

// commands are perfbot's commands by their words: "org sync slack".
var commands = map[string]command{
	"demo": {
		summary: "run on the embedded default with the chat simulator and a demo org",
		run:     runDemo,
	},
	"serve": {
		summary: "run the HTTP server, every configured adapter and the workers",
		run:     serve,
	},
	"migrate": {
		summary: "apply database migrations (creates the database if need be)",
		run:     migrate,
	},
	"doctor": {
		summary: "check the database, Redis, the inbox, the outbox, the platforms and the working-day calendar, a line each",
		usage:   "[--max-age 5m]",
		run:     doctor,
	},
	"org import": {
		summary: "import people from a .csv or .xlsx file (all rows or none)",
		usage:   "FILE\n\nThe columns are described in the README and internal/orgfile/FORMAT.md.",
		run:     orgImport,
	},
	"org unknowns": {
		summary: "list people who wrote to the bot before they were set up",
		run:     orgUnknowns,
	},
	"org sync slack":    {summary: "bring in people from the Slack workspace's directory", run: orgSyncSlack},
	"org sync wecom":    {summary: "bring in people and managers from WeCom's directory", run: orgSyncWeCom},
	"org sync dingtalk": {summary: "bring in people and managers from DingTalk's directory", run: orgSyncDingTalk},
	"team list": {
		summary: "list teams and their settings",
		run:     teamList,
	},
	"team delete": {
		summary: "delete a team (with --force even when it has members)",
		usage:   "NAME [--force]\n\nIts members are left without a team; their check-ins are kept.",
		run:     teamDelete,
	},
	"team set": {
		summary: "change a team's settings, or create it with --create",
		usage: `NAME [--create] [--notify-manager=true|false] [--channel platform:[tenant:]id|none] [--channel-posts summary|full]
    [--deadline "FRI 18:00"|none] [--cadence CADENCE|none] [--questions FILE.yaml|default] [--praise-feed true|false]
    [--weekly-digest true|false]
    [--nudge-hours 09:00-20:00] [--nudge-after 24h] [--max-nudges 2] [--review-after 24h] [--escalate-after 48h]

Only the settings named change. The last five also take "default".
A NAME that is no team's is refused unless --create is given.
A CADENCE is a cron expression ("0 16 * * FRI"), "every 2 weeks: 0 16 * * FRI"
(optionally "every 2 weeks from 2026-11-20: ..."), or "last workday 16:00".`,
		run: teamSet,
	},
	"checkin open": {
		summary: "open a round now and send the prompts",
		usage:   "[--team T] [--period 2026-W48]",
		run:     checkinOpen,
	},
	"export checkins": {
		summary: "export check-ins (stdout unless -o)",
		usage:   "[--from 2026-11-01] [--to 2026-11-30] [--format csv|xlsx] [-o FILE]",
		run:     exportCheckins,
	},
	"export feedback": {
		summary: "export feedback numbers per person and month (stdout unless -o)",
		usage:   "[--from 2026-11] [--to 2026-12] [--format csv|xlsx] [-o FILE]",
		run:     exportFeedback,
	},
	"goal import": {
		summary: "create company, team and person goals with key results from a .csv or .xlsx file (all rows or none)",
		usage:   "FILE\n\nThe columns are described in internal/orgfile/FORMAT.md (Goals); an example is\ninternal/orgfile/testdata/goals.csv. Imported goals are agreed.",
		run:     goalImport,
	},
	"goal export": {
		summary: "export goals and key results with progress, confidence and updates (stdout unless -o)",
		usage:   "[--team T] [--format csv|xlsx] [-o FILE]\n\nThe file imports again: its goal and parent cells are goal ids, and the columns\nafter evidence are skipped by perfbot goal import.",
		run:     goalExport,
	},
	"goal tree": {
		summary: "the aligned goals from the company's down, with their rolled-up progress",
		usage:   "[--team T]\n\nTexts are in the language LC_ALL or LANG names (en or zh-CN), else the default locale.",
		run:     goalTree,
	},
	"schedule preview": {
		summary: "when each prompt, nudge, deadline and escalation would fire",
		usage:   "[--team T] [--from 2026-11-01] [--days 14] [--calendar FILE]",
		run:     schedulePreview,
	},
	"schedule log": {
		summary: "the nudges, digests, reminders and escalations sent",
		usage:   "[--person EMAIL] [--kind nudge|digest|review-reminder|escalation] [--since 2026-11-01]",
		run:     scheduleLog,
	},
	"broadcast send": {
		summary: "queue an HR announcement (perfbot serve sends it)",
		usage:   `--text "..." [--ack] [--to everyone|team:NAME|dept:NAME|role:ROLE|email:a@b.com,...] [--remind-after 48h]`,
		run:     broadcastSend,
	},
	"broadcast status": {
		summary: "how far a broadcast got, its read rate, and why it failed for whom",
		usage:   "ID [--failed]",
		run:     broadcastStatus,
	},
	"broadcast list": {
		summary: "the newest broadcasts",
		run:     broadcastList,
	},
	"hooks unmatched": {
		summary: "business events that named nobody perfbot could prompt for, and what to add",
		run:     hooksUnmatched,
	},
	"hooks test": {
		summary: "send a running perfbot a signed sample webhook of that tool",
		usage:   "github|gitlab|jira|hubspot [--url URL] [--sample NAME]",
		run:     hooksTest,
	},
}

const intro = `perfbot: weekly check-ins and feedback in WeCom, DingTalk and Slack.

Usage: perfbot COMMAND [ARGUMENTS]; perfbot COMMAND --help explains one.
`

const outro = `
Configuration comes from the environment (PERFBOT_DATABASE_URL, PERFBOT_REDIS_URL,
PERFBOT_HTTP_ADDR, ...) and optionally the YAML file named by PERFBOT_CONFIG.
See the README for the full table.
`

func run(ctx context.Context, env environment) int {
	name, err := dispatch(ctx, env)
	var help helpError
	var unknown unknownCommand
	var hinted hintError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		printHelp(env.stdout, name, help.fs)
		return 0
	case errors.Is(err, flag.ErrHelp):
		printHelp(env.stdout, name, nil)
		return 0
	case errors.Is(err, errNoCommand):
		printHelp(env.stderr, "", nil)
		return 2
	case errors.As(err, &unknown):
		fmt.Fprintf(env.stderr, "perfbot: %v\n%s\n", err, unknown.hint())
		return 2
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "perfbot %s: %v\nrun `perfbot %s --help` for its usage\n", name, err, name)
		return 2
	case errors.As(err, &hinted):
		fmt.Fprintf(env.stderr, "%s: %v\n%s\n", prog(name), err, hinted.hint)
		return 1
	default:
		fmt.Fprintf(env.stderr, "%s: %v\n", prog(name), err)
		return 1
	}
}

// dispatch runs the command the arguments name, and says which it was:
// the command's words, a group of commands ("team"), or "" for perfbot.
func dispatch(ctx context.Context, env environment) (string, error) {
	words, rest := splitCommand(env.args)
	if c, ok := commands[words]; ok {
		return words, c.run(ctx, env, rest)
	}
	if words == "" {
		switch {
		case len(rest) == 0:
			return "", errNoCommand
		case rest[0] == "help":
			// perfbot help team set: that command's help.
			words, _ = splitCommand(rest[1:])
			if _, ok := commands[words]; ok {
				return words, commands[words].run(ctx, env, []string{"--help"})
			}
			if len(rest) == 1 || isGroup(words) {
				return words, flag.ErrHelp
			}
			return "", unknownCommand{strings.Join(rest[1:], " ")}
		case rest[0] == "-h" || rest[0] == "--help":
			return "", flag.ErrHelp
		}
	}
	// A group alone, or asking for help, lists its commands.
	if words != "" && (len(rest) == 0 || rest[0] == "-h" || rest[0] == "--help") {
		return words, flag.ErrHelp
	}
	return words, unknownCommand{strings.Join(env.args, " ")}
}

// splitCommand takes the longest run of leading words that is a command or
// a group of commands.
func splitCommand(args []string) (words string, rest []string) {
	for i := range args {
		w := strings.Join(args[:i+1], " ")
		if _, ok := commands[w]; !ok && !isGroup(w) {
			break
		}
		words, rest = w, args[i+1:]
	}
	if words == "" {
		rest = args
	}
	return words, rest
}

// isGroup says whether words begin some commands without being one.
func isGroup(words string) bool {
	for name := range commands {
		if strings.HasPrefix(name, words+" ") {
			return true
		}
	}
	return false
}

// unknownCommand is a command line that names no command.
type unknownCommand struct{ line string }

func (u unknownCommand) Error() string { return fmt.Sprintf("unknown command %q", u.line) }

// hint points to the list of commands of the group the line starts with.
func (u unknownCommand) hint() string {
	if words, _ := splitCommand(strings.Fields(u.line)); words != "" {
		return fmt.Sprintf("run `perfbot %s` for its commands", words)
	}
	return "run `perfbot help` for the commands"
}

// printHelp prints a command's help with its flags, or the list of the
// commands under a group ("" for all of them).
func printHelp(w io.Writer, name string, fs *flag.FlagSet) {
	c, ok := commands[name]
	if !ok {
		if name == "" {
			fmt.Fprint(w, intro)
		} else {
			fmt.Fprintf(w, "usage: perfbot %s COMMAND\n", name)
		}
		fmt.Fprintln(w, "\nCommands:")
		listCommands(w, name)
		if name == "" {
			fmt.Fprint(w, outro)
		} else {
			fmt.Fprintf(w, "\nperfbot %s COMMAND --help explains one.\n", name)
		}
		return
	}
	synopsis, more, _ := strings.Cut(c.usage, "\n\n")
	fmt.Fprintf(w, "usage: %s\n\n%s.\n", strings.TrimSpace("perfbot "+name+" "+synopsis), c.summary)
	if more != "" {
		fmt.Fprintf(w, "\n%s\n", more)
	}
	if fs == nil {
		return
	}
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		line := fmt.Sprintf("  --%s\n      %s", f.Name, f.Usage)
		if f.DefValue != "" && f.DefValue != "false" {
			line += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		lines = append(lines, line)
	})
	if len(lines) > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s\n", strings.Join(lines, "\n"))
	}
}

// listCommands prints every command under the group, a line each.
func listCommands(w io.Writer, group string) {
	var names []string
	width := 0
	for name := range commands {
		if group == "" || strings.HasPrefix(name, group+" ") {
			names = append(names, name)
			width = max(width, len(name))
		}
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(w, "  perfbot %-*s  %s\n", width, name, commands[name].summary)
	}
}

// flags parses a command's flags, turning mistakes into usage errors and
// -h or --help into a request for the command's help.
func flags(name string, args []string, define func(*flag.FlagSet)) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, helpError{fs}
		}
		return nil, usagef("%v", err)
	}
	return fs, nil
}
