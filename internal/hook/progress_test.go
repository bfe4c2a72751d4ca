package hook_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/hook"
)

// A progress entry maps a kind to a key result: a tool's event whose rule
// names none takes it, a rule's own key_result wins, and a file with only
// progress: keeps the default rules.
func TestProgressMapsKindToKeyResult(t *testing.T) {
	rules, err := hook.LoadRules(strings.NewReader(`
progress:
  - kind: ticket_resolved
    source: gitlab
    key_result: gitlab-tickets
    increment: 2
  - kind: ticket_resolved
    key_result: resolve-tickets
`), "rules.yaml", hook.SourceEvents(), eventkind.Defaults())
	require.NoError(t, err)
	st, ok := rules.Step("jira", "ticket_resolved")
	require.True(t, ok)
	require.Equal(t, hook.KeyResultStep{Ref: "resolve-tickets", By: 1}, st)
	st, ok = rules.Step("gitlab", "ticket_resolved")
	require.True(t, ok)
	require.Equal(t, hook.KeyResultStep{Ref: "gitlab-tickets", By: 2}, st)
	_, ok = rules.Step("jira", "deal_won")
	require.False(t, ok)
	require.Equal(t, []hook.RefLine{{Ref: "gitlab-tickets", Line: 3}, {Ref: "resolve-tickets", Line: 7}}, rules.Refs())

	tl := newTools(t, backends()[0], rules)
	require.Equal(t, http.StatusAccepted, tl.post(t, "jira", "jira-issue_updated-done", "p-1", nil).Status)
	got := tl.prompter.taken()
	require.Len(t, got, 1)
	require.Equal(t, "ticket_resolved", got[0].Kind, "the default rules are kept")
	require.Equal(t, &hook.KeyResultStep{Ref: "resolve-tickets", By: 1}, got[0].KeyResult)
	keys := tl.prompter.keyed()
	require.Len(t, keys, 1)
	require.True(t, strings.HasPrefix(keys[0], "hook:jira:"), "the event's key travels with it: %q", keys[0])
}

// Every mistake in a progress entry is reported with its line.
func TestProgressErrorsNameTheLine(t *testing.T) {
	_, err := hook.LoadRules(strings.NewReader(`progress:
  - kind: ticket_resolved
    key_result: resolve-tickets
  - kind: ticket_closed
    key_result: x
  - kind: deal_won
  - kind: deal_won
    key_result: Big Deals
    increment: -1
  - kind: deal_won
    key_result: deals
    weight: 2
  - just a line
extra: 1
`), "rules.yaml", hook.SourceEvents(), eventkind.Defaults())
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{
		`rules.yaml:4: unknown kind "ticket_closed"`,
		`rules.yaml:6: key_result is required`,
		`rules.yaml:8: key_result "Big Deals" must be a key result's reference`,
		`rules.yaml:9: increment must be a positive number`,
		`rules.yaml:12: unknown field "weight"`,
		`rules.yaml:13: a progress entry must be a mapping`,
		`rules.yaml:14: unknown key "extra"`,
	} {
		require.Contains(t, msg, want)
	}
	require.NotContains(t, msg, "rules.yaml:2:")
	_, err = hook.LoadRules(strings.NewReader("other: []\n"), "none.yaml", hook.SourceEvents(), eventkind.Defaults())
	require.ErrorContains(t, err, "none.yaml:1: the file needs a rules: list, a progress: list or both")
}

// An event sent to /hooks/events may name a key result by id, with an
// increment and its own id; without a key_result a progress entry of the
// rules moves the key result its kind names.
func TestEventNamesKeyResult(t *testing.T) {
	rules, err := hook.LoadRules(strings.NewReader("progress:\n  - kind: ticket_resolved\n    key_result: resolve-tickets\n"),
		"rules.yaml", hook.SourceEvents(), eventkind.Defaults())
	require.NoError(t, err)
	f := newFixture(t, backends()[0])
	f.rules(t, rules)
	got := f.send(t, request{body: `{"person": "ada@example.com", "kind": "deal_won", "title": "ACME", "id": "deal-42", "key_result": 7, "increment": 2.5}`})
	require.Equal(t, http.StatusAccepted, got.Status)
	got = f.send(t, request{body: `{"person": "ada@example.com", "kind": "ticket_resolved", "title": "T-1"}`})
	require.Equal(t, http.StatusAccepted, got.Status)
	events := f.prompter.taken()
	require.Len(t, events, 2)
	require.Equal(t, &hook.KeyResultStep{ID: 7, By: 2.5}, events[0].KeyResult)
	require.Equal(t, &hook.KeyResultStep{Ref: "resolve-tickets", By: 1}, events[1].KeyResult)
	keys := f.prompter.keyed()
	require.Equal(t, "hook:"+source+":id:deal-42", keys[0], "keyed by the sender's id, whatever the signature")

	for _, tt := range []struct{ body, field string }{
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "key_result": 7}`, "id"},
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "id": "a", "key_result": 1.5}`, "key_result"},
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "id": "a", "key_result": "7"}`, "key_result"},
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "id": "a", "increment": 1}`, "increment"},
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "id": "a", "key_result": 7, "increment": 0}`, "increment"},
		{`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "id": "a b", "key_result": 7}`, "id"},
	} {
		got := f.send(t, request{body: tt.body})
		require.Equal(t, http.StatusUnprocessableEntity, got.Status, tt.body)
		require.Equal(t, tt.field, got.Field, tt.body)
	}
}
