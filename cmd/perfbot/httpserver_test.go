package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// platformVars configures Slack, WeCom, DingTalk (HTTP mode) and the
// business-event hooks, their APIs on a port nothing listens on: only their
// webhooks are used.
func platformVars(t *testing.T) map[string]string {
	api := "http://" + closedPort(t)
	vars := sqliteVars(t)
	for k, v := range map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5", "SLACK_API_URL": api + "/",
		"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cret", "WECOM_TOKEN": "tok",
		"WECOM_ENCODING_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "WECOM_API_BASE": api,
		"DINGTALK_CLIENT_ID": "ding-app", "DINGTALK_CLIENT_SECRET": "ding-secret", "DINGTALK_CORP_ID": "dingcorp",
		"DINGTALK_MODE": "http", "DINGTALK_API_BASE": api, "DINGTALK_OAPI_BASE": api,
		"PERFBOT_HOOK_SECRETS": "jira=jira-secret-0123456789",
	} {
		vars[k] = v
	}
	return vars
}

// dribble posts to path on addr a body that never ends, one byte every
// 500 ms, and returns how long the server took to close the connection. It
// gives up after a minute: a server that never closes is an error.
func dribble(addr, path string) (time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		return 0, err
	}
	if _, err := fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", path, addr); err != nil {
		return 0, err
	}
	start := time.Now()

	stop := make(chan struct{})
	var writer sync.WaitGroup
	defer writer.Wait()
	defer close(stop)
	writer.Go(func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	})
	// EOF, or a reset when the server closes on bytes it did not read:
	// either way the server ended it. A timeout is dribble giving up.
	_, err = io.Copy(io.Discard, conn)
	if nerr, ok := errors.AsType[net.Error](err); ok && nerr.Timeout() {
		return 0, fmt.Errorf("%s: the server kept the connection open for a minute", path)
	}
	return time.Since(start), nil
}

// A body sent a byte at a time is cut off when its platform would have given
// up waiting for an answer, not a minute later.
func TestSlowBodiesAreCutOffAtTheAckWindow(t *testing.T) {
	s := start(t, platformVars(t), "serve")
	addr := s.base[len("http://"):]
	var wg sync.WaitGroup
	for path, window := range map[string]time.Duration{
		"/slack/events":    3 * time.Second,
		"/slack/commands":  3 * time.Second,
		"/wecom/callback":  5 * time.Second,
		"/dingtalk/robot":  3 * time.Second,
		"/dingtalk/events": 1500 * time.Millisecond,
		"/hooks/events":    5 * time.Second,
	} {
		wg.Go(func() {
			took, err := dribble(addr, path)
			t.Logf("%s: closed after %v", path, took)
			if assert.NoError(t, err) {
				assert.GreaterOrEqual(t, took, window-250*time.Millisecond, path)
				assert.Less(t, took, window+5*time.Second, path)
			}
		})
	}
	wg.Wait()
	require.Equal(t, 0, s.stop(), s.stderr.String())
}

// get sends GET path on conn and reads the answer, keeping the connection.
func get(t *testing.T, conn net.Conn, r *bufio.Reader, path string) {
	t.Helper()
	_, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path)
	require.NoError(t, err)
	res, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_HTTP_IDLE_TIMEOUT"] = "1s"
	s := start(t, vars, "serve")
	conn, err := net.Dial("tcp", s.base[len("http://"):])
	require.NoError(t, err)
	defer conn.Close()
	r := bufio.NewReader(conn)
	get(t, conn, r, "/healthz")
	get(t, conn, r, "/healthz") // kept alive between requests

	begin := time.Now()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err = r.ReadByte()
	require.ErrorIs(t, err, io.EOF, "the server closes the idle connection")
	require.Less(t, time.Since(begin), 5*time.Second)
	require.Equal(t, 0, s.stop(), s.stderr.String())
}

// Past PERFBOT_HTTP_MAX_CONNS a connection waits to be accepted until one
// of those open closes.
func TestConnectionsAreCapped(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_HTTP_MAX_CONNS"] = "2"
	s := start(t, vars, "serve")
	addr := s.base[len("http://"):]
	var held []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		get(t, conn, bufio.NewReader(conn), "/healthz")
		held = append(held, conn)
	}

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	answered := make(chan error, 1)
	go func() {
		res, err := client.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a third connection was served while two were open: %v", err)
	case <-time.After(time.Second):
	}
	require.NoError(t, held[0].Close())
	select {
	case err := <-answered:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting connection was not served after one closed")
	}

	// Full again, with one waiting: shutdown is not held up by either.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	get(t, conn, bufio.NewReader(conn), "/healthz")
	go func() {
		res, err := client.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	stopped := time.Now()
	require.Equal(t, 0, s.stop(), s.stderr.String())
	t.Logf("stopped in %v", time.Since(stopped))
	require.Less(t, time.Since(stopped), 10*time.Second)
}

// The simulator's live updates outlast the write timeout: a stream is
// meant to stay open.
func TestEventStreamOutlastsTheWriteTimeout(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_HTTP_WRITE_TIMEOUT"] = "1s"
	s := start(t, vars, "demo")
	res, err := http.Get(s.base + "/api/events?persona=jonas")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	time.Sleep(1500 * time.Millisecond)
	s.say("jonas", "hello after the write timeout")

	events := bufio.NewScanner(res.Body)
	got := make(chan bool, 1)
	go func() {
		for events.Scan() {
			if events.Text() == "event: new" {
				got <- true
				return
			}
		}
		got <- false
	}()
	select {
	case ok := <-got:
		require.True(t, ok, "the stream ended before the next message")
	case <-time.After(10 * time.Second):
		t.Fatal("no event on the stream")
	}
	require.Equal(t, 0, s.stop(), s.stderr.String())
}
