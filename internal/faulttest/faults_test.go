package faulttest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// recoverWithin bounds how long perfbot may take to finish what a broken
// process left: a dead process's claims run out after the claim (6 s) and
// its leases on people after 30 s (internal/engine's leaseTTL).
const recoverWithin = 45 * time.Second

// waitFor polls cond until it holds, and returns how long that took.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// email is the address the org import gave a platform user.
func email(user string) string { return strings.ToLower(user) + "@example.com" }

// begin has each Slack user start their check-in and waits until each was
// asked the first question.
func beginSlack(t *testing.T, s *system, p *perfbot, users []string) {
	t.Helper()
	for _, u := range users {
		require.Equal(t, http.StatusOK, deliver(t, p, dm(u, "Ev"+u+"start", "checkin"), 0))
	}
	waitFor(t, 20*time.Second, "first questions", func() bool {
		for _, u := range users {
			if len(s.slack.posted("D"+u)) == 0 {
				return false
			}
		}
		return true
	})
}

// answered counts, of the answers each user gave (done, then blockers),
// those the database holds under the right question.
func answered(s *system, users []string, given func(u, key string) string) int {
	all := s.db.answers()
	n := 0
	for _, u := range users {
		var r store.Round
		r.Answers = all[email(u)]
		for _, key := range []string{store.QuestionDone, store.QuestionBlockers} {
			if r.Answer(key) == given(u, key) {
				n++
			}
		}
	}
	return n
}

func answerText(u, key string) string { return key + " of " + u }

// A kill -9 of perfbot with Slack events acknowledged but not yet handled
// loses none of them: after the restart every answer is in its round,
// under the question it answered, and replies sent twice are no more than
// the events that were in flight.
func TestSlackKill(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	users, _ := s.people(t, 20)
	p := serve(t, s.env)
	beginSlack(t, s, p, users)

	// Half the people's steps stall on their round, so their events are in
	// flight at the kill; the other half's go through.
	release := s.db.holdRounds(everyOther(users))
	var wg sync.WaitGroup
	acked := make([]int, len(users))
	for i, u := range users {
		wg.Go(func() {
			for _, key := range []string{store.QuestionDone, store.QuestionBlockers} {
				if deliver(t, p, dm(u, "Ev"+u+key, answerText(u, key)), 0) == http.StatusOK {
					acked[i]++
				}
			}
		})
	}
	wg.Wait()
	for i, n := range acked {
		require.Equal(t, 2, n, "both answers of %s acknowledged", users[i])
	}
	// The free half gets handled and answered: its replies are sent, not
	// in flight. (The adapter paces chat.postMessage, so that can take
	// seconds after the first questions used up its burst.)
	waitFor(t, 20*time.Second, "the free half answered", func() bool {
		for i, u := range users {
			if i%2 == 1 && len(s.slack.posted("D"+u)) < 3 {
				return false
			}
		}
		return true
	})
	p.kill()
	killed := time.Now()
	box := s.db.inbox()
	inFlight := box["claimed"] + box["pending"]
	release()
	t.Logf("killed with %d of %d events acknowledged and not yet handled (%v)", inFlight, 2*len(users), box)
	require.Positive(t, inFlight, "the kill caught events in flight")

	p = serve(t, s.env)
	defer func() {
		if t.Failed() {
			t.Logf("answers: %v\ninbox: %v", s.db.answers(), s.db.inbox())
		}
	}()
	waitFor(t, recoverWithin, "every answer recorded", func() bool {
		return answered(s, users, answerText) == 2*len(users)
	})
	recovered := time.Since(killed)
	lost := 2*len(users) - answered(s, users, answerText)
	require.Zero(t, lost)
	waitFor(t, 10*time.Second, "every event settled", func() bool { return s.db.inbox()["done"] == 3*len(users) })
	// The reply to the last answer is the third question.
	for _, u := range users {
		waitFor(t, 10*time.Second, "third question to "+u, func() bool { return len(s.slack.posted("D"+u)) >= 3 })
	}
	dups := s.slack.duplicates()
	t.Logf("lost %d, duplicate replies %d (in flight %d), recovered %v after the kill", lost, dups, inFlight, recovered.Round(time.Millisecond))
	require.LessOrEqual(t, dups, inFlight)
	require.Equal(t, 0, s.db.inbox()["failed"])
}
