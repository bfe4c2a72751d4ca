package voice

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HTTPError is an answer from a provider that was not a success.
type HTTPError struct {
	StatusCode int
	// Body is the start of the answer, for the log; providers put the
	// reason there.
	Body string
}

func (e *HTTPError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("HTTP %d: %s", e.StatusCode, e.Body)
}

// retrier posts to an OpenAI-compatible API the way such APIs want to be
// called: each attempt bounded by a timeout, 429 answered by waiting for
// Retry-After, 5xx, timeouts and dropped connections retried a bounded
// number of times with exponential backoff, anything else returned at once.
type retrier struct {
	client  *http.Client
	clock   Clock
	timeout time.Duration
	// retries is how many times a failed attempt is repeated.
	retries int
	// backoff is the first wait after a 5xx or timeout; it doubles.
	backoff time.Duration
	// maxWait caps a Retry-After: a provider asking for an hour is down.
	maxWait time.Duration
}

const maxAnswer = 4 << 20

func newRetrier(client *http.Client, clock Clock, timeout time.Duration) *retrier {
	if client == nil {
		client = http.DefaultClient
	}
	return &retrier{client: client, clock: clock, timeout: timeout, retries: 3, backoff: 500 * time.Millisecond, maxWait: time.Minute}
}

// do sends the request newRequest builds (once per attempt, so the body
// can be read again) and returns the body of the first successful answer.
func (r *retrier) do(ctx context.Context, newRequest func(context.Context) (*http.Request, error)) ([]byte, error) {
	backoff := r.backoff
	for attempt := 0; ; attempt++ {
		body, wait, err := r.once(ctx, newRequest)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		if wait < 0 || attempt >= r.retries {
			return nil, err
		}
		if wait == 0 {
			wait, backoff = backoff, backoff*2
		}
		if err := sleep(ctx, r.clock, wait); err != nil {
			return nil, err
		}
	}
}

// once makes one attempt. wait < 0: do not retry; 0: retry after the
// backoff; > 0: retry after that long.
func (r *retrier) once(ctx context.Context, newRequest func(context.Context) (*http.Request, error)) (body []byte, wait time.Duration, err error) {
	if r.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	req, err := newRequest(ctx)
	if err != nil {
		return nil, -1, err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		var netErr net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, 0, err
		}
		return nil, -1, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, 0, fmt.Errorf("read answer: %w", err)
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return body, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, r.retryAfter(resp.Header.Get("Retry-After")), &HTTPError{StatusCode: resp.StatusCode, Body: snippet(body)}
	case resp.StatusCode >= 500:
		return nil, 0, &HTTPError{StatusCode: resp.StatusCode, Body: snippet(body)}
	default:
		return nil, -1, &HTTPError{StatusCode: resp.StatusCode, Body: snippet(body)}
	}
}

// retryAfter reads seconds or an HTTP date; 0 (use the backoff) when it
// is missing or unreadable.
func (r *retrier) retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(r.clock.Now())
	}
	if d <= 0 {
		return 0
	}
	return min(d, r.maxWait)
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
