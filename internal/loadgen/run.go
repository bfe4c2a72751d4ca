package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as perfbot's store uses

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/adapters/wecom"
)

// Config is one run.
type Config struct {
	// Perfbot is the perfbot binary to run.
	Perfbot string
	// Database is a PostgreSQL URL on loopback whose database (or
	// search_path schema) holds no people yet: the run imports its own.
	Database string
	// RedisServer is the redis-server binary; the run starts its own.
	RedisServer string
	// Mix is how many people use each platform; each does one whole
	// check-in, so a run sends six events a person.
	Mix Mix
	// Rate is the target of events a second, over all platforms.
	Rate float64
	// Replicas is how many perfbot serve processes share the work.
	Replicas int
	// Timeout bounds the sending; events not sent by then are not sent.
	Timeout time.Duration
	// Drain bounds the wait, after the sending, for every event to be
	// handled and every reply sent.
	Drain time.Duration
	// Bound is how long the storage bound is replayed; zero skips it.
	Bound time.Duration
	// Env is added to every replica's environment (PERFBOT_INBOX_CLAIM=...).
	Env []string
	// Log receives the replicas' logs; nil discards them.
	Log io.Writer
}

func (c *Config) check() error {
	var errs []error
	if c.Perfbot == "" {
		errs = append(errs, errors.New("the perfbot binary is required"))
	}
	if !loopback(c.Database) {
		errs = append(errs, errors.New("the database must be a postgres:// URL on loopback"))
	}
	if c.Rate <= 0 || c.Replicas < 1 || c.Timeout <= 0 || c.Drain <= 0 {
		errs = append(errs, errors.New("rate, replicas, timeout and drain must be positive"))
	}
	n := 0
	for _, v := range c.Mix {
		n += v
	}
	if n == 0 {
		errs = append(errs, errors.New("the mix names nobody"))
	}
	if c.RedisServer == "" {
		c.RedisServer = "redis-server"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return errors.Join(errs...)
}

// Run drives perfbot with cfg and verifies what it stored and sent.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	redis, err := startRedis(ctx, cfg.RedisServer)
	if err != nil {
		return nil, err
	}
	defer redis.stop()
	f := startFakes()
	defer f.close()

	env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"PERFBOT_DATABASE_URL=" + cfg.Database, "PERFBOT_REDIS_URL=" + redis.url(), "PERFBOT_HTTP_ADDR=127.0.0.1:0"},
		f.env()...)
	// The platforms' limits are per app: each replica paces at its share,
	// as the README tells operators to configure them.
	env = append(env, fmt.Sprintf("WECOM_CALLS_PER_MINUTE=%d", wecom.DefaultCallsPerMinute/cfg.Replicas),
		fmt.Sprintf("DINGTALK_QPS=%d", max(1, dingtalk.DefaultQPS/cfg.Replicas)))
	env = append(env, cfg.Env...)
	o := newOrg(cfg.Mix)
	db, err := sql.Open("pgx", cfg.Database)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := prepare(ctx, cfg, env, db, o); err != nil {
		return nil, err
	}

	log := &lockedWriter{w: cfg.Log}
	reps := make([]*replica, cfg.Replicas)
	for i := range reps {
		if reps[i], err = startReplica(ctx, cfg.Perfbot, env, log); err != nil {
			return nil, err
		}
		defer reps[i].stop(30 * time.Second)
	}

	before, err := snapshot(ctx, db, redis)
	if err != nil {
		return nil, err
	}
	res := &Result{Config: cfg, People: len(o.employees) + len(o.managers)}
	d := drive(ctx, cfg, reps, o)
	res.drive = d
	res.settle(ctx, db, f, o, cfg.Drain)
	after, err := snapshot(ctx, db, redis)
	if err != nil {
		return nil, err
	}
	if err := res.verify(ctx, db, f, o); err != nil {
		return nil, err
	}
	// Per event kept, acknowledged or not: an event whose answer came too
	// late for the platform was kept and handled all the same.
	res.Profile = after.minus(before, res.InboxEvents)
	if cfg.Bound > 0 {
		if res.Bound, err = replayBound(ctx, cfg.Database, redis, res.Profile, cfg.Bound); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// prepare migrates the database, checks it holds nobody, and imports the
// org.
func prepare(ctx context.Context, cfg Config, env []string, db *sql.DB, o org) error {
	if err := run(ctx, cfg.Perfbot, env, "migrate"); err != nil {
		return err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM people`).Scan(&n); err != nil {
		return fmt.Errorf("count people: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("loadgen: the database holds %d people: give the run an empty one", n)
	}
	dir, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "org.csv")
	if err := os.WriteFile(path, []byte(o.csv()), 0o600); err != nil {
		return err
	}
	return run(ctx, cfg.Perfbot, env, "org", "import", path)
}

// driven is what the sending saw.
type driven struct {
	started, ended time.Time
	acks           []time.Duration // of every event acknowledged
	errors         int             // answers other than 200, and failed requests
	submitted      map[*person]time.Time
	unsent         int // events not sent before the timeout
}

// retries is how often an event is delivered again after a failure, as
// the platforms do.
const retries = 4

// drive sends every person's check-in, paced at cfg.Rate, spreading the
// requests over the replicas as a load balancer would. A person's events
// go one after the other, each once the previous one is acknowledged.
func drive(ctx context.Context, cfg Config, reps []*replica, o org) *driven {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 4096, MaxIdleConnsPerHost: 4096, IdleConnTimeout: 90 * time.Second,
	}}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()

	total := 6 * len(o.employees)
	tokens := make(chan struct{})
	d := &driven{started: time.Now(), submitted: map[*person]time.Time{}}
	go func() {
		every := time.Duration(float64(time.Second) / cfg.Rate)
		for i := range total {
			if wait := time.Until(d.started.Add(time.Duration(i) * every)); wait > 0 {
				time.Sleep(wait)
			}
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()

	var (
		mu   sync.Mutex
		next atomic.Uint64
		wg   sync.WaitGroup
	)
	send := func(ev event) (time.Duration, bool) {
		for attempt := range retries + 1 {
			r := reps[next.Add(1)%uint64(len(reps))]
			req, err := ev.request(r.url(), attempt)
			if err != nil {
				break
			}
			start := time.Now()
			resp, err := client.Do(req.WithContext(ctx))
			took := time.Since(start)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return took, true
				}
			}
			mu.Lock()
			d.errors++
			mu.Unlock()
			if ctx.Err() != nil {
				break
			}
			time.Sleep(time.Duration(100<<attempt) * time.Millisecond)
		}
		return 0, false
	}
	for _, p := range o.employees {
		wg.Go(func() {
			texts := steps(p)
			for seq, text := range texts {
				select {
				case <-tokens:
				case <-ctx.Done():
					mu.Lock()
					d.unsent += len(texts) - seq
					mu.Unlock()
					return
				}
				ev, err := encoders[p.Platform](p, seq, text)
				sentAt := time.Now()
				var took time.Duration
				ok := err == nil
				if ok {
					took, ok = send(ev)
				}
				mu.Lock()
				if ok {
					d.acks = append(d.acks, took)
					if seq == len(texts)-1 {
						d.submitted[p] = sentAt
					}
				} else {
					d.errors++
					d.unsent += len(texts) - seq - 1
				}
				mu.Unlock()
				if !ok {
					return // the platform gave up on this person
				}
			}
		})
	}
	wg.Wait()
	d.ended = time.Now()
	slices.Sort(d.acks)
	return d
}
