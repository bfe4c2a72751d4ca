package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The demo's simulator answers on loopback names and those configured,
// nothing else.
func TestDemoServesOnlyItsHosts(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_SIMULATOR_HOSTS"] = "perfbot-demo.corp.example"
	s := start(t, vars, "demo")
	status := func(host string) int {
		req, err := http.NewRequest(http.MethodGet, s.base+"/api/personas", nil)
		require.NoError(t, err)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	require.Equal(t, http.StatusOK, status("localhost:8080"))
	require.Equal(t, http.StatusOK, status("perfbot-demo.corp.example:8080"))
	require.Equal(t, http.StatusForbidden, status("rebound.evil.example:8080"))
	require.Equal(t, 0, s.stop(), s.stderr.String())
}
