package hook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/dialogtest"
	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/hook"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// The tools' secrets in these tests.
const (
	githubSecret  = "github-secret-0123456789"
	gitlabToken   = "gitlab-token-0123456789"
	jiraSecret    = "jira-secret-0123456789ab"
	jiraToken     = "jira-automation-0123456789"
	hubspotSecret = "8f742231-b10e-4888-abcd-99yyyzzz85a5"
)

// tools is a running Connectors over real stores, with Ada known by her
// accounts on every tool (the people of the sample payloads).
type tools struct {
	base     string
	prompter *recorder
	store    *sqlstore.Store
	clock    *dialogtest.Clock
	people   people
	sources  map[string]hook.Signer
}

func newTools(t *testing.T, b backend, rules *hook.Rules) *tools {
	t.Helper()
	clock := dialogtest.NewClock(now)
	st, err := sqlstore.Open(t.Context(), b.db(t), clock.Now)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	ps := seed(t, st)
	ada := ps["ada"]
	ada.Identities = append(ada.Identities,
		bot.ToolAccount(bot.GitHub, "Codertocat"), bot.ToolAccount(bot.GitLab, "user1"),
		bot.ToolAccount(bot.Jira, "5b10ac8d82e05b22cc7d4ef5"), bot.ToolAccount(bot.HubSpot, "74322246"))
	require.NoError(t, st.SavePerson(t.Context(), &ada))
	ps["ada"] = ada

	gh, gl := hook.GitHub{Secret: githubSecret}, hook.GitLab{Token: gitlabToken}
	jira, hs := hook.Jira{Secret: jiraSecret, Token: jiraToken}, hook.HubSpot{Secret: hubspotSecret}
	tl := &tools{prompter: &recorder{}, store: st, clock: clock, people: ps,
		sources: map[string]hook.Signer{"github": gh, "gitlab": gl, "jira": jira, "hubspot": hs}}
	c, err := hook.NewConnectors(hook.ConnectorOptions{
		Sources: []hook.Source{gh, gl, jira, hs}, Rules: rules,
		People: st, Replay: st, Unmatched: st, Prompter: tl.prompter, Clock: clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	c.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tl.base = srv.URL
	return tl
}

type answer struct {
	Status    int
	State     string   `json:"status"`
	Error     string   `json:"error"`
	Field     string   `json:"field"`
	Prompted  int      `json:"prompted"`
	Unmatched []string `json:"unmatched"`
}

// post sends sample name to source's webhook as the tool would, as
// delivery id, letting change alter the request before it goes.
func (tl *tools) post(t *testing.T, source, name, id string, change func(*http.Request)) answer {
	t.Helper()
	r, err := hook.SampleRequest(tl.sources[source], name, tl.base+hook.ToolPath(source), id, tl.clock.Now())
	require.NoError(t, err)
	if change != nil {
		change(r)
	}
	return do(t, r)
}

func do(t *testing.T, r *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer res.Body.Close()
	var a answer
	require.NoError(t, json.NewDecoder(res.Body).Decode(&a))
	require.Equal(t, "application/json; charset=utf-8", res.Header.Get("Content-Type"))
	a.Status = res.StatusCode
	return a
}

// Each tool's documented payload prompts the manager of the person it
// credits, with the kind its rule gives; the tool's retry of the same
// delivery is refused and prompts nobody again.
func TestToolWebhooksPromptOnce(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			tl := newTools(t, b, nil)
			ada := tl.people["ada"].ID
			cases := []struct {
				source, sample string
				want           hook.Event
			}{
				{"github", "github-pull_request-merged", hook.Event{Kind: "merge_request_merged",
					Title: "Codertocat/Hello-World#2 Update the README with new information.", URL: "https://github.com/Codertocat/Hello-World/pull/2"}},
				{"github", "github-issues-closed", hook.Event{Kind: "ticket_resolved",
					Title: "Codertocat/Hello-World#1 Spelling error in the README file", URL: "https://github.com/Codertocat/Hello-World/issues/1"}},
				{"github", "github-release-published", hook.Event{Kind: "release_shipped",
					Title: "Codertocat/Hello-World 0.0.1", URL: "https://github.com/Codertocat/Hello-World/releases/tag/0.0.1"}},
				{"gitlab", "gitlab-merge_request-merge", hook.Event{Kind: "merge_request_merged",
					Title: "gitlabhq/gitlab-test!1 MS-Viewport", URL: "http://example.com/diaspora/merge_requests/1"}},
				{"gitlab", "gitlab-issue-close", hook.Event{Kind: "ticket_resolved",
					Title: "gitlabhq/gitlab-test#23 New API: create/update/delete file", URL: "http://example.com/diaspora/issues/23"}},
				{"jira", "jira-issue_updated-done", hook.Event{Kind: "ticket_resolved",
					Title: "ED-1 Main order flow broken", URL: "https://your-domain.atlassian.net/browse/ED-1"}},
				{"hubspot", "hubspot-deal-stage", hook.Event{Kind: "deal_won",
					Title: "Deal 1246965", URL: "https://app.hubspot.com/contacts/33/record/0-3/1246965"}},
			}
			for i, c := range cases {
				id := "delivery-" + strconv.Itoa(i)
				a := tl.post(t, c.source, c.sample, id, nil)
				require.Equal(t, http.StatusAccepted, a.Status, "%s: %+v", c.sample, a)
				require.Equal(t, 1, a.Prompted, c.sample)
				c.want.PersonID, c.want.Source = ada, c.source
				got := tl.prompter.taken()
				require.Len(t, got, i+1, c.sample)
				require.Equal(t, c.want, got[i], c.sample)

				// The tool retries the very delivery: 409, nobody prompted.
				a = tl.post(t, c.source, c.sample, id, nil)
				require.Equal(t, http.StatusConflict, a.Status, c.sample)
				require.Len(t, tl.prompter.taken(), i+1, c.sample)
			}
		})
	}
}

// A tool that retries one delivery many times at once, on several
// replicas' worth of connections, still prompts the manager once.
func TestToolRetriesAtOncePromptOnce(t *testing.T) {
	tl := newTools(t, backends()[1], nil)
	var wg sync.WaitGroup
	statuses := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			r, err := hook.SampleRequest(tl.sources["github"], "github-pull_request-merged",
				tl.base+hook.ToolPath("github"), "72d3162e-cc78-11e3-81ab-4c9367dc0958", tl.clock.Now())
			if err != nil {
				statuses <- 0
				return
			}
			res, err := http.DefaultClient.Do(r)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	require.Equal(t, map[int]int{http.StatusAccepted: 1, http.StatusConflict: 7}, count)
	require.Len(t, tl.prompter.taken(), 1)
}

// Forged, unsigned and stale deliveries are refused with 401 naming the
// header, and nothing is kept: the genuine delivery is taken afterwards.
func TestToolWebhooksRefuseForgeries(t *testing.T) {
	tl := newTools(t, backends()[0], nil)
	forge := map[string]func(*http.Request){
		"github": func(r *http.Request) { r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64)) },
		"gitlab": func(r *http.Request) { r.Header.Set("X-Gitlab-Token", "gitlab-token-012345678X") },
		"jira":   func(r *http.Request) { r.Header.Set("X-Hub-Signature", "sha256="+strings.Repeat("ab", 32)) },
		"hubspot": func(r *http.Request) {
			r.Header.Set("X-HubSpot-Signature-v3", base64.StdEncoding.EncodeToString(make([]byte, 32)))
		},
	}
	missing := map[string]string{"github": "X-Hub-Signature-256", "gitlab": "X-Gitlab-Token", "jira": "X-Hub-Signature", "hubspot": "X-HubSpot-Signature-v3"}
	samples := map[string]string{"github": "github-pull_request-merged", "gitlab": "gitlab-merge_request-merge",
		"jira": "jira-issue_updated-done", "hubspot": "hubspot-deal-stage"}
	for source, sample := range samples {
		a := tl.post(t, source, sample, "d-"+source, forge[source])
		require.Equal(t, http.StatusUnauthorized, a.Status, source)
		require.Equal(t, missing[source], a.Field, source)
		a = tl.post(t, source, sample, "d-"+source, func(r *http.Request) { r.Header.Del(missing[source]) })
		require.Equal(t, http.StatusUnauthorized, a.Status, source)
		if source == "gitlab" {
			continue // GitLab signs nothing: its token is all there is
		}
		// A body changed after signing.
		a = tl.post(t, source, sample, "d-"+source, func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b = bytes.Replace(b, []byte("e"), []byte("E"), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		})
		require.Equal(t, http.StatusUnauthorized, a.Status, source)
	}
	require.Empty(t, tl.prompter.taken())
	kept, err := tl.store.UnmatchedEvents(t.Context())
	require.NoError(t, err)
	require.Empty(t, kept, "a refused delivery keeps nothing")

	// HubSpot: a timestamp older than five minutes is refused even when
	// signed, so a captured request cannot be replayed later.
	r, err := hook.SampleRequest(tl.sources["hubspot"], "hubspot-deal-stage", tl.base+"/hooks/hubspot", "old", tl.clock.Now().Add(-6*time.Minute))
	require.NoError(t, err)
	a := do(t, r)
	require.Equal(t, http.StatusUnauthorized, a.Status)
	require.Equal(t, "X-HubSpot-Request-Timestamp", a.Field)

	// The genuine deliveries are taken.
	for source, sample := range samples {
		require.Equal(t, http.StatusAccepted, tl.post(t, source, sample, "d-"+source, nil).Status, source)
	}
	require.Len(t, tl.prompter.taken(), 4)
}

// The HubSpot signature is the documented one: base64 HMAC-SHA256 of
// method + URI + body + timestamp, computed here independently of the
// package's Sign.
func TestHubSpotSignatureScheme(t *testing.T) {
	tl := newTools(t, backends()[0], nil)
	body := []byte(`[{"eventId":1,"portalId":33,"objectId":7,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"closedwon","sourceId":"userId:74322246"}]`)
	uri := tl.base + "/hooks/hubspot"
	ts := strconv.FormatInt(tl.clock.Now().UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(hubspotSecret))
	m.Write([]byte("POST" + uri + string(body) + ts))
	r, err := http.NewRequest(http.MethodPost, uri, bytes.NewReader(body))
	require.NoError(t, err)
	r.Header.Set("X-HubSpot-Request-Timestamp", ts)
	r.Header.Set("X-HubSpot-Signature-v3", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	require.Equal(t, http.StatusAccepted, do(t, r).Status)
}

// GitHub's own documented test vector: secret "It's a Secret to Everybody",
// payload "Hello, World!".
func TestGitHubSignatureVector(t *testing.T) {
	g := hook.GitHub{Secret: "It's a Secret to Everybody"}
	r := httptest.NewRequest(http.MethodPost, "/hooks/github", nil)
	g.Sign(r, []byte("Hello, World!"), time.Time{})
	require.Equal(t, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", r.Header.Get("X-Hub-Signature-256"))
	require.NoError(t, g.Verify(r, []byte("Hello, World!"), time.Time{}))
	sum := hmac.New(sha256.New, []byte("It's a Secret to Everybody"))
	sum.Write([]byte("Hello, World!"))
	require.Equal(t, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", hex.EncodeToString(sum.Sum(nil)))
}

// An event for somebody perfbot does not know is kept, answered 202 with
// the identity to add, and kept once however often it comes; a person
// with no manager is kept too.
func TestToolEventForUnknownPersonIsKept(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			tl := newTools(t, b, nil)
			// Ada's GitLab username is gone: the merge request's
			// assignee, user1, and its commit email match nobody.
			ada := tl.people["ada"]
			ada.Identities = ada.Identities[:len(ada.Identities)-3]
			ada.Identities = append(ada.Identities, bot.ToolAccount(bot.Jira, "5b10ac8d82e05b22cc7d4ef5"))
			require.NoError(t, tl.store.SavePerson(t.Context(), &ada))

			a := tl.post(t, "gitlab", "gitlab-merge_request-merge", "uuid-1", nil)
			require.Equal(t, http.StatusAccepted, a.Status)
			require.Equal(t, []string{"gitlab:user1"}, a.Unmatched)
			require.Zero(t, a.Prompted)
			require.Equal(t, http.StatusConflict, tl.post(t, "gitlab", "gitlab-merge_request-merge", "uuid-1", nil).Status)

			// A release names only its commit's author, by email.
			a = tl.post(t, "gitlab", "gitlab-release-create", "uuid-2", nil)
			require.Equal(t, []string{"user@example.com"}, a.Unmatched)

			// Mia has no manager: her Jira ticket is kept too.
			mia := tl.people["mia"]
			mia.Identities = []bot.Identity{bot.ToolAccount(bot.Jira, "5b10a2844c20165700ede21g")}
			require.NoError(t, tl.store.SavePerson(t.Context(), &mia))
			a = tl.post(t, "jira", "jira-issue_updated-done", "jira-1", func(r *http.Request) {
				// Unassigned: credited to whoever moved it, Mia.
				b, _ := io.ReadAll(r.Body)
				b = bytes.Replace(b, []byte(`"accountId": "5b10ac8d82e05b22cc7d4ef5"`), []byte(`"accountId": ""`), 1)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
				tl.sources["jira"].Sign(r, b, tl.clock.Now())
			})
			require.Equal(t, http.StatusAccepted, a.Status)
			require.Equal(t, []string{"manager of jira:5b10a2844c20165700ede21g"}, a.Unmatched)

			kept, err := tl.store.UnmatchedEvents(t.Context())
			require.NoError(t, err)
			require.Len(t, kept, 3)
			require.Equal(t, store.UnmatchedNoManager, kept[0].Reason)
			require.Equal(t, bot.Identity{Platform: bot.GitLab, UserID: "user1"}, kept[2].Account)
			require.Equal(t, "gitlabdev@dv6700.(none)", kept[2].Email)
			require.Equal(t, "merge_request_merged", kept[2].Kind)
			require.Equal(t, "gitlabhq/gitlab-test!1 MS-Viewport", kept[2].Title)
			require.Equal(t, store.UnmatchedUnknown, kept[2].Reason)
			require.Empty(t, tl.prompter.taken())
		})
	}
}

// Events of no interest are answered 200 and keep nothing; a ping is
// answered; a body over 1 MiB is refused; other methods get 405.
func TestToolWebhooksIgnoreTheRest(t *testing.T) {
	tl := newTools(t, backends()[0], nil)
	for _, c := range []struct{ source, sample string }{
		{"github", "github-pull_request-closed-unmerged"},
		{"jira", "jira-issue_updated-summary"},
	} {
		a := tl.post(t, c.source, c.sample, "x", nil)
		require.Equal(t, http.StatusOK, a.Status, c.sample)
		require.Equal(t, "ignored", a.State)
	}
	a := tl.post(t, "github", "github-ping", "ping-1", nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, "pong", a.State)

	// The HubSpot batch has a deal won and a deal moved to another stage:
	// only the first prompts.
	a = tl.post(t, "hubspot", "hubspot-deal-stage", "batch-1", nil)
	require.Equal(t, 1, a.Prompted)

	big := bytes.Repeat([]byte(" "), hook.MaxToolBody+1)
	r, err := http.NewRequest(http.MethodPost, tl.base+"/hooks/github", bytes.NewReader(big))
	require.NoError(t, err)
	tl.sources["github"].Sign(r, big, tl.clock.Now())
	require.Equal(t, http.StatusRequestEntityTooLarge, do(t, r).Status)

	res, err := http.Get(tl.base + "/hooks/gitlab")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)

	kept, err := tl.store.UnmatchedEvents(t.Context())
	require.NoError(t, err)
	require.Empty(t, kept)
	require.Len(t, tl.prompter.taken(), 1)
}

// A prompt that fails answers 500 and frees the delivery: the tool's
// retry prompts the manager, once.
func TestToolRetryAfterFailurePromptsOnce(t *testing.T) {
	tl := newTools(t, backends()[1], nil)
	tl.prompter.failWith(errors.New("the chat platform is down"))
	r, err := hook.SampleRequest(tl.sources["jira"], "jira-issue_updated-done", tl.base+"/hooks/jira", "retry-1", tl.clock.Now())
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	tl.prompter.failWith(nil)
	require.Equal(t, http.StatusAccepted, tl.post(t, "jira", "jira-issue_updated-done", "retry-1", nil).Status)
	require.Equal(t, http.StatusConflict, tl.post(t, "jira", "jira-issue_updated-done", "retry-1", nil).Status)
	require.Len(t, tl.prompter.taken(), 1)
}

// A Jira Automation rule authenticates with its bearer token; its retry
// (the same body) is recognised by the body's digest.
func TestJiraAutomation(t *testing.T) {
	tl := newTools(t, backends()[0], nil)
	automation := hook.Jira{Token: jiraToken}
	send := func(token string) answer {
		r, err := hook.SampleRequest(automation, "jira-automation-issue", tl.base+"/hooks/jira", "", tl.clock.Now())
		require.NoError(t, err)
		r.Header.Del("X-Atlassian-Webhook-Identifier")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return do(t, r)
	}
	require.Equal(t, http.StatusUnauthorized, send("jira-automation-012345678X").Status)
	a := send("")
	require.Equal(t, http.StatusAccepted, a.Status, "%+v", a)
	require.Equal(t, http.StatusConflict, send("").Status)
	require.Equal(t, []hook.Event{{PersonID: tl.people["ada"].ID, Source: "jira", Kind: "ticket_resolved",
		Title: "ED-1 Main order flow broken", URL: "https://your-domain.atlassian.net/browse/ED-1"}}, tl.prompter.taken())
}

// A rule's filters pick the kind, and a rule's key result travels with the
// event.
func TestRulesPickKindAndKeyResult(t *testing.T) {
	rules, err := hook.LoadRules(strings.NewReader(`
rules:
  - source: github
    event: pull_request.merged
    repository: codertocat/*
    kind: customer_praise
  - source: github
    event: pull_request.merged
    repository: Codertocat/*
    label: bug
    kind: incident_resolved
    key_result: kr-2026q4-bugs
    increment: 2
  - source: jira
    event: issue.resolved
    project: OPS
    kind: incident_resolved
`), "rules.yaml", hook.SourceEvents(), []string{"customer_praise", "incident_resolved", "ticket_resolved"})
	require.NoError(t, err)
	tl := newTools(t, backends()[0], rules)
	require.Equal(t, http.StatusAccepted, tl.post(t, "github", "github-pull_request-merged", "r-1", nil).Status)
	// The Jira ticket is in project ED, not OPS: no rule, ignored.
	require.Equal(t, http.StatusOK, tl.post(t, "jira", "jira-issue_updated-done", "r-2", nil).Status)
	got := tl.prompter.taken()
	require.Len(t, got, 1)
	require.Equal(t, "incident_resolved", got[0].Kind, "patterns are case-sensitive: the first rule does not match")
	require.Equal(t, &hook.KeyResultStep{Ref: "kr-2026q4-bugs", By: 2}, got[0].KeyResult)
}

// Every mistake in a rules file is reported with its line.
func TestRulesErrorsNameTheLine(t *testing.T) {
	_, err := hook.LoadRules(strings.NewReader(`rules:
  - source: github
    event: pull_request.merged
    kind: merge_request_merged
  - source: gitHub
    event: pull_request.merged
    kind: merge_request_merged
  - source: jira
    event: issue.closed
    kind: ticket_resolved
  - source: hubspot
    event: deal.stage_changed
    label: vip
    kind: deal_lost
  - source: github
    event: release.published
    repo: acme/api
    kind: release_shipped
    increment: 1
  - source: gitlab
    event: merge_request.merged
    project: "acme/["
    kind: merge_request_merged
`), "rules.yaml", hook.SourceEvents(), []string{"merge_request_merged", "ticket_resolved", "release_shipped", "deal_won"})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{
		`rules.yaml:5: unknown source "gitHub"`,
		`rules.yaml:9: jira has no event "issue.closed" (its events are issue.resolved)`,
		`rules.yaml:13: hubspot events have no label (their filters are stage)`,
		`rules.yaml:14: unknown kind "deal_lost"`,
		`rules.yaml:17: unknown field "repo"`,
		`rules.yaml:19: increment must be a positive number, and goes with a key_result`,
		`rules.yaml:22: project "acme/[" is not a valid pattern`,
	} {
		require.Contains(t, msg, want)
	}
	require.NotContains(t, msg, "rules.yaml:2:")
	var re *hook.RuleError
	require.ErrorAs(t, err, &re)

	_, err = hook.LoadRules(strings.NewReader("rules: [\n"), "broken.yaml", hook.SourceEvents(), nil)
	require.ErrorContains(t, err, "broken.yaml: yaml: line")
	_, err = hook.LoadRules(strings.NewReader(""), "empty.yaml", hook.SourceEvents(), nil)
	require.ErrorContains(t, err, "empty.yaml: the file is empty")
}

// A DingTalk or WeCom approval that finished approved prompts the manager
// of its applicant through the same rules, once however often the
// platform delivers it; a refused one prompts nobody; an applicant perfbot
// does not know is kept with the identity to add.
func TestApprovalsPromptOnce(t *testing.T) {
	rules, err := hook.LoadRules(strings.NewReader(`
rules:
  - source: wecom
    event: approval.approved
    project: 转正*
    kind: approval_completed
    key_result: kr-onboarding
`), "rules.yaml", hook.SourceEvents(), []string{"approval_completed"})
	require.NoError(t, err)
	tl := newTools(t, backends()[1], rules)
	c, err := hook.NewConnectors(hook.ConnectorOptions{Rules: rules, People: tl.store, Replay: tl.store,
		Unmatched: tl.store, Prompter: tl.prompter, Clock: tl.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	ada := tl.people["ada"]
	approval := func(id, form string, approved bool, from bot.Identity) bot.Event {
		return bot.Event{ID: "approval:" + id + ":2", From: from, Kind: bot.KindApproval,
			Approval: &bot.Approval{ID: id, Form: form, Approved: approved}}
	}
	ev := approval("201910220003", "转正申请", true, ada.Identities[1]) // wecom corpA:zhangsan
	for range 3 {
		_, err := c.Take(t.Context(), "wecom", hook.ApprovalDelivery(ev))
		require.NoError(t, err)
	}
	require.Equal(t, []hook.Event{{PersonID: ada.ID, Source: "wecom", Kind: "approval_completed", Title: "转正申请 201910220003",
		KeyResult: &hook.KeyResultStep{Ref: "kr-onboarding", By: 1}}}, tl.prompter.taken())

	out, err := c.Take(t.Context(), "wecom", hook.ApprovalDelivery(approval("201910220004", "转正申请", false, ada.Identities[1])))
	require.NoError(t, err)
	require.Equal(t, hook.Outcome{}, out, "refused: nothing happened")
	out, err = c.Take(t.Context(), "wecom", hook.ApprovalDelivery(approval("201910220005", "报销", true, ada.Identities[1])))
	require.NoError(t, err)
	require.Equal(t, hook.Outcome{Ignored: 1}, out, "no rule for this form")

	stranger := bot.Identity{Platform: bot.WeCom, Tenant: "corpA", UserID: "WuJunJie"}
	out, err = c.Take(t.Context(), "wecom", hook.ApprovalDelivery(approval("201910220006", "转正申请", true, stranger)))
	require.NoError(t, err)
	require.Equal(t, []string{"wecom:corpA:WuJunJie"}, out.Unmatched)
	require.Len(t, tl.prompter.taken(), 1)
}

// The example rules file in the docs loads with the default kinds.
func TestExampleRulesFileLoads(t *testing.T) {
	f, err := os.Open("../../docs/hooks-rules.example.yaml")
	require.NoError(t, err)
	defer f.Close()
	_, err = hook.LoadRules(f, "hooks-rules.example.yaml", hook.SourceEvents(), eventkind.Defaults())
	require.NoError(t, err)
}
