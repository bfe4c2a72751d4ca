package main

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// passwordRedis starts a throwaway redis-server on its own port that wants
// password, so the shared one is never reconfigured. It is stopped when t
// ends.
func passwordRedis(t *testing.T, password string) string {
	t.Helper()
	addr := closedPort(t)
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--requirepass", password,
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	require.NoError(t, cmd.Start(), "redis-server (make test installs it)")
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	c := redis.NewClient(&redis.Options{Addr: addr, Password: password})
	defer c.Close()
	require.Eventually(t, func() bool { return c.Ping(context.Background()).Err() == nil }, 10*time.Second, 50*time.Millisecond)
	return addr
}

// A dependency that is not there stops every command with one line that
// says which and why, never a stack trace, and never the password.
func TestUnreachableDependencyIsOneLine(t *testing.T) {
	const password = "s3cr3t-pw"
	redisAddr := passwordRedis(t, password)
	for name, tc := range map[string]struct {
		vars map[string]string
		want string
	}{
		"redis closed port": {
			vars: map[string]string{"PERFBOT_REDIS_URL": "redis://:" + password + "@" + closedPort(t) + "/0"},
			want: "cannot reach Redis at redis://:xxxxx@127.0.0.1:",
		},
		"redis wrong password": {
			vars: map[string]string{"PERFBOT_REDIS_URL": "redis://:wrong-" + password + "@" + redisAddr + "/0"},
			want: "cannot use Redis at redis://:xxxxx@" + redisAddr + "/0: it answered: WRONGPASS",
		},
		"postgres closed port": {
			vars: map[string]string{"PERFBOT_DATABASE_URL": "postgres://postgres:" + password + "@" + closedPort(t) + "/perfbot"}, // TLS, then not: two tries
			want: "cannot reach the database at postgres://postgres:xxxxx@127.0.0.1:",
		},
	} {
		t.Run(name, func(t *testing.T) {
			vars := sqliteVars(t)
			for k, v := range tc.vars {
				vars[k] = v
			}
			for _, cmd := range [][]string{{"migrate"}, {"team", "list"}} {
				code, stdout, stderr := perfbot(t, vars, cmd...)
				require.Equal(t, 1, code, "%v: %s", cmd, stderr)
				require.Empty(t, stdout)
				want := "perfbot " + strings.Join(cmd, " ") + ": " + tc.want
				require.True(t, strings.HasPrefix(stderr, want), "%v: want %q, got %q", cmd, want, stderr)
				require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
				require.NotContains(t, stderr, password)
			}
		})
	}

	// The same Redis with the right password works: the refusal above was
	// the password's.
	vars := sqliteVars(t)
	vars["PERFBOT_REDIS_URL"] = "redis://:" + password + "@" + redisAddr + "/0"
	code, _, stderr := perfbot(t, vars, "migrate")
	require.Equal(t, 0, code, stderr)
}
