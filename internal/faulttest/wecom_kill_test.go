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

// Two WeCom messages in flight at a kill -9, which WeCom sends again byte
// for byte once perfbot is back: the resends are acknowledged as already
// kept, and both messages are handled, none acknowledged and dropped.
func TestWeComKill(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	_, users := s.people(t, 2)
	p := serve(t, s.env)
	for i, u := range users {
		require.Equal(t, http.StatusOK, textCallback(t, u, int64(100+i), "checkin").post(p))
	}
	waitFor(t, 20*time.Second, "first questions", func() bool {
		return len(s.wecom.sentTo(users[0])) > 0 && len(s.wecom.sentTo(users[1])) > 0
	})

	release := s.db.holdRounds([]string{email(users[0]), email(users[1])})
	answers := make([]callback, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		answers[i] = textCallback(t, u, int64(200+i), answerText(u, store.QuestionDone))
		wg.Go(func() { require.Equal(t, http.StatusOK, answers[i].post(p)) })
	}
	wg.Wait()
	time.Sleep(300 * time.Millisecond)
	p.kill()
	killed := time.Now()
	box := s.db.inbox()
	inFlight := box["claimed"] + box["pending"]
	release()
	require.Equal(t, 2, inFlight, "both messages in flight at the kill (%v)", box)

	// WeCom had no answer in time for either, so it sends both again.
	p = serve(t, s.env)
	for _, cb := range answers {
		require.Equal(t, http.StatusOK, cb.post(p), "a resend is acknowledged")
	}
	unrecorded := func() int {
		all, n := s.db.answers(), 0
		for _, u := range users {
			if (store.Round{Answers: all[email(u)]}).Answer(store.QuestionDone) != answerText(u, store.QuestionDone) {
				n++
			}
		}
		return n
	}
	waitFor(t, recoverWithin, "both answers recorded", func() bool { return unrecorded() == 0 })
	recovered := time.Since(killed)
	lost := unrecorded()
	waitFor(t, 10*time.Second, "every event settled", func() bool { return s.db.inbox()["done"] == 4 })
	for _, u := range users {
		waitFor(t, 10*time.Second, "second question to "+u, func() bool {
			sent := s.wecom.sentTo(u)
			return len(sent) >= 2 && strings.Contains(sent[len(sent)-1], "(2/4)")
		})
	}
	dups := s.wecom.duplicates()
	t.Logf("lost %d, duplicate replies %d (in flight %d), recovered %v after the kill", lost, dups, inFlight, recovered.Round(time.Millisecond))
	require.Zero(t, lost)
	require.LessOrEqual(t, dups, inFlight)
}
