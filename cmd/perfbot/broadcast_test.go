package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBroadcastCommands(t *testing.T) {
	vars := sqliteVars(t)
	org := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)

	code, stdout, _ := perfbot(t, vars, "broadcast", "list")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "no broadcasts yet")

	code, _, stderr = perfbot(t, vars, "broadcast", "send", "--to", "team:Core")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "--text is missing")
	code, _, stderr = perfbot(t, vars, "broadcast", "send", "--text", "hi", "--to", "team:Nope")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "nothing was sent: nobody matches team Nope")
	code, _, stderr = perfbot(t, vars, "broadcast", "send", "--text", "hi", "--to", "planet:Mars")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `cannot read "planet:Mars"`)

	code, stdout, stderr = perfbot(t, vars, "broadcast", "send", "--text", "Review cycle opens Monday", "--ack",
		"--to", "role:manager,email:dev@example.com", "--remind-after", "24h")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "broadcast 1 queued for 2 people; perfbot serve sends it\n", stdout)

	code, stdout, stderr = perfbot(t, vars, "broadcast", "status", "1", "--failed")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "to role manager, dev@example.com")
	require.Contains(t, stdout, "recipients 2: sent 0, failed 0, pending 2; possible duplicates 0")
	require.Contains(t, stdout, "read 0 of 0 sent (0.0%); reminders sent 0")
	require.Contains(t, stdout, "PERSON  NAME  KIND  REASON")

	code, stdout, _ = perfbot(t, vars, "broadcast", "list")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "Review cycle opens Monday")

	code, _, stderr = perfbot(t, vars, "broadcast", "status", "7")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "broadcast 7")
	code, _, _ = perfbot(t, vars, "broadcast", "status")
	require.Equal(t, 2, code)
}
