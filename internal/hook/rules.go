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

// Progress moves a key result for every event of a kind: every
// ticket_resolved adds 1 to the credited person's "resolve-tickets". It
// takes the events of the generic hook and of the tools alike, after a
// rule of the tools made them a kind; a rule with a key_result of its own
// decides for its events instead. Source, when given, narrows it to one
// source (a tool, or a sender of /hooks/events).
type Progress struct {
	Kind      string  `yaml:"kind"`
	Source    string  `yaml:"source"`
	KeyResult string  `yaml:"key_result"`
	Increment float64 `yaml:"increment"`
	line      int
}

// progressFields are the fields of a progress entry, in the order errors
// list them.
var progressFields = []string{"kind", "source", "key_result", "increment"}

// Rules are the rules in the order given; the first that matches decides.
// The progress entries, also in order, move key results by kind.
type Rules struct {
	list     []Rule
	progress []Progress
}

// Step is the key result step for an event of kind from source: the
// first progress entry for them, or nothing.
func (rs *Rules) Step(source, kind string) (KeyResultStep, bool) {
	if rs == nil {
		return KeyResultStep{}, false
	}
	for _, p := range rs.progress {
		if p.Kind == kind && (p.Source == "" || p.Source == source) {
			return KeyResultStep{Ref: p.KeyResult, By: p.Increment}, true
		}
	}
	return KeyResultStep{}, false
}

// RefLine is where the rules file names a key result reference.
type RefLine struct {
	Ref  string
	Line int
}

// Refs are the key result references the rules and progress entries name,
// each with the line of its first mention, in the file's order: perfbot
// checks at start that some key result carries each.
func (rs *Rules) Refs() []RefLine {
	var out []RefLine
	seen := map[string]bool{}
	add := func(ref string, line int) {
		if ref != "" && !seen[ref] {
			seen[ref] = true
			out = append(out, RefLine{Ref: ref, Line: line})
		}
	}
	for _, r := range rs.list {
		add(r.KeyResult, r.line)
	}
	for _, p := range rs.progress {
		add(p.KeyResult, p.line)
	}
	return out
}

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
//	progress:                        # optional
//	  - kind: ticket_resolved
//	    key_result: resolve-tickets
//	    increment: 1                   # optional, 1 unless given
//	    source: jira                   # optional: only this source's
//
// A file with progress: and no rules: keeps the default rules of the
// kinds taken. events are the events of each source; kinds are the kinds
// taken. Every mistake is reported, each with its line.
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
	var list, progress *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "rules":
			list = v
		case "progress":
			progress = v
		default:
			fail(k.Line, "unknown key %q: the file has rules: and progress:", k.Value)
		}
	}
	switch {
	case list == nil && progress == nil:
		fail(top.Line, "the file needs a rules: list, a progress: list or both")
		return nil, errors.Join(errs...)
	case list != nil && list.Kind != yaml.SequenceNode:
		fail(list.Line, "rules: must be a list of rules")
		return nil, errors.Join(errs...)
	case progress != nil && progress.Kind != yaml.SequenceNode:
		fail(progress.Line, "progress: must be a list such as - {kind: ticket_resolved, key_result: resolve-tickets}")
		return nil, errors.Join(errs...)
	}
	rs := &Rules{}
	if list == nil {
		rs.list = DefaultRules().Allowing(kinds).list
	} else {
		for _, n := range list.Content {
			if r, ok := loadRule(n, events, kinds, fail); ok {
				rs.list = append(rs.list, r)
			}
		}
	}
	if progress != nil {
		for _, n := range progress.Content {
			if p, ok := loadProgress(n, kinds, fail); ok {
				rs.progress = append(rs.progress, p)
			}
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
	if r.KeyResult != "" && CheckRef(r.KeyResult) != nil {
		fail(at("key_result"), "key_result %q must be a key result's reference: 1 to 40 lower-case letters, digits, _, - or ., starting with a letter", r.KeyResult)
		bad = true
	}
	return r, !bad
}

// CheckRef reports whether ref is a usable key result reference.
func CheckRef(ref string) error { return eventkind.CheckRef(ref) }

// loadProgress reads and checks one progress entry, reporting its
// mistakes to fail.
func loadProgress(n *yaml.Node, kinds []string, fail func(int, string, ...any)) (Progress, bool) {
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "a progress entry must be a mapping such as {kind: ticket_resolved, key_result: resolve-tickets, increment: 1}")
		return Progress{}, false
	}
	bad := false
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(progressFields, k.Value) {
			fail(k.Line, "unknown field %q (the fields are %s)", k.Value, strings.Join(progressFields, ", "))
			bad = true
		}
		lines[k.Value] = k.Line
	}
	var p Progress
	if err := n.Decode(&p); err != nil {
		fail(n.Line, "%v", err)
		return Progress{}, false
	}
	p.line = n.Line
	at := func(field string) int {
		if l, ok := lines[field]; ok {
			return l
		}
		return n.Line
	}
	if !slices.Contains(kinds, p.Kind) {
		fail(at("kind"), "unknown kind %q (the kinds are %s)", p.Kind, strings.Join(kinds, ", "))
		bad = true
	}
	if p.Source != "" && eventkind.CheckSource(p.Source) != nil {
		fail(at("source"), "source %q must be 1 to 40 lower-case letters, digits, _ or -, starting with a letter", p.Source)
		bad = true
	}
	switch {
	case p.KeyResult == "":
		fail(at("key_result"), "key_result is required: the reference of the key result the kind moves")
		bad = true
	case CheckRef(p.KeyResult) != nil:
		fail(at("key_result"), "key_result %q must be a key result's reference: 1 to 40 lower-case letters, digits, _, - or ., starting with a letter", p.KeyResult)
		bad = true
	}
	switch {
	case p.Increment < 0 || p.Increment != p.Increment || p.Increment > maxIncrement:
		fail(at("increment"), "increment must be a positive number up to %g", float64(maxIncrement))
		bad = true
	case p.Increment == 0:
		p.Increment = 1
	}
	return p, !bad
}

// maxIncrement bounds one event's step: a typo of 1e9 would finish every
// key result it names at once.
const maxIncrement = 1e6

func sourceNames(events map[string][]string) []string {
	names := make([]string, 0, len(events))
	for s := range events {
		names = append(names, s)
	}
	slices.Sort(names)
	return names
}
