package faulttest

import (
	"fmt"
	"testing"

	"github.com/perfbot/perfbot/internal/testdb"
)

// system is what one test runs perfbot on: a database, a Redis and the
// fake platforms, all its own.
type system struct {
	db    db
	redis *redisServer
	slack *fakeSlack
	wecom *fakeWeCom
	env   env
}

// Short claims and timeouts, so a claim left by a killed process runs out
// within the test; the step timeout stays below the claim, as it must.
const (
	claim       = "6s"
	stepTimeout = "5s"
	drain       = "2s"
)

func newSystem(t *testing.T) *system {
	t.Helper()
	s := &system{db: db{t: t, url: testdb.Postgres(t)}, redis: startRedis(t), slack: newFakeSlack(t), wecom: newFakeWeCom(t)}
	s.env = env{
		"PERFBOT_DATABASE_URL": s.db.url, "PERFBOT_REDIS_URL": s.redis.url(), "PERFBOT_HTTP_ADDR": "127.0.0.1:0",
		"PERFBOT_INBOX_CLAIM": claim, "PERFBOT_STEP_TIMEOUT": stepTimeout, "PERFBOT_SHUTDOWN_TIMEOUT": drain,
	}
	for k, v := range slackEnv(s.slack) {
		s.env[k] = v
	}
	for k, v := range wecomEnv(s.wecom) {
		s.env[k] = v
	}
	return s
}

// people imports n people on Slack (prefix "s") or WeCom ("w"), one a
// row, reporting to one manager, and returns their platform user ids.
func (s *system) people(t *testing.T, n int) (slackUsers, wecomUsers []string) {
	t.Helper()
	rows := []string{"lead@example.com,Lead,manager,,ULEAD,"}
	for i := range n {
		u := fmt.Sprintf("U%03d", i)
		slackUsers = append(slackUsers, u)
		rows = append(rows, fmt.Sprintf("%s@example.com,Slack %d,employee,lead@example.com,%s,", u, i, u))
		w := fmt.Sprintf("W%03d", i)
		wecomUsers = append(wecomUsers, w)
		rows = append(rows, fmt.Sprintf("%s@example.com,WeCom %d,employee,lead@example.com,,%s", w, i, w))
	}
	importOrg(t, s.env, "email,name,roles,manager_email,slack,wecom", rows)
	return slackUsers, wecomUsers
}
