package hook

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/perfbot/perfbot/internal/eventkind"
)

// Rule maps what happened in a tool to a kind of business event, and
// optionally to a key result it moves. The filters narrow it down; an
// empty one takes anything. Repository and Project are patterns as in
// path.Match ("acme/*"); Label and Stage are compared exactly.
type Rule struct {
	Source     string  `yaml:"source"`
	Event      string  `yaml:"event"`
	Repository string  `yaml:"repository"`
	Project    string  `yaml:"project"`
	Label      string  `yaml:"label"`
	Stage      string  `yaml:"stage"`
	Kind       string  `yaml:"kind"`
	KeyResult  string  `yaml:"key_result"`
	Increment  float64 `yaml:"increment"`
	line       int
}

// ruleFields are the fields of a rule, in the order errors list them.
var ruleFields = []string{"source", "event", "repository", "project", "label", "stage", "kind", "key_result", "increment"}

// filters are the filters each source's occurrences can be told apart by.
var filters = map[string][]string{
	"github":   {"repository", "project", "label"},
	"gitlab":   {"repository", "project", "label"},
	"jira":     {"project", "label"},
	"hubspot":  {"stage"},
	"dingtalk": {"project"},
	"wecom":    {"project"},
}

// SourceEvents are the events of every source perfbot takes, native
// webhooks and approvals, for LoadRules.
func SourceEvents() map[string][]string {
	return map[string][]string{
		"github":   GitHub{}.Events(),
		"gitlab":   GitLab{}.Events(),
		"jira":     Jira{}.Events(),
		"hubspot":  HubSpot{}.Events(),
		"dingtalk": {ApprovalApproved},
		"wecom":    {ApprovalApproved},
	}
}

// Rules are the rules in the order given; the first that matches decides.
type Rules struct{ list []Rule }

// DefaultRules are the rules taken without a rules file: every event a
// source reports, as the kind it plainly is.
func DefaultRules() *Rules {
	return &Rules{list: []Rule{
		{Source: "github", Event: GitHubMerged, Kind: "merge_request_merged"},
		{Source: "github", Event: GitHubClosed, Kind: "ticket_resolved"},
		{Source: "github", Event: GitHubReleased, Kind: "release_shipped"},
		{Source: "gitlab", Event: GitLabMerged, Kind: "merge_request_merged"},
		{Source: "gitlab", Event: GitLabClosed, Kind: "ticket_resolved"},
		{Source: "gitlab", Event: GitLabReleased, Kind: "release_shipped"},
		{Source: "jira", Event: JiraResolved, Kind: "ticket_resolved"},
		{Source: "hubspot", Event: HubSpotStage, Stage: "closedwon", Kind: "deal_won"},
		{Source: "dingtalk", Event: ApprovalApproved, Kind: "approval_completed"},
		{Source: "wecom", Event: ApprovalApproved, Kind: "approval_completed"},
	}}
}

// Allowing is rs without the rules whose kind is not among kinds: the
// default rules, when perfbot is configured to take fewer kinds.
func (rs *Rules) Allowing(kinds []string) *Rules {
	out := &Rules{}
	for _, r := range rs.list {
		if slices.Contains(kinds, r.Kind) {
			out.list = append(out.list, r)
		}
	}
	return out
}

// Match returns the first rule for o from source.
func (rs *Rules) Match(source string, o Occurrence) (Rule, bool) {
	for _, r := range rs.list {
		if r.Source == source && r.Event == o.Event && r.matches(o) {
			return r, true
		}
	}
	return Rule{}, false
}

func (r Rule) matches(o Occurrence) bool {
	glob := func(pattern, s string) bool {
		ok, _ := path.Match(pattern, s) // patterns are checked at load
		return pattern == "" || ok
	}
	return glob(r.Repository, o.Repository) && glob(r.Project, o.Project) &&
		(r.Label == "" || slices.Contains(o.Labels, r.Label)) && (r.Stage == "" || r.Stage == o.Stage)
}

// RuleError is a rules file that is wrong; Line is where, 0 for the file.
type RuleError struct {
	File string
	Line int
	Msg  string
}

func (e *RuleError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// LoadRules reads a rules file, named file in its errors:
//
//	rules:
//	  - source: github
//	    event: pull_request.merged
//	    repository: acme/*
//	    kind: merge_request_merged
//	    key_result: kr-2026q4-merges   # optional
//	    increment: 1                   # optional, 1 unless given
//
// events are the events of each source; kinds are the kinds taken. Every
// mistake is reported, each with its line.
func LoadRules(r io.Reader, file string, events map[string][]string, kinds []string) (*Rules, error) {
	var errs []error
	fail := func(line int, msg string, args ...any) {
		errs = append(errs, &RuleError{File: file, Line: line, Msg: fmt.Sprintf(msg, args...)})
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &RuleError{File: file, Msg: "the file is empty: it needs a rules: list"}
		}
		return nil, &RuleError{File: file, Msg: err.Error()} // yaml names the line
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &RuleError{File: file, Line: top.Line, Msg: "the file must be a mapping with a rules: list"}
	}
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value != "rules" {
			fail(k.Line, "unknown key %q: the file has only rules:", k.Value)
			continue
		}
		list = v
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		fail(top.Line, "rules: must be a list of rules")
		return nil, errors.Join(errs...)
	}
	rs := &Rules{}
	for _, n := range list.Content {
		if r, ok := loadRule(n, events, kinds, fail); ok {
			rs.list = append(rs.list, r)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return rs, nil
}

// loadRule reads and checks one rule, reporting its mistakes to fail.
func loadRule(n *yaml.Node, events map[string][]string, kinds []string, fail func(int, string, ...any)) (Rule, bool) {
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "a rule must be a mapping such as {source: github, event: pull_request.merged, kind: merge_request_merged}")
		return Rule{}, false
	}
	bad := false
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(ruleFields, k.Value) {
			fail(k.Line, "unknown field %q (the fields are %s)", k.Value, strings.Join(ruleFields, ", "))
			bad = true
		}
		lines[k.Value] = k.Line
	}
	var r Rule
	if err := n.Decode(&r); err != nil {
		fail(n.Line, "%v", err)
		return Rule{}, false
	}
	r.line = n.Line
	at := func(field string) int {
		if l, ok := lines[field]; ok {
			return l
		}
		return n.Line
	}
	evs, known := events[r.Source]
	switch {
	case r.Source == "":
		fail(at("source"), "source is required (one of %s)", strings.Join(sourceNames(events), ", "))
		bad = true
	case !known:
		fail(at("source"), "unknown source %q (the sources are %s)", r.Source, strings.Join(sourceNames(events), ", "))
		bad = true
	case !slices.Contains(evs, r.Event):
		fail(at("event"), "%s has no event %q (its events are %s)", r.Source, r.Event, strings.Join(evs, ", "))
		bad = true
	}
	if !slices.Contains(kinds, r.Kind) {
		fail(at("kind"), "unknown kind %q (the kinds are %s)", r.Kind, strings.Join(kinds, ", "))
		bad = true
	}
	for _, f := range [][2]string{{"repository", r.Repository}, {"project", r.Project}, {"label", r.Label}, {"stage", r.Stage}} {
		field, value := f[0], f[1]
		if value == "" {
			continue
		}
		if known && !slices.Contains(filters[r.Source], field) {
			fail(at(field), "%s events have no %s (their filters are %s)", r.Source, field, strings.Join(filters[r.Source], ", "))
			bad = true
		}
		if _, err := path.Match(value, ""); err != nil && (field == "repository" || field == "project") {
			fail(at(field), "%s %q is not a valid pattern", field, value)
			bad = true
		}
	}
	switch {
	case r.Increment < 0 || (r.Increment != 0 && r.KeyResult == ""):
		fail(at("increment"), "increment must be a positive number, and goes with a key_result")
		bad = true
	case r.KeyResult != "" && r.Increment == 0:
		r.Increment = 1
	}
	if r.KeyResult != "" && eventkind.Check(strings.ReplaceAll(r.KeyResult, ".", "_")) != nil {
		fail(at("key_result"), "key_result %q must be a key result's reference: 1 to 40 lower-case letters, digits, _, - or .", r.KeyResult)
		bad = true
	}
	return r, !bad
}

func sourceNames(events map[string][]string) []string {
	names := make([]string, 0, len(events))
	for s := range events {
		names = append(names, s)
	}
	slices.Sort(names)
	return names
}
