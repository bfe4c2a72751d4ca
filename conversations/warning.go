package conversations

import (
	"fmt"
	"math"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/okr"
)

// GoalWarnings is a manager's one digest of the early warnings about their
// reports (okr.Warnings): a line for each, and under it a one-tap button to
// give each person named feedback, at most one button per person.
func GoalWarnings(t i18n.Texts, ws []okr.Warning, names map[int64]string) bot.Message {
	lines := make([]string, 0, len(ws))
	var buttons []bot.Button
	seen := map[int64]bool{}
	for _, w := range ws {
		name := names[w.PersonID]
		switch w.Rule {
		case "silent":
			if w.Days < 0 {
				lines = append(lines, "🟡 "+t.T("warn.silent_never", "Name", name))
			} else {
				lines = append(lines, "🟡 "+t.T("warn.silent", "Name", name, "Days", w.Days))
			}
		default:
			lines = append(lines, "🔴 "+t.T("warn.behind", "Name", name, "KR", bot.Neutralize(w.Title),
				"Progress", pct(w.Progress), "Expected", pct(w.Expected)))
		}
		if !seen[w.PersonID] && len(buttons) < maxWarnButtons {
			seen[w.PersonID] = true
			src := "goal"
			if w.Title != "" {
				src = short("goal: "+w.Title, maxSource)
			}
			a := action{Name: actBizSBI, ID: w.PersonID, Arg: src}
			buttons = append(buttons, bot.Button{Label: t.T("warn.button.feedback", "Name", name), Value: a.value()})
		}
	}
	return bot.Message{
		Title:   t.T("warn.title", "Count", len(ws)),
		Text:    strings.Join(lines, "\n"),
		Buttons: buttons,
	}
}

// maxWarnButtons keeps a long digest's buttons to what a card shows.
const maxWarnButtons = 5

// PlanRequest asks a key result's owner for a plan: it is close to its due
// date and far from done.
func PlanRequest(t i18n.Texts, w okr.Warning) bot.Message {
	return bot.Message{
		Title: t.T("warn.plan.title"),
		Text: t.T("warn.plan.text", "KR", bot.Neutralize(w.Title), "Progress", pct(w.Progress), "Days", w.DaysLeft) +
			"\n" + t.T("warn.plan.how"),
	}
}

// pct writes progress in [0, 1] as a whole percentage.
func pct(p float64) string { return fmt.Sprintf("%d%%", int(math.Round(p*100))) }
