package conversations

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// SBI feedback is checked before it is sent: is a part missing, does the
// behavior judge the person instead of saying what they did, is a part too
// vague to act on. The rules are data, one file per language in rules/,
// read once; checkSBI is their one evaluator. Text is checked by the rules
// of the script it is written in, whatever the giver's locale.

//go:embed rules/*.yaml
var ruleFiles embed.FS

// sbiParts names the parts of SBI feedback in order.
var sbiParts = []string{"situation", "behavior", "impact", "suggestion"}

// ruleSet is one file of rules.
type ruleSet struct {
	// Script is "han" for rules about Chinese text, "latin" for the rest.
	Script string `yaml:"script"`
	Rules  []rule `yaml:"rules"`
}

type rule struct {
	ID       string   `yaml:"id"`
	Parts    []string `yaml:"parts"`
	Empty    bool     `yaml:"empty"`
	MinWords int      `yaml:"min_words"`
	MinRunes int      `yaml:"min_runes"`
	Patterns []string `yaml:"patterns"`
	compiled []*regexp.Regexp
}

// finding is one problem a rule found in one part.
type finding struct {
	Rule  string
	Part  string
	Match string // what a pattern matched, if a pattern found it
}

// qualityRules are the embedded rules, read on first use. They never
// change after that.
var qualityRules = sync.OnceValues(func() ([]ruleSet, error) { return loadRules(ruleFiles) })

// loadRules reads and checks every rules/*.yaml of fsys.
func loadRules(fsys fs.FS) ([]ruleSet, error) {
	names, err := fs.Glob(fsys, "rules/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("conversations: rules: %w", err)
	}
	var sets []ruleSet
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("conversations: rules: %w", err)
		}
		var s ruleSet
		if err := yaml.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("conversations: rules %s: %w", name, err)
		}
		if s.Script != "han" && s.Script != "latin" {
			return nil, fmt.Errorf("conversations: rules %s: script %q is neither han nor latin", name, s.Script)
		}
		for i := range s.Rules {
			r := &s.Rules[i]
			checks := 0
			for _, set := range []bool{r.Empty, r.MinWords > 0, r.MinRunes > 0, len(r.Patterns) > 0} {
				if set {
					checks++
				}
			}
			if r.ID == "" || checks != 1 || len(r.Parts) == 0 {
				return nil, fmt.Errorf("conversations: rules %s: rule %d needs an id, parts and exactly one check", name, i)
			}
			for _, p := range r.Parts {
				if partIndex(p) < 0 {
					return nil, fmt.Errorf("conversations: rules %s: rule %s: unknown part %q", name, r.ID, p)
				}
			}
			for _, p := range r.Patterns {
				re, err := regexp.Compile("(?i)" + p)
				if err != nil {
					return nil, fmt.Errorf("conversations: rules %s: rule %s: %w", name, r.ID, err)
				}
				r.compiled = append(r.compiled, re)
			}
		}
		sets = append(sets, s)
	}
	return sets, nil
}

func partIndex(name string) int {
	for i, p := range sbiParts {
		if p == name {
			return i
		}
	}
	return -1
}

// checkSBI lists what sets find wrong with d, part by part, each rule once
// per part.
func checkSBI(sets []ruleSet, d Draft) []finding {
	var out []finding
	seen := map[[2]string]bool{}
	for _, part := range sbiParts {
		text := strings.TrimSpace(*d.part(partIndex(part)))
		for _, s := range sets {
			for _, r := range s.Rules {
				key := [2]string{r.ID, part}
				if seen[key] || !slices.Contains(r.Parts, part) {
					continue
				}
				if f, ok := r.check(s.Script, part, text); ok {
					seen[key] = true
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// check applies r to one part's text.
func (r rule) check(script, part, text string) (finding, bool) {
	f := finding{Rule: r.ID, Part: part}
	if r.Empty {
		return f, text == ""
	}
	if text == "" || hasHan(text) != (script == "han") {
		return f, false
	}
	switch {
	case r.MinWords > 0:
		return f, len(strings.FieldsFunc(text, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })) < r.MinWords
	case r.MinRunes > 0:
		n := 0
		for _, c := range text {
			if unicode.IsLetter(c) || unicode.IsDigit(c) {
				n++
			}
		}
		return f, n < r.MinRunes
	}
	// The first problem as the text reads, whichever pattern finds it.
	first := -1
	for _, re := range r.compiled {
		if loc := re.FindStringIndex(text); loc != nil && loc[1] > loc[0] && (first < 0 || loc[0] < first) {
			first, f.Match = loc[0], text[loc[0]:loc[1]]
		}
	}
	return f, first >= 0
}

func hasHan(s string) bool {
	for _, c := range s {
		if unicode.Is(unicode.Han, c) {
			return true
		}
	}
	return false
}

// runeLen counts characters, as limits are stated.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
