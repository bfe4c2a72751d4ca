package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/hook"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/internal/testredis"
)

// A signed business event reaches the person's manager as a card with
// Praise and Give feedback; a forged one is refused. Without a secret the
// endpoint is not there at all.
func TestBusinessEventInTheDemo(t *testing.T) {
	vars := sqliteVars(t)
	const secret = "jira-secret-0123456789"
	vars["PERFBOT_HOOK_SECRETS"] = "jira=" + secret
	s := start(t, vars, "demo")

	post := func(body, sig string) int {
		req, err := http.NewRequest(http.MethodPost, s.base+"/hooks/events", strings.NewReader(body))
		require.NoError(t, err)
		ts := time.Now().Unix()
		if sig == "" {
			sig = hook.Sign(secret, ts, []byte(body))
		}
		req.Header.Set("X-Perfbot-Source", "jira")
		req.Header.Set("X-Perfbot-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Perfbot-Signature", sig)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	body := `{"person":"marcus.johnson@example.com","kind":"deal_won","title":"ACME renewal","url":"https://crm.example.com/deals/42"}`
	require.Equal(t, http.StatusUnauthorized, post(body, "sha256="+strings.Repeat("0", 64)))
	require.Equal(t, http.StatusAccepted, post(body, ""))

	card := s.last("anna")
	require.Contains(t, card.Text, "Marcus Johnson: Deal won — ACME renewal")
	require.Contains(t, card.Text, "https://crm.example.com/deals/42")
	labels := []string{}
	for _, b := range card.Buttons {
		labels = append(labels, b.Label)
	}
	require.Len(t, labels, 2, "%v", labels)
	s.click("anna", labels[0])
	require.NotEqual(t, card.Text, s.last("anna").Text, "the manager's tap is answered")
	require.Equal(t, 0, s.stop())

	// No secret: no endpoint.
	vars = sqliteVars(t)
	s = start(t, vars, "demo")
	res, err := http.Post(s.base+"/hooks/events", "application/json", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Equal(t, 0, s.stop())
}

// A replayed business event is refused even after Redis forgot everything
// (a restart without persistence): its claim is in the database, so the
// manager is prompted once.
func TestHookReplayOutlivesRedis(t *testing.T) {
	redisURL, rdb := testredis.DB(t)
	const secret = "crm-secret-0123456789"
	vars := map[string]string{
		"PERFBOT_DATABASE_URL": testdb.Postgres(t), "PERFBOT_REDIS_URL": redisURL,
		"PERFBOT_HOOK_SECRETS": "crm=" + secret,
	}
	s := start(t, vars, "demo")

	body := `{"person":"marcus.johnson@example.com","kind":"deal_won","title":"Globex renewal"}`
	ts := time.Now().Unix()
	post := func() int {
		req, err := http.NewRequest(http.MethodPost, s.base+hook.Path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set(hook.HeaderSource, "crm")
		req.Header.Set(hook.HeaderTimestamp, strconv.FormatInt(ts, 10))
		req.Header.Set(hook.HeaderSignature, hook.Sign(secret, ts, []byte(body)))
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	prompts := func() int {
		n := 0
		for _, e := range s.dm("anna") {
			if strings.Contains(e.Text, "Globex renewal") {
				n++
			}
		}
		return n
	}
	require.Equal(t, http.StatusAccepted, post())
	require.Equal(t, 1, prompts())

	require.NoError(t, rdb.FlushDB(t.Context()).Err())
	require.Equal(t, http.StatusConflict, post(), "the very same signed request, delivered again")
	require.Equal(t, 1, prompts(), "the manager was prompted once")
	require.Equal(t, 0, s.stop(), s.stderr.String())
}

// A rules file's progress entry moves a key result end to end, on both
// backends: Marcus drafts a goal in chat whose key result carries
// #resolve-tickets and Anna approves it; a ticket_resolved event for him,
// sent twice with its id (each time signed anew), moves it by 1 once and
// tells him once that it moved by itself. An event for Jonas, who has no
// such goal, moves nothing and `perfbot hooks unmatched` names it.
func TestHookMovesKeyResult(t *testing.T) {
	redisURL, _ := testredis.DB(t)
	for name, vars := range map[string]map[string]string{
		"sqlite":   sqliteVars(t),
		"postgres": {"PERFBOT_DATABASE_URL": testdb.Postgres(t), "PERFBOT_REDIS_URL": redisURL},
	} {
		t.Run(name, func(t *testing.T) {
			const secret = "crm-secret-0123456789"
			rules := filepath.Join(t.TempDir(), "rules.yaml")
			require.NoError(t, os.WriteFile(rules, []byte("progress:\n  - kind: ticket_resolved\n    key_result: resolve-tickets\n"), 0o600))
			vars["PERFBOT_HOOK_SECRETS"] = "crm=" + secret
			vars["PERFBOT_HOOK_RULES"] = rules
			s := start(t, vars, "demo")

			s.say("marcus", "goal new")
			s.say("marcus", "Happier customers")
			s.say("marcus", "Resolve tickets: 30 #resolve-tickets")
			s.click("marcus", "That's all")
			for _, b := range s.last("marcus").Buttons {
				if b.Label == "None" { // no team goal to support
					s.click("marcus", "None")
					break
				}
			}
			s.click("marcus", "Send to manager")
			s.click("anna", "Approve")

			post := func(body string) int {
				req, err := http.NewRequest(http.MethodPost, s.base+hook.Path, strings.NewReader(body))
				require.NoError(t, err)
				ts := time.Now().Unix()
				req.Header.Set(hook.HeaderSource, "crm")
				req.Header.Set(hook.HeaderTimestamp, strconv.FormatInt(ts, 10))
				req.Header.Set(hook.HeaderSignature, hook.Sign(secret, ts, []byte(body)))
				res, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				res.Body.Close()
				return res.StatusCode
			}
			told := func() int {
				n := 0
				for _, e := range s.dm("marcus") {
					if strings.Contains(e.Text, "Automatic update: your key result Resolve tickets moved by +1") {
						n++
					}
				}
				return n
			}
			// The same event twice: the body differs by its spacing only, so
			// each is signed anew, as a sender retrying would.
			require.Equal(t, http.StatusAccepted, post(`{"person":"marcus.johnson@example.com","kind":"ticket_resolved","title":"T-1","id":"T-1"}`))
			require.Equal(t, http.StatusAccepted, post(`{"person": "marcus.johnson@example.com", "kind":"ticket_resolved","title":"T-1","id":"T-1"}`))
			require.Equal(t, 1, told(), "moved once: %v", s.dm("marcus"))
			require.Equal(t, http.StatusAccepted, post(`{"person":"jonas.weber@example.com","kind":"ticket_resolved","title":"T-2","id":"T-2"}`))
			require.Equal(t, 0, s.stop(), s.stderr.String())

			code, out, stderr := perfbot(t, vars, "hooks", "unmatched")
			require.Equal(t, 0, code, stderr)
			require.Contains(t, out, "an agreed goal with key result resolve-tickets for the person with")
			require.Equal(t, 2, strings.Count(out, "\n"), "the header and Jonas's event: %s", out)
		})
	}
}
