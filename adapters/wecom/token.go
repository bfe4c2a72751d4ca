package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/perfbot/perfbot/internal/dialog"
)

// tokenSource hands out the app's access token, kept in the dialog store so
// every replica shares one (WeCom limits how often gettoken may be called).
// A token is refreshed a little before it expires; a replica that loses the
// race to store a fresh one uses the winner's.
type tokenSource struct {
	store dialog.Store
	key   string
	now   func() time.Time
	fetch func(ctx context.Context) (token string, lifetime time.Duration, err error)
	mu    sync.Mutex // one refresh at a time in this process
}

// storedToken is the value under the token key.
type storedToken struct {
	Token string `json:"token"`
	// RefreshAt is when to stop using the token and get a new one: a few
	// minutes before WeCom's expiry.
	RefreshAt time.Time `json:"refresh_at"`
}

// Token returns a token that is not about to expire.
func (s *tokenSource) Token(ctx context.Context) (string, error) {
	if tok, _, ok, err := s.read(ctx); err != nil || ok {
		return tok.Token, err
	}
	return s.Refresh(ctx, "")
}

// Refresh gets a new token. stale, when set, is a token WeCom just
// rejected: a stored token other than it is taken as already refreshed by
// someone else.
func (s *tokenSource) Refresh(ctx context.Context, stale string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, version, ok, err := s.read(ctx)
	if err != nil {
		return "", err
	}
	if ok && (stale == "" || cur.Token != stale) {
		return cur.Token, nil
	}
	token, lifetime, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	early := min(5*time.Minute, lifetime/4)
	raw, err := json.Marshal(storedToken{Token: token, RefreshAt: s.now().Add(lifetime - early)})
	if err != nil {
		return "", err
	}
	_, err = s.store.Set(ctx, s.key, version, raw, lifetime)
	if errors.Is(err, dialog.ErrConflict) {
		// Another replica stored one first. WeCom hands out the same token
		// while it is valid, so either works; prefer the stored one.
		if won, _, ok, rerr := s.read(ctx); rerr == nil && ok {
			return won.Token, nil
		}
		return token, nil
	}
	if err != nil {
		return "", fmt.Errorf("wecom: store access token: %w", err)
	}
	return token, nil
}

// read returns the stored token, its version, and whether it is still good
// to use.
func (s *tokenSource) read(ctx context.Context) (storedToken, int64, bool, error) {
	raw, version, err := s.store.Get(ctx, s.key)
	if err != nil {
		return storedToken{}, 0, false, fmt.Errorf("wecom: read access token: %w", err)
	}
	var t storedToken
	if raw == nil || json.Unmarshal(raw, &t) != nil || t.Token == "" {
		return storedToken{}, version, false, nil
	}
	return t, version, s.now().Before(t.RefreshAt), nil
}

// tokenAnswer is gettoken's answer.
type tokenAnswer struct {
	status
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// getToken calls gettoken. Its URL carries the secret, which no error shows.
func (c *client) getToken(ctx context.Context, corpID, secret string) (string, time.Duration, error) {
	var ans tokenAnswer
	err := c.limited(ctx, func() error {
		return c.getJSON(ctx, "gettoken", "/cgi-bin/gettoken", "", url.Values{"corpid": {corpID}, "corpsecret": {secret}}, &ans)
	})
	if err != nil {
		c.metrics.calls.WithLabelValues("gettoken", "error").Inc()
		return "", 0, err
	}
	c.metrics.calls.WithLabelValues("gettoken", "ok").Inc()
	if ans.AccessToken == "" || ans.ExpiresIn <= 0 {
		return "", 0, errors.New("wecom: gettoken: answer without a token")
	}
	return ans.AccessToken, time.Duration(ans.ExpiresIn) * time.Second, nil
}
