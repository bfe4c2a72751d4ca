package hook

import (
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// maxSkew is how far a timestamp may be from the clock.
	maxSkew = 5 * time.Minute
	// replayTTL keeps a claim while its signature could still be accepted:
	// a timestamp up to maxSkew ahead stays good for maxSkew after that.
	replayTTL = 2*maxSkew + time.Minute
)

// signed is an authenticated request.
type signed struct {
	source    string
	signature string // lower-case hex, so "ABC" and "abc" are one replay
	body      []byte
}

// authenticate reads r's body once r is known to come from a configured
// source, in time and signed with its secret. Cheap checks come first, so
// an unknown sender's body is never read.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (signed, *problem) {
	unauthorized := func(field, msg string, args ...any) (signed, *problem) {
		return signed{}, &problem{status: http.StatusUnauthorized, field: field, msg: fmt.Sprintf(msg, args...)}
	}
	source := r.Header.Get(HeaderSource)
	if source == "" {
		return unauthorized(HeaderSource, "the %s header is missing: it names the system sending the event", HeaderSource)
	}
	secret, ok := h.secrets[source]
	if !ok {
		return unauthorized(HeaderSource, "unknown source: perfbot has no secret for it (PERFBOT_HOOK_SECRETS)")
	}
	ts := r.Header.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return unauthorized(HeaderTimestamp, "the %s header must be the time of sending in unix seconds", HeaderTimestamp)
	}
	now := h.now()
	if skew := now.Sub(time.Unix(sec, 0)); skew > maxSkew || skew < -maxSkew {
		return unauthorized(HeaderTimestamp, "the timestamp is more than 5 minutes from perfbot's clock (now %d): check the sender's clock, and sign each request when sending it", now.Unix())
	}
	got, ok := strings.CutPrefix(r.Header.Get(HeaderSignature), "sha256=")
	sum, err := hex.DecodeString(got)
	if !ok || err != nil || len(sum) == 0 {
		return unauthorized(HeaderSignature, `the %s header must be "sha256=" and the hex HMAC-SHA256 of timestamp + "." + body`, HeaderSignature)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if _, big := errors.AsType[*http.MaxBytesError](err); big {
		return signed{}, &problem{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the body is larger than %d bytes", MaxBody)}
	}
	if err != nil {
		return signed{}, &problem{status: http.StatusBadRequest, msg: "the body could not be read"}
	}
	if !hmac.Equal(sum, mac(secret, ts, body)) {
		return unauthorized(HeaderSignature, `the signature does not match: sign timestamp + "." + the exact body bytes with this source's secret`)
	}
	return signed{source: source, signature: hex.EncodeToString(sum), body: body}, nil
}
