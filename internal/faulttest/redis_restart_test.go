package faulttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// Redis restarted empty in the middle of people's check-ins: the dialog
// state is gone, but not what the inbox knows. An answer Slack delivers
// again is recognised from the database and not handled twice; an answer
// sent while Redis is down is kept and handled once it is back; no answer
// already recorded is lost. What people are told next depends on how the
// dialog is rebuilt, and is logged.
func TestRedisRestart(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	users, _ := s.people(t, 6)
	p := serve(t, s.env)
	beginSlack(t, s, p, users)
	first := map[string]slackEvent{}
	for _, u := range users {
		first[u] = dm(u, "Ev"+u+store.QuestionDone, answerText(u, store.QuestionDone))
		require.Equal(t, http.StatusOK, deliver(t, p, first[u], 0))
	}
	waitFor(t, 20*time.Second, "first answers", func() bool {
		for _, u := range users {
			if len(s.slack.posted("D"+u)) < 2 {
				return false
			}
		}
		return true
	})
	before := map[string]int{}
	for _, u := range users {
		before[u] = len(s.slack.posted("D" + u))
	}

	// Redis dies; half the people answer while it is down.
	s.redis.stop()
	down := time.Now()
	for _, u := range users[:3] {
		require.Equal(t, http.StatusOK, deliver(t, p, dm(u, "Ev"+u+store.QuestionBlockers, answerText(u, store.QuestionBlockers)), 0),
			"kept in the database while Redis is down")
	}
	time.Sleep(time.Second)
	s.redis.start()
	// Slack redelivers the first answers (it missed the acknowledgements):
	// Redis lost everything, the inbox did not.
	for _, u := range users {
		require.Equal(t, http.StatusOK, deliver(t, p, first[u], 1))
	}
	for _, u := range users[3:] {
		require.Equal(t, http.StatusOK, deliver(t, p, dm(u, "Ev"+u+store.QuestionBlockers, answerText(u, store.QuestionBlockers)), 0))
	}
	waitFor(t, recoverWithin, "every event settled", func() bool {
		box := s.db.inbox()
		return box["done"]+box["failed"] == 3*len(users)
	})
	recovered := time.Since(down)

	require.Zero(t, s.db.inbox()["failed"], "no event given up")
	attempts := s.db.attempts()
	for _, u := range users {
		key := "slack:" + slackTeam + ":" + u + ":" + first[u].ID
		require.Equal(t, 1, attempts[key], "%s was taken once, before Redis went down", key)
	}
	all := s.db.answers()
	lost, handledTwice := 0, 0
	for _, u := range users {
		r := store.Round{Answers: all[email(u)]}
		if r.Answer(store.QuestionDone) != answerText(u, store.QuestionDone) {
			lost++
		}
		posted := s.slack.posted("D" + u)
		// Each blockers answer brings one reply, whatever it says; a
		// redelivery brings none.
		if len(posted)-before[u] > 1 {
			handledTwice++
		}
		t.Logf("%s after the restart: blockers recorded %q; perfbot said %q", u, r.Answer(store.QuestionBlockers), posted[len(posted)-1].Text)
	}
	dups := s.slack.duplicates()
	t.Logf("lost %d, handled twice %d, duplicate replies %d, recovered %v after Redis went down",
		lost, handledTwice, dups, recovered.Round(time.Millisecond))
	require.Zero(t, lost)
	require.Zero(t, handledTwice)
}
