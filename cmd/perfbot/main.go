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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{args: os.Args[1:], stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, clock: time.Now}
	os.Exit(run(ctx, env))
}
