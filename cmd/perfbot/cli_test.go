package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An administration command answers on stdout and logs only warnings, a
// readable line each; serve and demo keep their JSON log.
func TestCommandsLogOnlyWarnings(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr, "no start-up record, no config")
	code, _, stderr = perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)

	code, _, stderr = perfbot(t, vars, "checkin", "open", "--team", "Core", "--period", "2026-W48")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	require.Len(t, lines, 2, "a warning per prompt that had nowhere to go: %s", stderr)
	for _, l := range lines {
		require.Regexp(t, `^perfbot: warning: no way to reach recipient \(person=\d+ subject=\d+\)$`, l)
	}

	s := start(t, vars, "demo")
	require.Equal(t, 0, s.stop())
	first, _, _ := strings.Cut(s.stderr.String(), "\n")
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(first), &rec), "the demo logs JSON: %s", first)
	require.Contains(t, s.stderr.String(), `"msg":"perfbot started"`)
}

func TestWarningsHandler(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(newWarnings(&b)).With("platform", "slack").WithGroup("send")
	log.Info("not shown")
	log.Warn("refused", "reason", "rate limited", "n", 3, slog.Group("to", "id", "U1"))
	log.Error("gave up", "empty", "")
	require.Equal(t, "perfbot: warning: refused (platform=slack send.reason=\"rate limited\" send.n=3 send.to.id=U1)\n"+
		"perfbot: error: gave up (platform=slack send.empty=\"\")\n", b.String())
}
