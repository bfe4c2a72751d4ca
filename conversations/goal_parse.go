package conversations

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/perfbot/perfbot/internal/eventkind"
)

// The goal flows read what people type here: the goal commands, a key
// result line, a change to a target or due date, and a weekly value.

// Goal commands.
const (
	goalNew    = "new"
	goalChange = "change"
	goalList   = "list"
	goalTree   = "tree"
	goalHelp   = "help"
)

var goalWords = map[string]string{
	"goal new": goalNew, "new goal": goalNew, "goal add": goalNew, "新目标": goalNew, "新建目标": goalNew, "目标 新建": goalNew,
	"goal change": goalChange, "change goal": goalChange, "调整目标": goalChange, "目标调整": goalChange, "目标 调整": goalChange,
	"goal list": goalList, "goals": goalList, "my goals": goalList, "我的目标": goalList, "目标列表": goalList, "目标": goalList,
	"goal tree": goalTree, "目标树": goalTree, "目标 树": goalTree,
	"goal": goalHelp, "goal help": goalHelp, "目标帮助": goalHelp,
}

// parseGoalCommand reads a whole message as a goal command; "" when it is
// none.
func parseGoalCommand(text string) string {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	t = strings.TrimRight(strings.TrimLeft(t, "/"), ".!。！?？")
	return goalWords[strings.Join(strings.Fields(t), " ")]
}

// Bounds of what a key result line may say.
const (
	maxKRs       = 5
	maxGoalTitle = 200
	maxUnit      = 20
	// maxValue bounds every number, so a typo cannot make a target no
	// bar can draw.
	maxValue = 1e12
)

// KRDraft is a key result being written.
type KRDraft struct {
	Title  string  `json:"t,omitempty"`
	Unit   string  `json:"u,omitempty"`
	Start  float64 `json:"s,omitempty"`
	Target float64 `json:"g,omitempty"`
	Due    string  `json:"d,omitempty"`
	// Ref is the reference a hook rule moves it by, "#resolve-tickets"
	// at the end of the line.
	Ref string `json:"r,omitempty"`
}

// dueWords introduce a due date: "… by 12-15", "… 截止 12月15日".
var dueWords = []string{" by ", " due ", "截止", "截至", "到期"}

// rangeWords separate a start from a target: "8 -> 4".
var rangeWords = []string{"->", "→", "=>", " to ", "到", "至"}

// parseKR reads a key result line, "TITLE: [START ->] TARGET [UNIT] [by
// DAY] [#REF]", e.g. "Close deals: 10 deals by 12-15" or "流失率：8 -> 4
// %". A day without a year is the next such day from today; REF is the
// reference business events move it by (eventkind.CheckRef). ok is false
// when the line does not read, or says too much.
func parseKR(text, today string) (KRDraft, bool) {
	t := strings.TrimSpace(toHalfWidth(text))
	title, rest, found := strings.Cut(t, ":")
	title, rest = strings.TrimSpace(title), strings.TrimSpace(rest)
	if !found || title == "" || runeLen(title) > maxGoalTitle || rest == "" {
		return KRDraft{}, false
	}
	var k KRDraft
	k.Title = title
	if i := strings.LastIndex(rest, "#"); i >= 0 {
		k.Ref = strings.TrimSpace(rest[i+1:])
		if eventkind.CheckRef(k.Ref) != nil {
			return KRDraft{}, false
		}
		rest = strings.TrimSpace(rest[:i])
	}
	for _, w := range dueWords {
		if before, after, ok := strings.Cut(" "+rest+" ", w); ok {
			if k.Due = parseDay(strings.TrimSpace(after), today); k.Due == "" {
				return KRDraft{}, false
			}
			rest = strings.TrimSpace(before)
			break
		}
	}
	for _, w := range rangeWords {
		if before, after, ok := strings.Cut(rest, w); ok {
			start, unit, ok := leadingNumber(before)
			if !ok || unit != "" {
				return KRDraft{}, false
			}
			k.Start, rest = start, strings.TrimSpace(after)
			break
		}
	}
	target, unit, ok := leadingNumber(rest)
	if !ok || runeLen(unit) > maxUnit {
		return KRDraft{}, false
	}
	k.Target, k.Unit = target, unit
	return k, true
}

// leadingNumber reads a number and what follows it, trimmed: "10 deals"
// is 10, "deals"; "4%" is 4, "%".
func leadingNumber(s string) (v float64, rest string, ok bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && (s[end] == '-' || s[end] == '+'))) {
		end++
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || !finite(v) {
		return 0, "", false
	}
	return v, strings.TrimSpace(s[end:]), true
}

// finite reports whether v is a number a goal may hold.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) <= maxValue }

// parseChange reads what a change request asks for: a new target, a new
// due day, or both, "12", "target 12", "by 12-31", "15 by 2026-12-31",
// "目标 15 截止 12月31日". ok is false when it asks for neither.
func parseChange(text, today string) (target *float64, due string, ok bool) {
	t := " " + strings.TrimSpace(toHalfWidth(strings.ToLower(text))) + " "
	for _, w := range dueWords {
		if before, after, found := strings.Cut(t, w); found {
			if due = parseDay(strings.TrimSpace(after), today); due == "" {
				return nil, "", false
			}
			t = before
			break
		}
	}
	t = strings.TrimSpace(t)
	for _, w := range []string{"target", "目标"} {
		t = strings.TrimSpace(strings.TrimPrefix(t, w))
	}
	if t != "" {
		v, rest, ok := leadingNumber(t)
		if !ok || rest != "" {
			return nil, "", false
		}
		target = &v
	}
	return target, due, target != nil || due != ""
}

// Progress is a weekly value typed for a key result.
type Progress struct {
	Value float64
	Skip  bool
}

// parseProgress reads a key result's new value: a number ("12"), a
// percentage of the way from start to target ("40%"), a change from the
// last value ("+3", "-2": a sign always means a change), or skip. ok is false when it reads as none.
func parseProgress(text string, k KRDraft, last float64) (Progress, bool) {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	if cmd := parseCommand(t); cmd.Name == cmdSkip {
		return Progress{Skip: true}, true
	}
	t = strings.TrimFunc(t, unicode.IsSpace)
	relative := strings.HasPrefix(t, "+") || strings.HasPrefix(t, "-")
	v, percent, ok := parseNumber(t)
	if !ok || !finite(v) {
		return Progress{}, false
	}
	switch {
	case percent && relative:
		return Progress{}, false
	case percent:
		v = k.Start + (k.Target-k.Start)*v/100
	case relative:
		v += last
	}
	if !finite(v) {
		return Progress{}, false
	}
	return Progress{Value: v}, true
}
