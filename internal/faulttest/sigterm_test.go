package faulttest

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// SIGTERM while Slack events are in flight and more keep coming: perfbot
// stops within its shutdown timeout, hands back to the inbox whatever it
// could not finish (no claim is left to run out), and after the restart
// every answer is recorded: those acknowledged before the stop, and those
// Slack delivers again because they were refused during it.
func TestSlackSIGTERM(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	users, _ := s.people(t, 10)
	p := serve(t, s.env)
	beginSlack(t, s, p, users)

	release := s.db.holdRounds(everyOther(users))
	type delivery struct {
		ev   slackEvent
		code int
	}
	var (
		mu    sync.Mutex
		sent  []delivery
		wg    sync.WaitGroup
		first sync.WaitGroup
	)
	first.Add(len(users))
	for _, u := range users {
		wg.Go(func() {
			for i, key := range []string{store.QuestionDone, store.QuestionBlockers} {
				if i == 1 {
					first.Done()
					time.Sleep(50 * time.Millisecond) // the second comes as perfbot stops
				}
				ev := dm(u, "Ev"+u+key, answerText(u, key))
				code := deliver(t, p, ev, 0)
				mu.Lock()
				sent = append(sent, delivery{ev, code})
				mu.Unlock()
			}
		})
	}
	first.Wait()
	stopped := time.Now()
	p.terminate(15 * time.Second)
	stopping := time.Since(stopped)
	wg.Wait()
	box := s.db.inbox()
	release()
	var refused []slackEvent
	for _, d := range sent {
		if d.code != http.StatusOK {
			refused = append(refused, d.ev)
		}
	}
	t.Logf("stopped in %v; %d events refused while stopping; inbox %v", stopping.Round(time.Millisecond), len(refused), box)
	require.Zero(t, box["claimed"], "everything unfinished was handed back")
	inFlight := box["pending"]

	p = serve(t, s.env)
	for _, ev := range refused {
		require.Equal(t, http.StatusOK, deliver(t, p, ev, 1), "Slack delivers a refused event again")
	}
	waitFor(t, recoverWithin, "every answer recorded", func() bool {
		return answered(s, users, answerText) == 2*len(users)
	})
	recovered := time.Since(stopped)
	lost := 2*len(users) - answered(s, users, answerText)
	waitFor(t, 10*time.Second, "every event settled", func() bool { return s.db.inbox()["done"] == 3*len(users) })
	for _, u := range users {
		waitFor(t, 10*time.Second, "third question to "+u, func() bool { return len(s.slack.posted("D"+u)) >= 3 })
	}
	dups := s.slack.duplicates()
	t.Logf("lost %d, duplicate replies %d (handed back %d, refused %d), recovered %v after SIGTERM",
		lost, dups, inFlight, len(refused), recovered.Round(time.Millisecond))
	require.Zero(t, lost)
	require.LessOrEqual(t, dups, inFlight+len(refused))
}
