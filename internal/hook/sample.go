package hook

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// samples are payloads in each tool's documented shape (samples/README.md
// says where each comes from): the tests replay them, and `perfbot hooks
// test` sends one to a running perfbot.
//
//go:embed samples/*.json
var samples embed.FS

// Sample returns the sample payload name ("github-pull_request-merged").
func Sample(name string) ([]byte, error) {
	b, err := samples.ReadFile("samples/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("hook: no sample %q: %w", name, err)
	}
	return b, nil
}

// Signer sends as its tool would: the sources have these methods, for
// `perfbot hooks test` and the tests.
type Signer interface {
	// Stamp gives the delivery r with body the id the tool would, and
	// returns the body, changed when the id is in it.
	Stamp(r *http.Request, body []byte, id string) []byte
	// Sign signs r, whose body is body.
	Sign(r *http.Request, body []byte, now time.Time)
}

func (GitHub) Stamp(r *http.Request, body []byte, id string) []byte {
	r.Header.Set(headerGitHubDelivery, id)
	return body
}

func (GitLab) Stamp(r *http.Request, body []byte, id string) []byte {
	r.Header.Set(headerGitLabUUID, id)
	return body
}

// Stamp sets the admin webhook's delivery header; an Automation rule's
// body has no id (its digest stands in).
func (Jira) Stamp(r *http.Request, body []byte, id string) []byte {
	r.Header.Set(headerJiraDelivery, id)
	return body
}

// Stamp numbers the batch's events anew from id: HubSpot's ids are in the
// body.
func (HubSpot) Stamp(_ *http.Request, body []byte, id string) []byte {
	var batch []map[string]any
	if json.Unmarshal(body, &batch) != nil {
		return body
	}
	sum := sha256.Sum256([]byte(id))
	base := binary.BigEndian.Uint32(sum[:]) // a fresh number per id
	for i, e := range batch {
		e["eventId"] = uint64(base) + uint64(i)
	}
	out, err := json.Marshal(batch)
	if err != nil {
		return body
	}
	return out
}

func (g GitHub) Sign(r *http.Request, body []byte, _ time.Time) {
	r.Header.Set(headerGitHubSignature, "sha256="+hex.EncodeToString(hmacSHA256(g.Secret, body)))
}

func (g GitLab) Sign(r *http.Request, _ []byte, _ time.Time) {
	r.Header.Set(headerGitLabToken, g.Token)
}

// Sign signs as the admin webhook does when a secret is set, else with
// the Automation rule's bearer token.
func (j Jira) Sign(r *http.Request, body []byte, _ time.Time) {
	if j.Secret != "" {
		r.Header.Set(headerJiraSignature, "sha256="+hex.EncodeToString(hmacSHA256(j.Secret, body)))
		return
	}
	r.Header.Set(headerAuthorization, "Bearer "+j.Token)
}

func (s HubSpot) Sign(r *http.Request, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	r.Header.Set(headerHubSpotTimestamp, ts)
	sum := hmacSHA256(s.Secret, []byte(r.Method), []byte(s.uri(r)), body, []byte(ts))
	r.Header.Set(headerHubSpotSignature, base64.StdEncoding.EncodeToString(sum))
}

// sampleHeaders are the headers a tool sends with each sample, besides
// its signature.
var sampleHeaders = map[string]http.Header{
	"github-pull_request-merged":          {headerGitHubEvent: {"pull_request"}},
	"github-pull_request-closed-unmerged": {headerGitHubEvent: {"pull_request"}},
	"github-issues-closed":                {headerGitHubEvent: {"issues"}},
	"github-release-published":            {headerGitHubEvent: {"release"}},
	"github-ping":                         {headerGitHubEvent: {"ping"}},
	"gitlab-merge_request-merge":          {headerGitLabEvent: {"Merge Request Hook"}},
	"gitlab-issue-close":                  {headerGitLabEvent: {"Issue Hook"}},
	"gitlab-release-create":               {headerGitLabEvent: {"Release Hook"}},
	"jira-issue_updated-done":             {},
	"jira-issue_updated-summary":          {},
	"jira-automation-issue":               {},
	"hubspot-deal-stage":                  {},
}

// SampleRequest is a request to url carrying sample name, with the headers
// its tool sends and a fresh delivery id (delivery), signed by s.
func SampleRequest(s Signer, name, url, delivery string, now time.Time) (*http.Request, error) {
	body, err := Sample(name)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return nil, fmt.Errorf("hook: sample request: %w", err)
	}
	r.Header.Set("Content-Type", "application/json")
	for k, vs := range sampleHeaders[name] {
		r.Header[k] = vs
	}
	body = s.Stamp(r, body, delivery)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	s.Sign(r, body, now)
	return r, nil
}
