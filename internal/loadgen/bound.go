package loadgen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// counters are PostgreSQL's and Redis's own counts of the work done.
type counters struct {
	xacts, writes int64            // committed transactions; rows inserted, updated or deleted
	redis         map[string]int64 // calls by command
}

// snapshot reads the counters: pg_stat_database for the database, and
// INFO commandstats of the run's own Redis. PostgreSQL flushes its
// statistics within a second of a transaction, hence the wait.
func snapshot(ctx context.Context, db *sql.DB, rs *redisServer) (counters, error) {
	time.Sleep(1500 * time.Millisecond)
	c := counters{redis: map[string]int64{}}
	if err := db.QueryRowContext(ctx, `SELECT xact_commit, tup_inserted + tup_updated + tup_deleted
		FROM pg_stat_database WHERE datname = current_database()`).Scan(&c.xacts, &c.writes); err != nil {
		return c, fmt.Errorf("read pg_stat_database: %w", err)
	}
	rc := rs.client()
	defer rc.Close()
	info, err := rc.Info(ctx, "commandstats").Result()
	if err != nil {
		return c, fmt.Errorf("redis commandstats: %w", err)
	}
	// cmdstat_get:calls=12,usec=...
	for line := range strings.SplitSeq(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":calls=")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.SplitN(rest, ",", 2)[0], 10, 64)
		c.redis[strings.TrimPrefix(name, "cmdstat_")] = n
	}
	return c, nil
}

// Profile is what one event cost storage, on average over a run.
type Profile struct {
	Events int
	// Xacts is PostgreSQL transactions an event (an autocommitted
	// statement counts as one), Writes the rows it inserted, updated or
	// deleted; both count the whole database, so anything else using it
	// shows too.
	Xacts, Writes float64
	// Redis is commands an event, by command.
	Redis map[string]float64
}

func (c counters) minus(before counters, events int) Profile {
	p := Profile{Events: events, Redis: map[string]float64{}}
	if events == 0 {
		return p
	}
	n := float64(events)
	p.Xacts, p.Writes = float64(c.xacts-before.xacts)/n, float64(c.writes-before.writes)/n
	for k, v := range c.redis {
		if d := v - before.redis[k]; d > 0 && k != "info" {
			p.Redis[k] = float64(d) / n
		}
	}
	return p
}

func (p Profile) redisCalls() float64 {
	t := 0.0
	for _, v := range p.Redis {
		t += v
	}
	return t
}

func (p Profile) print(w io.Writer) {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p.Redis)) {
		parts = append(parts, fmt.Sprintf("%s %.2f", k, p.Redis[k]))
	}
	fmt.Fprintf(w, "per event    PostgreSQL %.2f transactions, %.2f rows written; Redis %.2f commands (%s)\n",
		p.Xacts, p.Writes, p.redisCalls(), strings.Join(parts, ", "))
}

// Bound is the storage bound: the profile's statements and commands
// replayed alone, as fast as the same clients allow.
type Bound struct {
	Workers         int
	Events          int64
	Took            time.Duration
	EventsPerSecond float64
}

func (b *Bound) print(w io.Writer) {
	fmt.Fprintf(w, "storage      bound %.0f events/s (%d replayed events in %v by %d workers)\n",
		b.EventsPerSecond, b.Events, rnd(b.Took), b.Workers)
}

// boundWorkers is how many events the replay runs at once: perfbot's
// workers in a replica, plus the writers keeping the incoming events in
// the inbox in batches (two at a time).
const boundWorkers = bot.DefaultWorkers + 2

// replayBound replays p for about d: each event makes p.Xacts round trips
// to PostgreSQL through database/sql and pgx with perfbot's settings (its
// pool, sqlstore.PostgresPool), p.Writes of them writing a row of the size an event
// writes, the others reading one back, and p's Redis commands through
// go-redis with its defaults, as perfbot's dialog store. It works in a
// table of its own, dropped after.
func replayBound(ctx context.Context, dbURL string, rs *redisServer, p Profile, d time.Duration) (*Bound, error) {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sqlstore.PostgresPool(db)
	if _, err := db.ExecContext(ctx, `CREATE TABLE loadgen_bound (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		k TEXT UNIQUE, v TEXT NOT NULL, n INT NOT NULL DEFAULT 0)`); err != nil {
		return nil, fmt.Errorf("bound: %w", err)
	}
	defer db.ExecContext(context.WithoutCancel(ctx), `DROP TABLE loadgen_bound`)
	rc := rs.client()
	defer rc.Close()

	xacts, writes := int(p.Xacts+0.5), int(p.Writes+0.5)
	payload := strings.Repeat("x", 600) // about a bot.Event as JSON
	var (
		events atomic.Int64
		first  error
		once   sync.Once
		wg     sync.WaitGroup
	)
	// Events started before the end are finished, not cancelled: a
	// cancelled dial on a busy machine reads as a failure of its own.
	start := time.Now()
	end := start.Add(d)
	for w := range boundWorkers {
		wg.Go(func() {
			for i := 0; time.Now().Before(end) && ctx.Err() == nil; i++ {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := replayEvent(ctx, db, rc, key, payload, xacts, writes, p.Redis); err != nil {
					if ctx.Err() == nil {
						once.Do(func() { first = err })
					}
					return
				}
				events.Add(1)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	if first != nil {
		return nil, fmt.Errorf("bound: %w", first)
	}
	n := events.Load()
	return &Bound{Workers: boundWorkers, Events: n, Took: took, EventsPerSecond: float64(n) / took.Seconds()}, nil
}

// replayEvent is one event's storage work.
func replayEvent(ctx context.Context, db *sql.DB, rc *redis.Client, key, payload string, xacts, writes int, cmds map[string]float64) error {
	for i := range xacts {
		var err error
		switch {
		case i == 0:
			_, err = db.ExecContext(ctx, `INSERT INTO loadgen_bound (k, v) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING`, key, payload)
		case i < writes:
			_, err = db.ExecContext(ctx, `UPDATE loadgen_bound SET n = n + 1, v = $2 WHERE k = $1`, key, payload)
		default:
			var v string
			err = db.QueryRowContext(ctx, `SELECT v FROM loadgen_bound WHERE k = $1`, key).Scan(&v)
		}
		if err != nil {
			return err
		}
	}
	for name, per := range cmds {
		for range int(per + 0.5) {
			if err := replayCommand(ctx, rc, name, "loadgen:"+key); err != nil {
				return err
			}
		}
	}
	return nil
}

// replayCommand runs a command of the kind perfbot ran: reads as GET,
// scripts as a small EVAL, writes as SET with an expiry.
func replayCommand(ctx context.Context, rc *redis.Client, name, key string) error {
	var err error
	switch {
	case strings.HasPrefix(name, "eval"):
		err = rc.Eval(ctx, `return redis.call('SET', KEYS[1], ARGV[1], 'PX', 30000)`, []string{key}, "v").Err()
	case strings.HasPrefix(name, "get"), name == "exists", name == "pttl", name == "ttl", name == "mget":
		err = rc.Get(ctx, key).Err()
		if errors.Is(err, redis.Nil) {
			err = nil
		}
	case name == "ping", name == "hello", name == "client", name == "select", name == "auth":
		return nil // connection set-up, not an event's work
	default:
		err = rc.Set(ctx, key, "v", 30*time.Second).Err()
	}
	return err
}
