package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/pace"
)

// WeCom error codes the adapter acts on.
const (
	codeInvalidToken = 40014 // invalid access_token
	codeTokenExpired = 42001 // access_token expired
	codeFrequency    = 45009 // frequency limit: blocked for a minute (or an hour)
	codeConcurrency  = 45033 // too many calls in flight
	codeAllInvalid   = 81013 // every recipient is invalid
	codeBusy         = -1    // system busy
)

// APIError is an error WeCom answered with (a non-zero errcode).
type APIError struct {
	Op   string // the API, e.g. "message/send"
	Code int
	Msg  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wecom: %s: errcode %d: %s", e.Op, e.Code, e.Msg)
}

func (e *APIError) tokenRejected() bool {
	return e.Code == codeInvalidToken || e.Code == codeTokenExpired
}
func (e *APIError) rateLimited() bool { return e.Code == codeFrequency || e.Code == codeConcurrency }

// Is makes errors.Is(err, bot.ErrTemporary) true for a rate limit or a busy
// WeCom, and errors.Is(err, bot.ErrPermanent) for every other errcode.
func (e *APIError) Is(target error) bool {
	temporary := e.rateLimited() || e.Code == codeBusy
	switch target {
	case bot.ErrTemporary:
		return temporary
	case bot.ErrPermanent:
		return !temporary
	}
	return false
}

// status is the errcode/errmsg every WeCom answer carries.
type status struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (s status) err(op string) error {
	if s.ErrCode == 0 {
		return nil
	}
	return &APIError{Op: op, Code: s.ErrCode, Msg: s.ErrMsg}
}

// maxAnswer bounds what is read from one API answer (a voice note is at
// most 2 MB; JSON far less).
const maxAnswer = 20 << 20

// client calls WeCom's server API.
type client struct {
	base    string
	http    *http.Client
	tokens  *tokenSource
	sleep   func(ctx context.Context, d time.Duration) error
	retries int           // attempts after a rate-limit answer
	slots   chan struct{} // calls in flight, below WeCom's concurrency limit
	pace    *pace.Pacer   // calls a minute to each API, under WeCom's limit
	metrics *metrics
}

// call runs one API exchange with an access token, as WeCom asks to be
// called: a rejected token is refreshed once and the call retried; a
// rate-limit answer is waited out with growing pauses, up to c.retries times.
func (c *client) call(ctx context.Context, op string, exchange func(ctx context.Context, token string) error) error {
	refreshed := false
	token, err := c.tokens.Token(ctx)
	for attempt := 0; ; attempt++ {
		if err != nil {
			return err
		}
		if err = c.pace.Wait(ctx, op); err != nil {
			c.metrics.calls.WithLabelValues(op, "paced").Inc()
			return fmt.Errorf("wecom: %s: %w", op, err)
		}
		err = c.limited(ctx, func() error { return exchange(ctx, token) })
		var ae *APIError
		switch {
		case err == nil:
			c.metrics.calls.WithLabelValues(op, "ok").Inc()
			return nil
		case !errors.As(err, &ae):
			c.metrics.calls.WithLabelValues(op, "error").Inc()
			return err
		case ae.tokenRejected() && !refreshed:
			refreshed = true
			c.metrics.calls.WithLabelValues(op, "token_rejected").Inc()
			token, err = c.tokens.Refresh(ctx, token)
		case ae.rateLimited() && attempt < c.retries:
			c.metrics.calls.WithLabelValues(op, "rate_limited").Inc()
			if err = c.sleep(ctx, backoff(ae.Code, attempt)); err != nil {
				return fmt.Errorf("wecom: %s: waiting out rate limit: %w", op, err)
			}
		default:
			c.metrics.calls.WithLabelValues(op, "error").Inc()
			return err
		}
	}
}

// backoff is the pause before retry attempt+1. A frequency block lasts a
// minute, so those pauses grow towards it; a concurrency answer clears as
// soon as calls in flight finish.
func backoff(code, attempt int) time.Duration {
	base, ceiling := 5*time.Second, time.Minute
	if code == codeConcurrency {
		base, ceiling = 200*time.Millisecond, 5*time.Second
	}
	return min(base<<attempt, ceiling)
}

// limited runs fn holding one of the in-flight slots.
func (c *client) limited(ctx context.Context, fn func() error) error {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.slots }()
	return fn()
}

// endpoint is the URL of path with query.
func (c *client) endpoint(path string, query url.Values) string {
	return c.base + path + "?" + query.Encode()
}

// postJSON posts body to path and decodes the answer into out, which must
// embed status (its errcode becomes an *APIError).
func (c *client) postJSON(ctx context.Context, op, path, token string, body any, out interface{ err(string) error }) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("wecom: %s: encode: %w", op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, url.Values{"access_token": {token}}), bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("wecom: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	return c.doJSON(req, op, out)
}

// getJSON gets path with query (the token added when given) and decodes the
// answer into out.
func (c *client) getJSON(ctx context.Context, op, path, token string, query url.Values, out interface{ err(string) error }) error {
	if token != "" {
		query.Set("access_token", token)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, query), nil)
	if err != nil {
		return fmt.Errorf("wecom: %s: %w", op, err)
	}
	return c.doJSON(req, op, out)
}

func (c *client) doJSON(req *http.Request, op string, out interface{ err(string) error }) error {
	body, _, err := c.do(req, op)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("wecom: %s: decode answer: %w", op, err)
	}
	return out.err(op)
}

// do runs req and reads its body. Errors never include the URL: it holds
// the access token, or for gettoken the secret.
func (c *client) do(req *http.Request, op string) ([]byte, http.Header, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if req.Context().Err() == nil {
			err = fmt.Errorf("%w: %w", bot.ErrTemporary, err) // WeCom unreachable
		}
		return nil, nil, fmt.Errorf("wecom: %s: %s %s: %w", op, req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("wecom: %s: read answer: %w", op, err)
	case len(body) > maxAnswer:
		return nil, nil, fmt.Errorf("wecom: %s: answer larger than %d bytes", op, maxAnswer)
	case resp.StatusCode >= http.StatusInternalServerError, resp.StatusCode == http.StatusTooManyRequests:
		return nil, nil, fmt.Errorf("wecom: %s: HTTP %d: %w", op, resp.StatusCode, bot.ErrTemporary)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("wecom: %s: HTTP %d: %w", op, resp.StatusCode, bot.ErrPermanent)
	}
	return body, resp.Header, nil
}

// isJSON reports whether an answer is JSON rather than a file, which is how
// media/get says it failed.
func isJSON(h http.Header, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "application/json" || mt == "text/plain" {
		return true
	}
	return h.Get("Content-Disposition") == "" && len(body) > 0 && body[0] == '{'
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
