package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/scheduler"
)

func serve(ctx context.Context, env environment, args []string) error {
	if _, err := flags("serve", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withAppFor(ctx, env, serviceUse, func(a *app) error {
		var adapters []bot.Adapter
		for _, build := range platforms {
			ad, err := build(ctx, a)
			if err != nil {
				return err
			}
			if ad != nil {
				adapters = append(adapters, ad)
			}
		}
		if len(adapters) == 0 {
			a.log.Warn("no chat platform is configured; try perfbot demo for the simulator")
		}
		return a.serve(ctx, adapters...)
	})
}

// platforms build the adapter of each chat platform, or nil when its
// credentials are not configured.
var platforms = []func(context.Context, *app) (bot.Adapter, error){buildSlack, buildWeCom, buildDingTalk}

// serve runs the HTTP server and the runtime with the adapters until ctx
// ends, then shuts down gracefully: no new events are taken, and those in
// flight finish or are handed back to the inbox.
func (a *app) serve(ctx context.Context, adapters ...bot.Adapter) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", a.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}))
	conns, err := a.connectors()
	if err != nil {
		return err
	}
	if err := a.mountHooks(mux, conns); err != nil {
		return err
	}
	if err := a.mountDashboard(mux); err != nil {
		return err
	}

	jobs, err := newJobMetrics(a.registry)
	if err != nil {
		return err
	}
	rt, err := bot.NewRuntime(bot.RuntimeOptions{Inbox: a.store, Handler: approvals{next: a.engine, c: conns}, Clock: a.env.clock,
		Logger: a.log, Drain: a.cfg.ShutdownTimeout, Claim: a.cfg.InboxClaim, StepTimeout: a.cfg.StepTimeout, OnJob: jobs.observe})
	if err != nil {
		return err
	}
	rt.Register(adapters...)
	for _, ad := range adapters {
		a.engine.Register(ad)
	}
	rt.Mount(mux)
	if err := a.schedule(rt, adapters); err != nil {
		return err
	}
	for _, c := range []queueCollector{
		newQueueCollector("inbox", "Inbound events kept in the inbox", a.store.InboxStats, a.env.clock),
		newQueueCollector("outbox", "Messages kept in the outbox", a.store.OutboxStats, a.env.clock),
	} {
		if err := a.registry.Register(c); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	runCtx, stopRuntime := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRuntime()
	ran := make(chan error, 1)
	go func() { ran <- rt.Run(runCtx) }()

	if a.cfg.DebugAddr != "" {
		if err := a.serveDebug(runCtx, a.cfg.DebugAddr); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (PERFBOT_HTTP_ADDR): %w", a.cfg.HTTPAddr, err)
	}
	// Requests live in base, which ends when shutdown starts: that closes
	// long-lived streams (the simulator's live updates), which would
	// otherwise hold shutdown up. Events taken in are in the inbox by then.
	base, endRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer endRequests()
	srv, ln := newHTTPServer(base, a.cfg, mux, ln)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.log.Info("listening", "addr", "http://"+ln.Addr().String()+"/")
	a.listening(ln.Addr().String())
	if a.env.ready != nil {
		a.env.ready(ln.Addr().String())
	}

	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	endRequests()
	// Shutdown waits for every request, so every webhook event is kept in
	// the inbox (and acknowledged) before the runtime stops; the runtime
	// then finishes, or hands back to the inbox, what it is handling.
	err = srv.Shutdown(sctx)
	stopRuntime()
	ranErr := <-ran
	// The runtime finished or handed back every event it took, which can
	// spend all of sctx; what the engine still runs gets a budget of its
	// own, or a drain that handed events back would end as a failure.
	wctx, wcancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer wcancel()
	return errors.Join(err, ranErr, a.engine.Wait(wctx))
}

// schedule adds the periodic jobs of the service to rt: the scheduler's
// prompts and nudges, reminders, voice notes, broadcasts, the outbox, and
// the upkeep of the inbox, the outbox and the claims.
func (a *app) schedule(rt *bot.Runtime, adapters []bot.Adapter) error {
	prompts := scheduler.NewRunner(a.planner, a.store, a.engine, scheduler.DefaultRules(), a.env.clock, a.cfg.DefaultTimeZone, a.log)
	senders := make([]scheduler.Sender, len(adapters))
	for i, ad := range adapters {
		senders[i] = a.engine.Sealing(ad) // its buttons are clicked back through the engine
	}
	broadcasts, err := scheduler.NewBroadcaster(scheduler.BroadcasterOptions{
		Store: a.store, Senders: senders, Texts: a.texts, Clock: a.env.clock, Logger: a.log,
		Planner: a.planner, TimeZone: a.cfg.DefaultTimeZone,
	})
	if err != nil {
		return err
	}
	for _, j := range []bot.Job{prompts.Job(time.Minute), a.engine.RemindJob(time.Minute),
		a.engine.VoiceJob(30 * time.Second), broadcasts.Job(), a.engine.OutboxJob(time.Second), a.digestJob()} {
		rt.Schedule(j)
	}
	rt.Every("inbox-purge", time.Hour, func(ctx context.Context) error {
		// A week is far past every platform's redelivery window.
		n, err := a.store.PurgeInbox(ctx, a.env.clock().Add(-inboxKeep))
		if n > 0 {
			a.log.InfoContext(ctx, "inbox purged", "events", n)
		}
		sent, oerr := a.store.PurgeOutbox(ctx, a.env.clock().Add(-outboxKeep))
		if sent > 0 {
			a.log.InfoContext(ctx, "outbox purged", "messages", sent)
		}
		return errors.Join(err, oerr)
	})
	rt.Every("claims-purge", time.Hour, func(ctx context.Context) error {
		n, err := a.store.PurgeClaims(ctx, a.env.clock())
		if n > 0 {
			a.log.InfoContext(ctx, "claims purged", "claims", n)
		}
		return err
	})
	return nil
}

const (
	// inboxKeep is how long the key of a handled event is kept, to
	// recognise a platform's redelivery.
	inboxKeep = 7 * 24 * time.Hour
	// outboxKeep is how long a sent message's row is kept (without what it
	// said), for whoever looks into a delivery.
	outboxKeep = 24 * time.Hour
)

// ready reports whether the database and the dialog state answer.
func (a *app) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := []struct {
		name string
		err  error
	}{{"database", a.store.Ping(ctx)}}
	if p, ok := a.dialog.(interface{ Ping(context.Context) error }); ok {
		checks = append(checks, struct {
			name string
			err  error
		}{"redis", p.Ping(ctx)})
	}
	var body strings.Builder
	status := http.StatusOK
	for _, c := range checks {
		if c.err != nil {
			status = http.StatusServiceUnavailable
			a.log.Warn("not ready", "check", c.name, "err", c.err)
			fmt.Fprintf(&body, "%s: unavailable\n", c.name) // the error may name hosts; it stays in the log
			continue
		}
		fmt.Fprintf(&body, "%s: ok\n", c.name)
	}
	w.WriteHeader(status)
	io.WriteString(w, body.String())
}
