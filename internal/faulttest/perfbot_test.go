package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// perfbot is one child process of the binary, `perfbot serve` or a
// command, and its JSON log.
type perfbot struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string // where it listens, once serving
	log  *lockedBuffer
	done chan struct{}
	err  error // from Wait, once done is closed
}

// env is the environment of every child of a test: nothing of the test's
// own but PATH and HOME.
type env map[string]string

func (e env) list() []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// command runs a perfbot command to its end and returns its output.
func command(t *testing.T, e env, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = e.list()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "perfbot %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// serve starts `perfbot serve` and waits until it listens.
func serve(t *testing.T, e env) *perfbot {
	t.Helper()
	p := &perfbot{t: t, log: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = e.list()
	p.cmd.Stdout = p.log
	p.cmd.Stderr = p.log
	require.NoError(t, p.cmd.Start())
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("perfbot log:\n%s", p.log.String())
		}
	})
	deadline := time.After(20 * time.Second)
	for p.addr == "" {
		select {
		case <-p.done:
			t.Fatalf("perfbot serve exited: %v\n%s", p.err, p.log.String())
		case <-deadline:
			t.Fatalf("perfbot serve did not listen in 20s:\n%s", p.log.String())
		case <-time.After(20 * time.Millisecond):
			p.addr = p.logged("listening", "addr")
		}
	}
	p.addr = strings.TrimSuffix(strings.TrimPrefix(p.addr, "http://"), "/")
	return p
}

// url is the address of path on the child.
func (p *perfbot) url(path string) string { return "http://" + p.addr + path }

// kill ends the child with SIGKILL, as a crash or the OOM killer would.
func (p *perfbot) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// terminate sends SIGTERM and waits for the child to exit, which it must
// do cleanly within limit.
func (p *perfbot) terminate(limit time.Duration) {
	p.t.Helper()
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
		require.NoError(p.t, p.err, "perfbot exits cleanly on SIGTERM")
	case <-time.After(limit):
		p.t.Fatalf("perfbot did not stop within %v of SIGTERM", limit)
	}
}

// logged returns field of the first log line whose msg is msg.
func (p *perfbot) logged(msg, field string) string {
	sc := bufio.NewScanner(strings.NewReader(p.log.String()))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil || line["msg"] != msg {
			continue
		}
		s, _ := line[field].(string)
		return s
	}
	return ""
}

// count counts the log lines whose msg is msg.
func (p *perfbot) count(msg string) int {
	return strings.Count(p.log.String(), `"msg":"`+msg+`"`)
}

// lockedBuffer is a log both the child and the test touch.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// importOrg imports people from CSV rows under the header.
func importOrg(t *testing.T, e env, header string, rows []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "org.csv")
	require.NoError(t, os.WriteFile(path, []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), 0o600))
	command(t, e, "org", "import", path)
}
