package faulttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
)

// apiOutage is how long the platform's API fails: a minute, as the issue
// asks of a platform outage.
const apiOutage = time.Minute

// Slack's Web API answers 500s and times out for a minute while people
// answer: every answer is recorded at once (the database is up), every
// reply is sent once the API is back, none is lost, and a reply appears
// twice only where a call timed out after Slack took it.
func TestSlackAPIDown(t *testing.T) {
	t.Parallel()
	s := newSystem(t)
	users, _ := s.people(t, 6)
	p := serve(t, s.env)
	beginSlack(t, s, p, users)

	s.slack.down(apiOutage)
	downAt := time.Now()
	for _, u := range users {
		for _, key := range []string{store.QuestionDone, store.QuestionBlockers} {
			require.Equal(t, http.StatusOK, deliver(t, p, dm(u, "Ev"+u+key, answerText(u, key)), 0), "taken in while Slack is down")
		}
	}
	waitFor(t, 20*time.Second, "every answer recorded during the outage", func() bool {
		return answered(s, users, answerText) == 2*len(users)
	})
	require.Less(t, time.Since(downAt), apiOutage, "recorded before the API came back")

	up := downAt.Add(apiOutage)
	waitFor(t, apiOutage+recoverWithin, "every reply sent after the outage", func() bool {
		if time.Now().Before(up) || s.db.outboxOpen() > 0 {
			return false
		}
		for _, u := range users {
			if len(s.slack.posted("D"+u)) < 3 {
				return false
			}
		}
		return true
	})
	recovered := time.Since(up)
	failed, hung := s.slack.outage()
	lost := 2*len(users) - answered(s, users, answerText)
	dups := s.slack.duplicates()
	t.Logf("lost %d, duplicate replies %d (calls failed %d, timed out %d), every reply sent %v after the API came back",
		lost, dups, failed, hung, recovered.Round(time.Millisecond))
	require.Positive(t, failed+hung, "perfbot tried during the outage")
	require.Zero(t, lost)
	require.LessOrEqual(t, dups, hung, "a reply twice only where a call timed out after Slack took it")
	require.Zero(t, s.db.inbox()["failed"])
	require.Zero(t, s.db.outboxFailed(), "no reply given up")
}
