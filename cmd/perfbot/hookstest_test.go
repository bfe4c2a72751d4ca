package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/hook"
)

// The GitHub webhook, end to end in the demo: `hooks test` reaches it
// signed; the sample's author is nobody in perfbot yet, so the event is
// kept and `hooks unmatched` says which column to fill; once `org import`
// gives Marcus the login, a merged pull request reaches his manager Anna
// as a card, once however often GitHub redelivers it.
func TestGitHubWebhookInTheDemo(t *testing.T) {
	vars := sqliteVars(t)
	const secret = "github-secret-0123456789"
	vars["PERFBOT_CONNECTOR_SECRETS"] = "github=" + secret
	s := start(t, vars, "demo")

	code, out, stderr := perfbot(t, vars, "hooks", "test", "github", "--url", s.base)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "202 Accepted")
	require.Contains(t, out, `"unmatched":["github:codertocat"]`)

	code, out, stderr = perfbot(t, vars, "hooks", "unmatched")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "github column: codertocat")
	require.Contains(t, out, "merge_request_merged")
	require.Contains(t, out, "Codertocat/Hello-World#2 Update the README with new information.")

	csv := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(csv, []byte("email,name,github\nmarcus.johnson@example.com,Marcus Johnson,Codertocat\n"), 0o600))
	code, _, stderr = perfbot(t, vars, "org", "import", csv)
	require.Equal(t, 0, code, stderr)

	statuses := []int{}
	for range 3 {
		req, err := hook.SampleRequest(hook.GitHub{Secret: secret}, "github-pull_request-merged", s.base+"/hooks/github",
			"72d3162e-cc78-11e3-81ab-4c9367dc0958", time.Now())
		require.NoError(t, err)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		statuses = append(statuses, res.StatusCode)
	}
	require.Equal(t, []int{http.StatusAccepted, http.StatusConflict, http.StatusConflict}, statuses)

	cards := 0
	for _, e := range s.dm("anna") {
		if strings.Contains(e.Text, "Marcus Johnson: Merge request merged — Codertocat/Hello-World#2") {
			cards++
		}
	}
	require.Equal(t, 1, cards, "one card per delivery")

	// A forged delivery is refused and nothing is kept.
	req, err := hook.SampleRequest(hook.GitHub{Secret: "not-the-secret-0123456789"}, "github-pull_request-merged", s.base+"/hooks/github", "forged", time.Now())
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, 0, s.stop())

	code, out, _ = perfbot(t, vars, "hooks", "unmatched")
	require.Equal(t, 0, code)
	require.Equal(t, 2, strings.Count(out, "\n"), "the header and the one kept event: %s", out)
}

// A rules file with a mistake stops perfbot at start, naming the line.
func TestHookRulesCheckedAtStart(t *testing.T) {
	vars := sqliteVars(t)
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	require.NoError(t, os.WriteFile(rules, []byte("rules:\n  - source: github\n    event: pull_request.merged\n    kind: merge_request_merge\n"), 0o600))
	vars["PERFBOT_HOOK_RULES"] = rules
	code, _, stderr := perfbot(t, vars, "demo")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, rules+`:4: unknown kind "merge_request_merge"`)

	code, _, stderr = perfbot(t, vars, "hooks", "test", "gitlab")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `"gitlab" has no secret in PERFBOT_CONNECTOR_SECRETS`)
}
