package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	// MaxBody is the largest request body taken; Slack's are far smaller.
	MaxBody = 1 << 20
	// maxSkew is how far a request's timestamp may be from the clock
	// before it is taken for a replay.
	maxSkew = 5 * time.Minute
)

var (
	// ErrBadSignature is returned for a request whose signature is missing
	// or does not match the signing secret.
	ErrBadSignature = errors.New("slack: bad request signature")
	// ErrStale is returned for a request whose timestamp is missing or more
	// than five minutes from the clock.
	ErrStale = errors.New("slack: request timestamp out of range")
	// ErrTooLarge is returned for a request body over MaxBody.
	ErrTooLarge = errors.New("slack: request body too large")
)

// Sign returns the X-Slack-Signature of body sent at timestamp: "v0=" and
// the hex HMAC-SHA256 of "v0:timestamp:body" under secret.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", timestamp)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// verifier checks that requests come from Slack.
type verifier struct {
	secret string
	now    func() time.Time
}

// read returns r's body once it is known to be Slack's: small enough,
// fresh, and signed with the secret.
func (v verifier) read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if _, big := errors.AsType[*http.MaxBytesError](err); big {
		return nil, ErrTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("slack: read request: %w", err)
	}
	ts := r.Header.Get("X-Slack-Request-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, ErrStale
	}
	if skew := v.now().Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return nil, ErrStale
	}
	got := r.Header.Get("X-Slack-Signature")
	if got == "" || !hmac.Equal([]byte(got), []byte(Sign(v.secret, ts, body))) {
		return nil, ErrBadSignature
	}
	return body, nil
}

// refuse answers a request read refused.
func refuse(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrTooLarge):
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
	case errors.Is(err, ErrBadSignature), errors.Is(err, ErrStale):
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
	default:
		http.Error(w, "bad request", http.StatusBadRequest)
	}
}
