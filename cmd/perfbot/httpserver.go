package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/hook"
)

// newHTTPServer builds the HTTP server for h with the limits in cfg, its
// requests living in base, and wraps ln so that at most cfg.HTTPMaxConns
// connections are open at once. Serve the server on the listener returned.
//
// Every request has ReadTimeout to arrive whole, a webhook only its
// platform's acknowledgement window (ackWindows), and WriteTimeout to be
// answered; a long-lived stream lifts its own write deadline (the
// simulator's live updates do). A keep-alive connection idle IdleTimeout is
// closed.
func newHTTPServer(base context.Context, cfg config.Config, h http.Handler, ln net.Listener) (*http.Server, net.Listener) {
	srv := &http.Server{
		Handler:           bodyDeadlines(h, cfg.HTTPReadTimeout),
		ReadHeaderTimeout: min(10*time.Second, cfg.HTTPReadTimeout),
		ReadTimeout:       cfg.HTTPReadTimeout,
		WriteTimeout:      cfg.HTTPWriteTimeout,
		IdleTimeout:       cfg.HTTPIdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	return srv, limitConns(ln, cfg.HTTPMaxConns)
}

// ackWindows are how long each platform waits for the answer to a webhook,
// by path prefix, the first that matches counting. Its body must be in by then: an answer later than that
// is no answer, and a sender slower than that is holding a connection open.
var ackWindows = []struct {
	prefix string
	within time.Duration
}{
	{"/slack/", 3 * time.Second},                  // Events API, interactivity and commands
	{"/wecom/", 5 * time.Second},                  // then WeCom sends the callback again
	{"/dingtalk/events", 1500 * time.Millisecond}, // event subscriptions want "success" in 1.5 s
	{"/dingtalk/", 3 * time.Second},               // robot messages
	{hook.Path, 5 * time.Second},                  // business tools give up after about 10 s
}

// bodyDeadlines gives a webhook's request its platform's acknowledgement
// window to arrive in, when that is shorter than readTimeout.
func bodyDeadlines(next http.Handler, readTimeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, win := range ackWindows {
			if strings.HasPrefix(r.URL.Path, win.prefix) {
				if win.within < readTimeout {
					// The server's HTTP/1 and HTTP/2 connections support
					// deadlines; another ResponseWriter keeps ReadTimeout.
					_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(win.within))
				}
				break
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitListener accepts at most cap(slots) connections at once: Accept
// waits for an open one to close, and connections beyond the cap wait in
// the kernel's backlog.
type limitListener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{} // closed by Close, so a waiting Accept returns
	closeOnce sync.Once
}

func limitConns(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitedConn gives its slot back when closed, however many times.
type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
