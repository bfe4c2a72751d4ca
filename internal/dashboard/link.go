package dashboard

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/perfbot/perfbot/internal/seal"
)

// LinkLifetime is how long a sign-in link may be used.
const LinkLifetime = 10 * time.Minute

var (
	// ErrLinkInvalid is a sign-in link perfbot did not issue, or altered.
	ErrLinkInvalid = errors.New("dashboard: sign-in link not valid")
	// ErrLinkExpired is a genuine link older than LinkLifetime.
	ErrLinkExpired = errors.New("dashboard: sign-in link expired")
	// ErrLinkUsed is a link that signed someone in already.
	ErrLinkUsed = errors.New("dashboard: sign-in link already used")
)

// Claimer takes a key once: store.ClaimStore.
type Claimer interface {
	ClaimKey(ctx context.Context, key string, at, until time.Time) (bool, error)
}

// Links issues and redeems one-time sign-in links.
type Links struct {
	ring   *seal.Ring
	claims Claimer
	base   atomic.Pointer[string]
	now    func() time.Time
}

// NewLinks returns links signed with key, pointing at base (the
// dashboard's public URL, e.g. https://perfbot.example.com), their single
// use claimed through claims.
func NewLinks(key seal.Key, base string, claims Claimer, clock func() time.Time) (*Links, error) {
	ring, err := seal.NewRing(LinkLifetime, clock, key)
	if err != nil {
		return nil, fmt.Errorf("dashboard: links: %w", err)
	}
	l := &Links{ring: ring, claims: claims, now: clock}
	l.SetBase(base)
	return l, nil
}

// SetBase changes the links' base URL: for a server that learns its
// address once listening (port 0). Links minted before keep theirs.
func (l *Links) SetBase(base string) {
	b := strings.TrimSuffix(base, "/")
	l.base.Store(&b)
}

var linkAudience = seal.Web("dashboard-link")

// Mint returns a fresh sign-in link for person.
func (l *Links) Mint(person int64) string {
	token := l.ring.Sign(linkAudience, strconv.FormatInt(person, 10)+"."+rand.Text())
	return *l.base.Load() + LoginPath + "?t=" + url.QueryEscape(token)
}

// check opens token without using it: the person it was issued to, and the
// nonce that makes it one of a kind.
func (l *Links) check(token string) (person int64, nonce string, err error) {
	v, err := l.ring.Open(token, linkAudience)
	switch {
	case errors.Is(err, seal.ErrExpired):
		return 0, "", ErrLinkExpired
	case err != nil:
		return 0, "", ErrLinkInvalid
	}
	id, nonce, ok := strings.Cut(v, ".")
	person, perr := strconv.ParseInt(id, 10, 64)
	if !ok || perr != nil || person <= 0 || nonce == "" {
		return 0, "", ErrLinkInvalid
	}
	return person, nonce, nil
}

// Redeem uses token up and returns the person it signs in. A second
// redemption, on this replica or any other, is ErrLinkUsed.
func (l *Links) Redeem(ctx context.Context, token string) (int64, error) {
	person, nonce, err := l.check(token)
	if err != nil {
		return 0, err
	}
	now := l.now()
	// The claim outlives the link, so it cannot be taken again while the
	// link still opens.
	ok, err := l.claims.ClaimKey(ctx, "dashboard-link:"+nonce, now, now.Add(2*LinkLifetime))
	if err != nil {
		return 0, fmt.Errorf("dashboard: redeem link: %w", err)
	}
	if !ok {
		return 0, ErrLinkUsed
	}
	return person, nil
}
