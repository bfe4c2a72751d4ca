package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/pace"
)

// ErrRateLimited is an answer saying perfbot called too often. It matches
// (errors.Is) an *APIError that says so.
var ErrRateLimited = errors.New("dingtalk: rate limited")

// errBadToken matches an *APIError refusing the access token.
var errBadToken = errors.New("dingtalk: access token refused")

// APIError is an error answer from DingTalk. Code is the new API's code
// ("Forbidden.AccessDenied.QpsLimitForApi") or the old API's errcode.
type APIError struct {
	Path    string
	Status  int
	Code    string
	Message string
	// retryAfter is the wait DingTalk asked for, if it did.
	retryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("dingtalk: %s: HTTP %d %s: %s", e.Path, e.Status, e.Code, e.Message)
}

// Is makes errors.Is(err, ErrRateLimited) true for DingTalk's rate-limit
// answers: HTTP 429, the QpsLimit codes, and the old API's 90002 and 90018.
// Those and a 5xx are bot.ErrTemporary; every other answer is
// bot.ErrPermanent.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.rateLimited()
	case bot.ErrTemporary:
		return e.rateLimited() || e.Status >= http.StatusInternalServerError
	case bot.ErrPermanent:
		return !e.rateLimited() && e.Status < http.StatusInternalServerError
	case errBadToken:
		return e.Status == http.StatusUnauthorized || e.Code == "InvalidAuthentication" ||
			e.Code == "40014" || e.Code == "42001" || e.Code == "88"
	}
	return false
}

func (e *APIError) rateLimited() bool {
	return e.Status == http.StatusTooManyRequests || strings.Contains(e.Code, "QpsLimit") ||
		strings.Contains(e.Code, "Throttling") || e.Code == "90002" || e.Code == "90018"
}

// retry is how often and how patiently rate-limited calls are retried.
type retry struct {
	Attempts int
	Base     time.Duration // the first wait; it doubles, with jitter
	Max      time.Duration
}

var defaultRetry = retry{Attempts: 6, Base: 500 * time.Millisecond, Max: 20 * time.Second}

func (r retry) wait(attempt int) time.Duration {
	d := r.Base << attempt
	if d > r.Max || d <= 0 {
		d = r.Max
	}
	// Jitter spreads replicas that were refused together.
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// api calls DingTalk's two HTTP APIs with the access token.
type api struct {
	cfg    Config
	http   *http.Client
	tokens *tokens
	retry  retry
	pace   *pace.Pacer // calls a second to each API path, under DingTalk's limit
	sleep  func(ctx context.Context, d time.Duration) error
	// retried counts retries by reason, for the metrics.
	retried func(reason string)
}

// call POSTs (or PUTs) in as JSON to the new API and decodes the answer into
// out, retrying rate-limit answers and a refused token.
func (a *api) call(ctx context.Context, method, path string, in, out any) error {
	return a.withRetry(ctx, path, func(token string) error {
		return a.roundTrip(ctx, method, a.cfg.APIBase+path, map[string]string{"x-acs-dingtalk-access-token": token}, path, in, out)
	})
}

// oapi POSTs in to the old API and decodes its "result" into out.
func (a *api) oapi(ctx context.Context, path string, in, out any) error {
	return a.withRetry(ctx, path, func(token string) error {
		var env struct {
			ErrCode int             `json:"errcode"`
			ErrMsg  string          `json:"errmsg"`
			Result  json.RawMessage `json:"result"`
		}
		u := a.cfg.OAPIBase + path + "?access_token=" + url.QueryEscape(token)
		if err := a.roundTrip(ctx, http.MethodPost, u, nil, path, in, &env); err != nil {
			return err
		}
		if env.ErrCode != 0 {
			return &APIError{Path: path, Status: http.StatusOK, Code: strconv.Itoa(env.ErrCode), Message: env.ErrMsg}
		}
		if out == nil || len(env.Result) == 0 {
			return nil
		}
		return json.Unmarshal(env.Result, out)
	})
}

func (a *api) withRetry(ctx context.Context, path string, do func(token string) error) error {
	refreshed := false
	for attempt := 0; ; attempt++ {
		token, err := a.tokens.get(ctx)
		if err != nil {
			return err
		}
		if err := a.pace.Wait(ctx, path); err != nil {
			return fmt.Errorf("dingtalk: %s: %w", path, err)
		}
		err = do(token)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errBadToken) && !refreshed:
			// The cached token was revoked or expired early: fetch a new one once.
			refreshed = true
			a.tokens.invalidate(ctx, token)
			a.retried("token")
			continue
		case errors.Is(err, ErrRateLimited) && attempt+1 < a.retry.Attempts:
			a.retried("rate_limit")
			wait := a.retry.wait(attempt)
			var ae *APIError
			if errors.As(err, &ae) && ae.retryAfter > 0 {
				wait = ae.retryAfter
			}
			if serr := a.sleep(ctx, wait); serr != nil {
				return fmt.Errorf("%w (gave up waiting: %w)", err, serr)
			}
			continue
		}
		return err
	}
}

// roundTrip sends one request. Answers that are not 2xx become *APIError.
func (a *api) roundTrip(ctx context.Context, method, u string, header map[string]string, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return a.exchange(req, path, out)
}

// exchange sends req and decodes a 2xx answer into out. Answers that are not
// 2xx become *APIError.
func (a *api) exchange(req *http.Request, path string, out any) error {
	ctx := req.Context()
	resp, err := a.http.Do(req)
	if err != nil {
		// The error names the URL, which for the old API holds the token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", bot.ErrTemporary, err) // DingTalk unreachable
		}
		return fmt.Errorf("dingtalk: %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("dingtalk: %s: read answer: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		ae := &APIError{Path: path, Status: resp.StatusCode, Code: e.Code, Message: e.Message}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			ae.retryAfter = min(time.Duration(s)*time.Second, time.Minute)
		}
		return ae
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("dingtalk: %s: decode answer: %w", path, err)
	}
	return nil
}
