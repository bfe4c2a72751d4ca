package conversations

import (
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// How goals read in chat: a goal with its key results ("goal list", the
// approval cards), and the tree of goals with their rolled-up progress
// ("goal tree"), each as the reader may see them.

// barWidth is the cells of a progress bar in chat.
const barWidth = 10

// maxTreeLines bounds "goal tree" in chat; the CLI shows all.
const maxTreeLines = 40

// goalText is a goal and its key results, parent the title of the goal it
// supports ("" for none).
func goalText(t i18n.Texts, o store.Objective, parent string) string {
	lines := []string{t.T("goal.line", "Goal", bot.Neutralize(o.Title), "Status", t.T("goal.status."+string(o.Status)),
		"Period", periodOf(o))}
	if parent != "" {
		lines = append(lines, t.T("goal.supports", "Goal", bot.Neutralize(parent)))
	}
	for i, k := range o.KeyResults {
		lines = append(lines, t.T("goal.kr_line", "N", i+1, "KR", krLine(t, o, k)))
	}
	if o.Status == store.GoalChanges && o.Note != "" {
		lines = append(lines, t.T("goal.note", "Note", bot.Neutralize(o.Note)))
	}
	return strings.Join(lines, "\n")
}

func periodOf(o store.Objective) string {
	if o.Period != "" {
		return o.Period
	}
	return o.Starts + " – " + o.Ends
}

// krLine is a key result: its title, start, current value and target, its
// due date and progress.
func krLine(t i18n.Texts, o store.Objective, k store.KeyResult) string {
	line := t.T("goal.kr", "KR", bot.Neutralize(k.Title), "Current", num(k.Current), "Target", num(k.Target),
		"Unit", bot.Neutralize(k.Unit), "Due", dueOf(o, k), "Bar", okr.Bar(okr.KeyResult(k), barWidth))
	if k.Automatic != 0 {
		// What moved by itself is told apart from what the owner typed.
		line += t.T("goal.kr_auto", "Auto", fmt.Sprintf("%+g", k.Automatic))
	}
	return line
}

// krDraftLine is a key result being drafted.
func krDraftLine(t i18n.Texts, k KRDraft) string {
	return t.T("goal.kr_draft", "KR", bot.Neutralize(k.Title), "Start", num(k.Start), "Target", num(k.Target),
		"Unit", bot.Neutralize(k.Unit), "Due", k.Due)
}

// list is "goal list": the person's goals.
func (c goals) list() {
	if len(c.in.Goal.Mine) == 0 {
		c.say(c.t.T("goal.list_none"))
		return
	}
	parts := []string{c.t.T("goal.list_title")}
	for _, o := range c.in.Goal.Mine {
		parent := ""
		if p, ok := find(c.in.Goal.Aligned, o.ParentID); ok {
			parent = p.Title
		}
		parts = append(parts, goalText(c.t, o, parent))
	}
	c.say(strings.Join(parts, "\n\n"))
}

// tree is "goal tree": every goal the person may see, rolled up.
func (c goals) tree() {
	roots := okr.Tree(c.in.Goal.All)
	if len(roots) == 0 {
		c.say(c.t.T("goal.list_none"))
		return
	}
	names := map[int64]string{}
	for _, p := range c.in.Goal.People {
		names[p.ID] = p.Name
	}
	lines := TreeLines(c.t, roots, names)
	if len(lines) > maxTreeLines {
		more := len(lines) - maxTreeLines
		lines = append(lines[:maxTreeLines], c.t.T("goal.tree_more", "Count", more))
	}
	c.say(c.t.T("goal.tree_title") + "\n" + strings.Join(lines, "\n"))
}

// TreeLines draws a goal tree, one line a goal, indented by depth, with
// its owner's name (from names) and progress; goals that do not count yet
// say their status. The CLI draws it the same way.
func TreeLines(t i18n.Texts, roots []*okr.Node, names map[int64]string) []string {
	var lines []string
	type at struct {
		n     *okr.Node
		depth int
	}
	stack := make([]at, 0, len(roots))
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, at{roots[i], 0})
	}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		o := top.n.Objective
		status := ""
		if !o.Counts() {
			status = " (" + t.T("goal.status."+string(o.Status)) + ")"
		}
		lines = append(lines, strings.Repeat("   ", top.depth)+t.T("goal.tree_line", "Goal", bot.Neutralize(o.Title),
			"Owner", names[o.OwnerID], "Bar", okr.Bar(top.n.Progress, barWidth))+status)
		for i := len(top.n.Children) - 1; i >= 0; i-- {
			stack = append(stack, at{top.n.Children[i], top.depth + 1})
		}
	}
	return lines
}
