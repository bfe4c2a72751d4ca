package hook

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"net/http"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Source is a business tool that posts its own webhooks to
// /hooks/<Name>: it checks the tool's own signature and reads the tool's
// own payload into business occurrences. Each tool has a file of its own
// (github.go, gitlab.go, jira.go, hubspot.go); what an occurrence becomes
// is the rules' business, not the source's.
type Source interface {
	Name() string
	// Events are the occurrence events Decode may return, for the rules
	// file to be checked against.
	Events() []string
	// Verify authenticates r, whose body was read whole, by the tool's own
	// scheme. A refusal is an *AuthError naming the header at fault.
	Verify(r *http.Request, body []byte, now time.Time) error
	// Decode reads a verified request. An event of no interest is a
	// Delivery without occurrences, not an error.
	Decode(h http.Header, body []byte) (Delivery, error)
}

// Delivery is what one webhook request carried.
type Delivery struct {
	// ID is the tool's id for the delivery, the same across its retries;
	// empty when the tool sends none, and a digest of the body stands in.
	ID string
	// Ping is a tool checking the URL: answered, nothing more.
	Ping   bool
	Events []Occurrence
}

// Occurrence is one thing that happened in a tool, before the rules map it
// to a kind of business event.
type Occurrence struct {
	// Key tells apart the occurrences of one delivery (a HubSpot batch);
	// empty for the only one.
	Key string
	// Event is the source's name for what happened: "pull_request.merged".
	Event string
	// The rules' filters read these; empty when the tool has none.
	Repository string
	Project    string
	Stage      string
	Labels     []string
	// Accounts are the tool accounts of the person to credit, best first
	// (Tenant empty); Emails are addresses to try after them.
	Accounts []bot.Identity
	Emails   []string
	Title    string
	URL      string
}

// AuthError is a request that did not prove it comes from the tool.
type AuthError struct {
	Header string // the header at fault
	Reason string // for the sender: what to fix; never a secret
}

func (e *AuthError) Error() string { return fmt.Sprintf("hook: %s: %s", e.Header, e.Reason) }

// hmacSHA256 is the HMAC-SHA256 under secret of parts, concatenated.
func hmacSHA256(secret string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// sameSecret compares a secret sent in plain text with the configured one
// in constant time, hashing both first so that not even the length leaks.
func sameSecret(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return got != "" && hmac.Equal(g[:], w[:])
}

// redacted is what GitLab sends for an email its owner keeps private.
const redacted = "[REDACTED]"

// emails drops the empty and redacted addresses of list.
func emails(list ...string) []string {
	var out []string
	for _, e := range list {
		if e != "" && e != redacted {
			out = append(out, e)
		}
	}
	return out
}

// accounts are the identities of handles on tool, skipping empty ones.
func accounts(tool bot.Platform, handles ...string) []bot.Identity {
	var out []bot.Identity
	for _, h := range handles {
		if id := bot.ToolAccount(tool, h); id.UserID != "" {
			out = append(out, id)
		}
	}
	return out
}
