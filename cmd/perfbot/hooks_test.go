package main

import (
	"bytes"
	"net/http"
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
