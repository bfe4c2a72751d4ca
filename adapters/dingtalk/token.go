package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/perfbot/perfbot/internal/dialog"
)

// refreshBefore is how long before its expiry a token is replaced, so a call
// never starts with a token about to die.
const refreshBefore = 10 * time.Minute

// tokens is the app's access token, cached in the dialog store so every
// replica shares one (Redis), or in-process on the embedded default.
type tokens struct {
	cfg   Config
	store dialog.Store
	key   string
	fetch func(ctx context.Context) (token string, expiresIn time.Duration, err error)
	now   func() time.Time
}

type cachedToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func newTokens(cfg Config, store dialog.Store, a *api, now func() time.Time) *tokens {
	t := &tokens{cfg: cfg, store: store, key: "token:dingtalk:" + cfg.ClientID, now: now}
	t.fetch = func(ctx context.Context) (string, time.Duration, error) {
		var out struct {
			AccessToken string `json:"accessToken"`
			ExpireIn    int64  `json:"expireIn"`
		}
		in := map[string]string{"appKey": cfg.ClientID, "appSecret": cfg.ClientSecret}
		if err := a.roundTrip(ctx, http.MethodPost, cfg.APIBase+"/v1.0/oauth2/accessToken", nil, "/v1.0/oauth2/accessToken", in, &out); err != nil {
			return "", 0, err
		}
		if out.AccessToken == "" {
			return "", 0, errors.New("dingtalk: accessToken: empty token")
		}
		return out.AccessToken, time.Duration(out.ExpireIn) * time.Second, nil
	}
	return t
}

// get returns a token valid for at least refreshBefore.
func (t *tokens) get(ctx context.Context) (string, error) {
	for range 3 {
		raw, version, err := t.store.Get(ctx, t.key)
		if err != nil {
			return "", fmt.Errorf("dingtalk: read token: %w", err)
		}
		var c cachedToken
		if raw != nil && json.Unmarshal(raw, &c) == nil && c.ExpiresAt.Sub(t.now()) > refreshBefore {
			return c.Token, nil
		}
		tok, ttl, err := t.fetch(ctx)
		if err != nil {
			return "", fmt.Errorf("dingtalk: get access token: %w", err)
		}
		if ttl <= refreshBefore {
			ttl = 2 * refreshBefore // DingTalk gives 7200 s; never cache for nothing
		}
		c = cachedToken{Token: tok, ExpiresAt: t.now().Add(ttl)}
		raw, _ = json.Marshal(c)
		_, err = t.store.Set(ctx, t.key, version, raw, ttl)
		if errors.Is(err, dialog.ErrConflict) {
			// Another replica refreshed at the same time; use what it stored.
			continue
		}
		if err != nil {
			return "", fmt.Errorf("dingtalk: store token: %w", err)
		}
		return tok, nil
	}
	return "", errors.New("dingtalk: access token: too much contention")
}

// invalidate drops token from the cache if it is still the cached one, so
// the next get fetches a fresh one.
func (t *tokens) invalidate(ctx context.Context, token string) {
	raw, version, err := t.store.Get(ctx, t.key)
	if err != nil || raw == nil {
		return
	}
	var c cachedToken
	if json.Unmarshal(raw, &c) == nil && c.Token == token {
		_, _ = t.store.Set(ctx, t.key, version, nil, time.Minute)
	}
}
