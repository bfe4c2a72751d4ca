package scheduler_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/platformtest"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/scheduler"
)

// childEnv tells the test binary, run again, to be a broadcasting replica
// (TestBroadcastKillChild) and how.
const childEnv = "PERFBOT_BROADCAST_CHILD"

// childConfig is what a replica run as a child process is told.
type childConfig struct {
	DB        string        // the database the parent seeded
	APIBase   string        // the parent's fake WeCom
	Broadcast int64         // the broadcast to finish
	Lease     time.Duration // the Broadcaster's lease
	Batch     int           // and batch
}

// Killed with kill -9 in the middle of a 10,000-person broadcast, then
// restarted: everyone gets the message, and the duplicates are no more than
// the sends in flight at the kill, and counted as reclaims.
func TestBroadcastSurvivesKill9(t *testing.T) {
	const (
		people = 10000
		batch  = 250 // claimed at once, and so one message/send call: the most in flight
		lease  = 2 * time.Second
		killAt = 3000 // received before the kill
	)
	ctx := t.Context()
	url := testdb.Postgres(t)
	st, err := sqlstore.Open(ctx, url, time.Now)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(ctx))
	ids := seedWeComPeople(t, st, people)
	b := store.Broadcast{Text: "Open enrolment starts today", Ack: true}
	_, err = st.CreateBroadcast(ctx, &b, ids)
	require.NoError(t, err)

	// The call that takes the total past killAt is held, its recipients
	// recorded, until the replica sending it is dead: it dies with a sent
	// but unrecorded claim, the worst case.
	var (
		holding = make(chan struct{})
		release = make(chan struct{})
		hold    = sync.OnceFunc(func() { close(holding) })
		letGo   = sync.OnceFunc(func() { close(release) })
	)
	fake := platformtest.NewWeCom(platformtest.Options{Delay: 2 * time.Millisecond, OnSend: func(rec *platformtest.Received) {
		if rec.Distinct() >= killAt {
			hold()
			<-release
		}
	}})
	t.Cleanup(fake.Close)
	t.Cleanup(letGo) // before Close: a held call would keep it waiting
	received := fake.Received
	cfg := childConfig{DB: url, APIBase: fake.URL(), Broadcast: b.ID, Lease: lease, Batch: batch}

	first := startChild(t, cfg)
	select {
	case <-holding:
	case err := <-first.done:
		t.Fatalf("the first replica ended before the kill: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the first replica sent too slowly to reach the kill")
	}
	require.NoError(t, first.cmd.Process.Kill()) // SIGKILL
	<-first.done
	letGo()
	claimed := claimedAt(t, url, b.ID)
	atKill := received().Total()
	t.Logf("killed after %d messages to %d people, %d claims held", atKill, received().Distinct(), claimed)
	require.Less(t, received().Distinct(), people, "the kill came mid-broadcast")
	require.Positive(t, claimed, "the replica died holding claims")
	require.LessOrEqual(t, claimed, batch, "one batch is claimed at a time")

	second := startChild(t, cfg)
	select {
	case err := <-second.done:
		require.NoError(t, err, "the second replica finishes the broadcast")
	case <-time.After(60 * time.Second):
		t.Fatal("the second replica did not finish the broadcast")
	}

	s, err := st.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, people, s.Sent)
	require.Zero(t, s.Pending)
	counts := received().Counts()
	require.Len(t, counts, people, "everyone got it")
	dups := 0
	for i := range people {
		n := counts[userID(i)]
		require.Positive(t, n, "%s got nothing", userID(i))
		dups += n - 1
	}
	t.Logf("received %d, by %d people: %d duplicates; %d reclaims; bound %d (batch), %d claims held at the kill",
		received().Total(), len(counts), dups, s.Reclaims, batch, claimed)
	require.LessOrEqual(t, dups, claimed, "only the claims held at the kill can go twice")
	require.LessOrEqual(t, dups, s.Reclaims, "every duplicate is counted as a reclaim")
	require.Equal(t, claimed, s.Reclaims, "exactly the dead replica's claims were taken over")
	require.Positive(t, dups, "the held call's recipients were sent again")
}

// TestBroadcastKillChild is TestBroadcastSurvivesKill9's replica, run in a
// process of its own: it sends the broadcast until it is all sent, or it is
// killed.
func TestBroadcastKillChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("a helper process of TestBroadcastSurvivesKill9")
	}
	var cfg childConfig
	require.NoError(t, json.Unmarshal([]byte(raw), &cfg))
	ctx := t.Context()
	st, err := sqlstore.Open(ctx, cfg.DB, time.Now)
	require.NoError(t, err)
	defer st.Close()
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	ds := memory.New(time.Now)
	defer ds.Close()
	wc, err := wecom.New(wecom.Config{CorpID: platformtest.WeComCorp, AgentID: platformtest.WeComAgent,
		Secret: platformtest.WeComSecret, Token: platformtest.WeComToken,
		EncodingAESKey: platformtest.WeComEncodingAESKey, APIBase: cfg.APIBase}, wecom.Options{Dialog: ds})
	require.NoError(t, err)
	bc, err := scheduler.NewBroadcaster(scheduler.BroadcasterOptions{Store: st, Senders: []scheduler.Sender{wc},
		Texts: texts, Lease: cfg.Lease, Batch: cfg.Batch})
	require.NoError(t, err)
	for {
		require.NoError(t, bc.Tick(ctx))
		s, err := st.BroadcastStatus(ctx, cfg.Broadcast)
		require.NoError(t, err)
		if s.Pending == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond) // a dead replica's claims run out
	}
}

// child is a replica running in a process of its own.
type child struct {
	cmd  *exec.Cmd
	done chan error
}

// startChild runs TestBroadcastKillChild in a new process of this test
// binary, told cfg.
func startChild(t *testing.T, cfg childConfig) child {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	raw, err := json.Marshal(cfg)
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestBroadcastKillChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	out := &bytes.Buffer{} // read once Wait has copied everything
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	c := child{cmd: cmd, done: make(chan error, 1)}
	go func() {
		err := cmd.Wait()
		if err != nil {
			err = fmt.Errorf("%w\n%s", err, out.String())
		}
		c.done <- err
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // a no-op once it ended
	})
	return c
}

// claimedAt counts the deliveries of broadcast still claimed: those a dead
// replica held.
func claimedAt(t *testing.T, url string, broadcast int64) int {
	t.Helper()
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(),
		`SELECT COUNT(*) FROM broadcast_deliveries WHERE broadcast_id = $1 AND status = $2`,
		broadcast, string(store.BroadcastClaimed)).Scan(&n))
	return n
}

// userID is the WeCom user id of the i-th person seeded.
func userID(i int) string { return fmt.Sprintf("u%05d", i) }

// seedWeComPeople saves n people of the fake corp, the i-th as userID(i),
// and returns their ids.
func seedWeComPeople(t *testing.T, st store.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	var (
		wg   sync.WaitGroup
		errs = make(chan error, n)
		work = make(chan int)
	)
	for range 16 {
		wg.Go(func() {
			for i := range work {
				p := bot.Person{Name: fmt.Sprintf("Person %d", i), Locale: bot.LocaleEN,
					Identities: []bot.Identity{{Platform: bot.WeCom, Tenant: platformtest.WeComCorp, UserID: userID(i)}}}
				if err := st.SavePerson(t.Context(), &p); err != nil {
					errs <- err
					continue
				}
				ids[i] = p.ID
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return ids
}
