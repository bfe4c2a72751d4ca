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
