package faulttest

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// pgOutage is how long PostgreSQL stays unreachable after the cut.
const pgOutage = 3 * time.Second

// PostgreSQL's connections cut in the middle of check-ins, and no new one
// taken for a few seconds: an event perfbot could not keep is refused (so
// Slack delivers it again), one it kept is handled once PostgreSQL is back,
// and none is lost or handled twice.
func TestPostgresCut(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	users, _ := s.people(t, 10)
	px := startProxy(t, hostOf(t, s.db.url))
	s.env["PERFBOT_DATABASE_URL"] = px.through(t, s.db.url)
	p := serve(t, s.env)
	beginSlack(t, s, p, users)

	// Half the people's first answers stall on their round, so their
	// transactions are open when the connections go.
	release := s.db.holdRounds(everyOther(users))
	for _, u := range users {
		require.Equal(t, http.StatusOK, deliver(t, p, dm(u, "Ev"+u+store.QuestionDone, answerText(u, store.QuestionDone)), 0))
	}
	time.Sleep(300 * time.Millisecond)
	cut := px.cut(true)
	release()
	cutAt := time.Now()
	t.Logf("cut %d connections", cut)
	require.Positive(t, cut)

	// The second answers come while PostgreSQL is unreachable; Slack
	// delivers again each one perfbot did not acknowledge, as it does,
	// until it is.
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		refused int
	)
	for _, u := range users {
		wg.Go(func() {
			ev := dm(u, "Ev"+u+store.QuestionBlockers, answerText(u, store.QuestionBlockers))
			for retry := 0; ; retry++ {
				if deliver(t, p, ev, retry) == http.StatusOK {
					return
				}
				mu.Lock()
				refused++
				mu.Unlock()
				if time.Since(cutAt) > recoverWithin {
					t.Errorf("%s: never acknowledged", u)
					return
				}
				time.Sleep(500 * time.Millisecond)
			}
		})
	}
	time.Sleep(pgOutage)
	px.up()
	wg.Wait()
	t.Logf("%d deliveries refused while PostgreSQL was down", refused)

	waitFor(t, recoverWithin, "every answer recorded", func() bool {
		return answered(s, users, answerText) == 2*len(users)
	})
	recovered := time.Since(cutAt)
	lost := 2*len(users) - answered(s, users, answerText)
	waitFor(t, recoverWithin, "every event settled", func() bool { return s.db.inbox()["done"] == 3*len(users) })
	for _, u := range users {
		waitFor(t, 10*time.Second, "third question to "+u, func() bool { return len(s.slack.posted("D"+u)) >= 3 })
	}
	dups := s.slack.duplicates()
	t.Logf("lost %d, duplicate replies %d (connections cut %d, deliveries refused %d), recovered %v after the cut",
		lost, dups, cut, refused, recovered.Round(time.Millisecond))
	require.Zero(t, lost)
	require.LessOrEqual(t, dups, len(users), "at most one reply twice per event in flight at the cut")
	require.Equal(t, 0, s.db.inbox()["failed"])
	for key, n := range s.db.attempts() {
		require.LessOrEqual(t, n, 10, "%s taken %d times", key, n)
	}
}
