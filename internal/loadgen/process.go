package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// replica is one `perfbot serve` the generator started.
type replica struct {
	cmd  *exec.Cmd
	addr string // host:port it listens on
	done chan struct{}
}

// startReplica runs binary serve with env and waits until it listens,
// copying its log to logw.
func startReplica(ctx context.Context, binary string, env []string, logw io.Writer) (*replica, error) {
	cmd := exec.Command(binary, "serve")
	cmd.Env = env
	out, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = logw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	r := &replica{cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			_, _ = logw.Write(append(line, '\n'))
			var l struct{ Msg, Addr string }
			if json.Unmarshal(line, &l) == nil && l.Msg == "listening" {
				select {
				case listening <- strings.TrimSuffix(strings.TrimPrefix(l.Addr, "http://"), "/"):
				default:
				}
			}
		}
		_ = cmd.Wait()
		close(r.done)
	}()
	select {
	case r.addr = <-listening:
		return r, nil
	case <-r.done:
		return nil, errors.New("perfbot serve exited before listening; see its log")
	case <-time.After(60 * time.Second):
		r.kill()
		return nil, errors.New("perfbot serve did not listen within 60s")
	case <-ctx.Done():
		r.kill()
		return nil, ctx.Err()
	}
}

func (r *replica) url() string { return "http://" + r.addr }

// stop sends SIGTERM and waits, then kills what is left.
func (r *replica) stop(within time.Duration) {
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(within):
		r.kill()
	}
}

// kill ends the replica as a crash would.
func (r *replica) kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.done
}

// run runs a perfbot command to its end.
func run(ctx context.Context, binary string, env []string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("perfbot %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// redisServer is a redis-server of the run's own on a free loopback port:
// perfbot's keys have no prefix, so the machine's shared Redis stays out.
type redisServer struct {
	cmd  *exec.Cmd
	port int
}

func startRedis(ctx context.Context, binary string) (*redisServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(binary, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	s := &redisServer{cmd: cmd, port: port}
	c := s.client()
	defer c.Close()
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		err := c.Ping(pctx).Err()
		cancel()
		if err == nil {
			return s, nil
		}
		if time.Since(start) > 10*time.Second {
			s.stop()
			return nil, fmt.Errorf("redis-server on port %d: %w", port, err)
		}
	}
}

func (s *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// client has go-redis's defaults, as perfbot's (internal/dialog/redis).
func (s *redisServer) client() *redis.Client {
	opts, _ := redis.ParseURL(s.url())
	return redis.NewClient(opts)
}

func (s *redisServer) stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// lockedWriter serialises the logs of several replicas into one file.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
