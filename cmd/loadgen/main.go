// Command loadgen drives a perfbot it starts (PostgreSQL + Redis, one
// replica or several) with signed Slack events, WeCom encrypted callbacks
// and DingTalk robot messages from simulated people doing whole check-ins,
// against fake platform APIs that enforce the published limits, all on
// loopback; then it verifies in the database and at the fakes that nothing
// was lost or sent twice, and measures the storage bound beside it.
//
//	go build -o bin/perfbot ./cmd/perfbot
//	scripts/with-services.sh sh -c 'go run ./cmd/loadgen -perfbot bin/perfbot -database "$PERFBOT_TEST_POSTGRES"'
//
// It exits 1 when anything was lost or duplicated. See internal/loadgen.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/perfbot/perfbot/internal/loadgen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		cfg  loadgen.Config
		mix  string
		logf string
	)
	flag.StringVar(&cfg.Perfbot, "perfbot", "bin/perfbot", "the perfbot binary")
	flag.StringVar(&cfg.Database, "database", os.Getenv("PERFBOT_TEST_POSTGRES"), "an empty PostgreSQL database on loopback (postgres://...)")
	flag.StringVar(&cfg.RedisServer, "redis-server", "redis-server", "the redis-server binary; the run starts its own")
	flag.StringVar(&mix, "mix", "slack=40,wecom=2400,dingtalk=120", "people on each platform; each does one whole check-in (6 events)")
	flag.Float64Var(&cfg.Rate, "rate", 2000, "target events a second")
	flag.IntVar(&cfg.Replicas, "replicas", 1, "perfbot serve processes")
	flag.DurationVar(&cfg.Timeout, "timeout", 2*time.Minute, "at most this long sending")
	flag.DurationVar(&cfg.Drain, "drain", 5*time.Minute, "at most this long waiting for every event and reply after the sending")
	flag.DurationVar(&cfg.Bound, "bound", 20*time.Second, "how long to replay the storage bound (0 skips it)")
	flag.StringVar(&logf, "log", "loadgen-perfbot.log", "file for the replicas' logs")
	flag.Func("env", "NAME=VALUE added to every replica's environment (repeatable), e.g. PERFBOT_DEBUG_ADDR=127.0.0.1:6060 to profile one replica", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("%q is not NAME=VALUE", v)
		}
		cfg.Env = append(cfg.Env, v)
		return nil
	})
	flag.Parse()
	m, err := loadgen.ParseMix(mix)
	if err != nil {
		return err
	}
	cfg.Mix = m
	f, err := os.Create(logf)
	if err != nil {
		return err
	}
	defer f.Close()
	cfg.Log = f
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return err
	}
	res.Print(os.Stdout)
	if !res.OK() {
		return fmt.Errorf("something was lost or duplicated (above)")
	}
	return nil
}
