package hook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Jira's webhook headers.
const (
	headerJiraSignature = "X-Hub-Signature"
	headerJiraDelivery  = "X-Atlassian-Webhook-Identifier"
	headerAuthorization = "Authorization"
)

// JiraResolved is the occurrence Jira reports: an issue moved into a
// status of the done category.
const JiraResolved = "issue.resolved"

// Jira takes Jira Cloud's admin webhooks, signed when a secret is set with
// X-Hub-Signature: "sha256=" and the hex HMAC-SHA256 of the body; and, as
// the alternative, an Automation rule's "Send web request" with the
// header Authorization: Bearer <token> and the issue as its body ("Issue
// data (Jira format)"). Either may be configured, or both.
type Jira struct {
	Secret string // the admin webhook's secret
	Token  string // the Automation rule's bearer token
}

func (Jira) Name() string { return string(bot.Jira) }

func (Jira) Events() []string { return []string{JiraResolved} }

func (j Jira) Verify(r *http.Request, body []byte, _ time.Time) error {
	if sig := r.Header.Get(headerJiraSignature); sig != "" && j.Secret != "" {
		hexSum, ok := strings.CutPrefix(sig, "sha256=")
		sum, err := hex.DecodeString(hexSum)
		if !ok || err != nil || len(sum) != sha256.Size {
			return &AuthError{headerJiraSignature, `not "sha256=<hex>"`}
		}
		if !hmac.Equal(sum, hmacSHA256(j.Secret, body)) {
			return &AuthError{headerJiraSignature, "the signature does not match: the webhook's secret in Jira differs from perfbot's"}
		}
		return nil
	}
	if token, ok := strings.CutPrefix(r.Header.Get(headerAuthorization), "Bearer "); ok && j.Token != "" {
		if !sameSecret(strings.TrimSpace(token), j.Token) {
			return &AuthError{headerAuthorization, "the bearer token is not perfbot's Jira Automation token"}
		}
		return nil
	}
	if j.Secret != "" {
		return &AuthError{headerJiraSignature, "missing: give the Jira webhook perfbot's secret (Jira settings, System, WebHooks, Secret)"}
	}
	return &AuthError{headerAuthorization, `missing: add the header "Authorization: Bearer <perfbot's Jira token>" to the Automation rule's web request`}
}

type jiraUser struct {
	AccountID    string `json:"accountId"`
	EmailAddress string `json:"emailAddress"`
}

// jiraIssue is an issue as the REST API and the webhooks give it.
type jiraIssue struct {
	Key    string `json:"key"`
	Self   string `json:"self"`
	Fields struct {
		Summary string `json:"summary"`
		Updated string `json:"updated"`
		Status  struct {
			Name           string `json:"name"`
			StatusCategory struct {
				Key string `json:"key"`
			} `json:"statusCategory"`
		} `json:"status"`
		Assignee *jiraUser `json:"assignee"`
		Project  struct {
			Key string `json:"key"`
		} `json:"project"`
		Labels []string `json:"labels"`
	} `json:"fields"`
}

// jiraPayload is an admin webhook's body; an Automation rule's is the
// issue alone, with no webhookEvent.
type jiraPayload struct {
	WebhookEvent string    `json:"webhookEvent"`
	User         jiraUser  `json:"user"`
	Issue        jiraIssue `json:"issue"`
	Changelog    struct {
		Items []struct {
			Field string `json:"field"`
		} `json:"items"`
	} `json:"changelog"`
}

func (Jira) Decode(h http.Header, body []byte) (Delivery, error) {
	d := Delivery{ID: h.Get(headerJiraDelivery)}
	var p jiraPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return d, fmt.Errorf("hook: jira payload: %w", err)
	}
	issue := p.Issue
	switch p.WebhookEvent {
	case "jira:issue_updated":
		moved := false
		for _, it := range p.Changelog.Items {
			moved = moved || it.Field == "status"
		}
		if !moved {
			return d, nil
		}
	case "":
		// An Automation rule: the body is the issue. Its retries repeat
		// the body, a later transition changes "updated"; the digest of
		// the body that stands in for the delivery id tells them apart.
		if err := json.Unmarshal(body, &issue); err != nil {
			return d, fmt.Errorf("hook: jira issue: %w", err)
		}
		d.ID = ""
	default:
		return d, nil
	}
	f := issue.Fields
	if f.Status.StatusCategory.Key != "done" || issue.Key == "" {
		return d, nil
	}
	o := Occurrence{Event: JiraResolved, Project: f.Project.Key, Labels: f.Labels,
		Title: issue.Key + " " + f.Summary, URL: browseURL(issue.Self, issue.Key)}
	// The assignee resolved it; without one, whoever moved it.
	who := p.User
	if f.Assignee != nil && f.Assignee.AccountID != "" {
		who = *f.Assignee
	}
	o.Accounts, o.Emails = accounts(bot.Jira, who.AccountID), emails(who.EmailAddress)
	d.Events = []Occurrence{o}
	return d, nil
}

// browseURL is the page of issue key on the site of its REST URL self.
func browseURL(self, key string) string {
	u, err := url.Parse(self)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/browse/" + url.PathEscape(key)
}
