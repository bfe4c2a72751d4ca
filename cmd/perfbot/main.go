// Command perfbot runs weekly check-ins and feedback in the chat tools people
// already use. `perfbot demo` runs it on the embedded default with a local
// chat simulator; `perfbot serve` runs it for real; the other commands
// administer it. `perfbot help` lists them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// go-redis prints to stderr on its own, in plain text beside perfbot's
	// JSON log, what it also returns as errors (failed dials): perfbot
	// reports those itself.
	logging.Disable()
	env := environment{args: os.Args[1:], stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, clock: time.Now}
	os.Exit(run(ctx, env))
}
