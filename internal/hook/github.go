package hook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// GitHub's webhook headers.
const (
	headerGitHubSignature = "X-Hub-Signature-256"
	headerGitHubEvent     = "X-GitHub-Event"
	headerGitHubDelivery  = "X-GitHub-Delivery"
)

// The occurrences GitHub reports.
const (
	GitHubMerged   = "pull_request.merged"
	GitHubClosed   = "issues.closed"
	GitHubReleased = "release.published"
)

// GitHub takes a repository's or organisation's webhook: each delivery is
// signed with X-Hub-Signature-256, "sha256=" and the hex HMAC-SHA256 of the
// raw body under the webhook's secret.
type GitHub struct{ Secret string }

func (GitHub) Name() string { return string(bot.GitHub) }

func (GitHub) Events() []string { return []string{GitHubMerged, GitHubClosed, GitHubReleased} }

func (g GitHub) Verify(r *http.Request, body []byte, _ time.Time) error {
	hexSum, ok := strings.CutPrefix(r.Header.Get(headerGitHubSignature), "sha256=")
	sum, err := hex.DecodeString(hexSum)
	if !ok || err != nil || len(sum) != sha256.Size {
		return &AuthError{headerGitHubSignature, `missing or not "sha256=<hex>": give the webhook perfbot's secret in GitHub (Settings, Webhooks, Secret)`}
	}
	if !hmac.Equal(sum, hmacSHA256(g.Secret, body)) {
		return &AuthError{headerGitHubSignature, "the signature does not match: the webhook's secret in GitHub differs from perfbot's"}
	}
	return nil
}

// githubUser is a GitHub account in a payload.
type githubUser struct {
	Login string `json:"login"`
}

type githubLabel struct {
	Name string `json:"name"`
}

// githubPayload has the fields of the pull_request, issues and release
// events that perfbot reads.
type githubPayload struct {
	Action      string `json:"action"`
	PullRequest *struct {
		Number  int           `json:"number"`
		Title   string        `json:"title"`
		HTMLURL string        `json:"html_url"`
		Merged  bool          `json:"merged"`
		User    githubUser    `json:"user"`
		Labels  []githubLabel `json:"labels"`
	} `json:"pull_request"`
	Issue *struct {
		Number      int           `json:"number"`
		Title       string        `json:"title"`
		HTMLURL     string        `json:"html_url"`
		StateReason string        `json:"state_reason"`
		Assignees   []githubUser  `json:"assignees"`
		Labels      []githubLabel `json:"labels"`
	} `json:"issue"`
	Release *struct {
		Name    string     `json:"name"`
		TagName string     `json:"tag_name"`
		HTMLURL string     `json:"html_url"`
		Author  githubUser `json:"author"`
	} `json:"release"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
	Sender githubUser `json:"sender"`
}

func (GitHub) Decode(h http.Header, body []byte) (Delivery, error) {
	d := Delivery{ID: h.Get(headerGitHubDelivery)}
	event := h.Get(headerGitHubEvent)
	if event == "ping" {
		d.Ping = true
		return d, nil
	}
	body, err := githubJSON(h, body)
	if err != nil {
		return d, err
	}
	var p githubPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return d, fmt.Errorf("hook: github %s payload: %w", event, err)
	}
	repo := p.Repository.FullName
	o := Occurrence{Repository: repo, Project: repo}
	switch {
	case event == "pull_request" && p.Action == "closed" && p.PullRequest != nil && p.PullRequest.Merged:
		pr := p.PullRequest
		o.Event, o.Title, o.URL = GitHubMerged, fmt.Sprintf("%s#%d %s", repo, pr.Number, pr.Title), pr.HTMLURL
		o.Labels = githubLabels(pr.Labels)
		o.Accounts = accounts(bot.GitHub, pr.User.Login)
	case event == "issues" && p.Action == "closed" && p.Issue != nil && p.Issue.StateReason != "not_planned":
		is := p.Issue
		o.Event, o.Title, o.URL = GitHubClosed, fmt.Sprintf("%s#%d %s", repo, is.Number, is.Title), is.HTMLURL
		o.Labels = githubLabels(is.Labels)
		// The assignees did the work; without one, whoever closed it.
		for _, a := range is.Assignees {
			o.Accounts = append(o.Accounts, accounts(bot.GitHub, a.Login)...)
		}
		if len(o.Accounts) == 0 {
			o.Accounts = accounts(bot.GitHub, p.Sender.Login)
		}
	case event == "release" && p.Action == "published" && p.Release != nil:
		rel := p.Release
		name := rel.Name
		if name == "" {
			name = rel.TagName
		}
		o.Event, o.Title, o.URL = GitHubReleased, repo+" "+name, rel.HTMLURL
		o.Accounts = accounts(bot.GitHub, rel.Author.Login)
	default:
		return d, nil
	}
	d.Events = []Occurrence{o}
	return d, nil
}

// githubJSON is the JSON of a delivery: the body, or its payload field when
// the webhook's content type is application/x-www-form-urlencoded.
func githubJSON(h http.Header, body []byte) ([]byte, error) {
	if ct, _, _ := mime.ParseMediaType(h.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return body, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("hook: github form body: %w", err)
	}
	return []byte(form.Get("payload")), nil
}

func githubLabels(ls []githubLabel) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}
