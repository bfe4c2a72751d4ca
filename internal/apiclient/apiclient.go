// Package apiclient is the HTTP client an adapter calls its platform's API
// with when it is given none.
package apiclient

import (
	"net/http"
	"time"
)

// IdleConns is how many connections to each host the client keeps open
// between calls: more than an adapter has in flight (a broadcast's fanout,
// scheduler.DefaultBroadcastFanout, 8; WeCom's calls at once, 5). Go's
// default keeps 2, and each call beyond them would open a TLS connection
// to the platform and close it after: a handshake (a round trip or two, to
// China) per call, out of the 50 ms a call has at DingTalk's per-API limit.
const IdleConns = 16

// New is a client on Go's default transport keeping IdleConns connections
// a host, with timeout (zero: none of its own, each call's context bounds
// it).
func New(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = IdleConns
	return &http.Client{Timeout: timeout, Transport: t}
}
