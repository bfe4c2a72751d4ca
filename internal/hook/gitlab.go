package hook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// GitLab's webhook headers.
const (
	headerGitLabToken = "X-Gitlab-Token"
	headerGitLabEvent = "X-Gitlab-Event"
	headerGitLabUUID  = "X-Gitlab-Event-UUID"
)

// The occurrences GitLab reports.
const (
	GitLabMerged   = "merge_request.merged"
	GitLabClosed   = "issue.closed"
	GitLabReleased = "release.created"
)

// GitLab takes a project's or group's webhook. GitLab does not sign: it
// sends the webhook's secret token itself in X-Gitlab-Token, compared here
// in constant time.
type GitLab struct{ Token string }

func (GitLab) Name() string { return string(bot.GitLab) }

func (GitLab) Events() []string { return []string{GitLabMerged, GitLabClosed, GitLabReleased} }

func (g GitLab) Verify(r *http.Request, _ []byte, _ time.Time) error {
	if !sameSecret(r.Header.Get(headerGitLabToken), g.Token) {
		return &AuthError{headerGitLabToken, "missing or wrong: give the webhook perfbot's secret as its Secret token in GitLab"}
	}
	return nil
}

type gitlabUser struct {
	Username string `json:"username"`
	Email    string `json:"email"`
}

type gitlabLabel struct {
	Title string `json:"title"`
}

type gitlabCommit struct {
	Author struct {
		Email string `json:"email"`
	} `json:"author"`
}

// gitlabPayload has the fields of the Merge Request, Issue and Release
// hooks that perfbot reads.
type gitlabPayload struct {
	ObjectKind string     `json:"object_kind"`
	User       gitlabUser `json:"user"`
	Project    struct {
		PathWithNamespace string `json:"path_with_namespace"`
	} `json:"project"`
	ObjectAttributes struct {
		IID        int          `json:"iid"`
		Title      string       `json:"title"`
		URL        string       `json:"url"`
		Action     string       `json:"action"`
		LastCommit gitlabCommit `json:"last_commit"`
	} `json:"object_attributes"`
	Labels    []gitlabLabel `json:"labels"`
	Assignees []gitlabUser  `json:"assignees"`
	// A release's fields are at the top.
	Action string       `json:"action"`
	Name   string       `json:"name"`
	Tag    string       `json:"tag"`
	URL    string       `json:"url"`
	Commit gitlabCommit `json:"commit"`
}

func (GitLab) Decode(h http.Header, body []byte) (Delivery, error) {
	d := Delivery{ID: h.Get(headerGitLabUUID)}
	event := h.Get(headerGitLabEvent)
	var p gitlabPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return d, fmt.Errorf("hook: gitlab %s payload: %w", event, err)
	}
	project := p.Project.PathWithNamespace
	a := p.ObjectAttributes
	o := Occurrence{Repository: project, Project: project}
	assignees := func() []bot.Identity {
		var ids []bot.Identity
		for _, u := range p.Assignees {
			ids = append(ids, accounts(bot.GitLab, u.Username)...)
		}
		return ids
	}
	switch {
	case event == "Merge Request Hook" && p.ObjectKind == "merge_request" && a.Action == "merge":
		// The payload names the author only by id: the assignees are who
		// did the work, then the author of the last commit by email. The
		// user is whoever merged, not credited.
		o.Event, o.Title, o.URL = GitLabMerged, fmt.Sprintf("%s!%d %s", project, a.IID, a.Title), a.URL
		o.Labels = gitlabLabels(p.Labels)
		o.Accounts, o.Emails = assignees(), emails(a.LastCommit.Author.Email)
	case event == "Issue Hook" && p.ObjectKind == "issue" && a.Action == "close":
		o.Event, o.Title, o.URL = GitLabClosed, fmt.Sprintf("%s#%d %s", project, a.IID, a.Title), a.URL
		o.Labels = gitlabLabels(p.Labels)
		o.Accounts = assignees()
		if len(o.Accounts) == 0 {
			o.Accounts, o.Emails = accounts(bot.GitLab, p.User.Username), emails(p.User.Email)
		}
	case event == "Release Hook" && p.ObjectKind == "release" && p.Action == "create":
		name := p.Name
		if name == "" {
			name = p.Tag
		}
		// A release names no user: the author of its commit, by email.
		o.Event, o.Title, o.URL = GitLabReleased, project+" "+name, p.URL
		o.Emails = emails(p.Commit.Author.Email)
	default:
		return d, nil
	}
	d.Events = []Occurrence{o}
	return d, nil
}

func gitlabLabels(ls []gitlabLabel) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.Title)
	}
	return out
}
