package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/internal/seal"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 8 * time.Hour

// cookieName is the session cookie. __Host- would pin it to the host and
// a secure origin; it needs HTTPS, which the embedded default may not have.
const cookieName = "perfbot_dashboard"

var sessionAudience = seal.Web("dashboard-session")

// errNoSession is a request without a good session cookie.
var errNoSession = errors.New("dashboard: not signed in")

// sessions seal the signed-in person into the cookie: no table to keep,
// and every replica opens what another set.
type sessions struct {
	ring *seal.Ring
}

func newSessions(key seal.Key, clock func() time.Time) (sessions, error) {
	ring, err := seal.NewRing(SessionLifetime, clock, key)
	if err != nil {
		return sessions{}, fmt.Errorf("dashboard: sessions: %w", err)
	}
	return sessions{ring: ring}, nil
}

// set signs person in on w. secure marks the cookie for HTTPS only.
func (s sessions) set(w http.ResponseWriter, person int64, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: s.ring.Sign(sessionAudience, strconv.FormatInt(person, 10)),
		Path: BasePath, MaxAge: int(SessionLifetime / time.Second),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
	})
}

// clear signs out on w.
func (s sessions) clear(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: BasePath, MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// person is who r's session signs in.
func (s sessions) person(r *http.Request) (int64, error) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return 0, errNoSession
	}
	v, err := s.ring.Open(c.Value, sessionAudience)
	if err != nil {
		return 0, errNoSession
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNoSession
	}
	return id, nil
}
