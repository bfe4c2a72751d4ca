package dashboard

import (
	"context"
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// goalRow is a goal of the tree as the view lists it: its depth in the
// tree, for the indent.
type goalRow struct {
	node  *okr.Node
	depth int
}

// goalsView is the goal tree the viewer may see (the store's viewer rules
// decide), with each goal's progress rolled up from what is aligned to it
// and each key result's value, confidence and due date. A key result is
// slipping when a goal warning is about it: the same warnings the
// warnings view lists and the scheduler sends.
func (h *Handler) goalsView(ctx context.Context, s *scope) (Section, error) {
	t := s.t
	sec := Section{ID: "goals", Title: t.T("dashboard.goals.title"), Intro: h.goalsIntro(t)}
	objs, err := h.objectives(ctx, s)
	if err != nil {
		return Section{}, err
	}
	warns, err := h.ruleWarnings(ctx, s)
	if err != nil {
		return Section{}, err
	}
	slipping := map[int64]bool{}
	for _, w := range warns {
		if w.KeyResult != 0 {
			slipping[w.KeyResult] = true
		}
	}
	if len(objs) == 0 {
		sec.Empty = t.T("dashboard.goals.empty")
		return sec, nil
	}
	owners, err := h.ownerNames(ctx, s, objs)
	if err != nil {
		return Section{}, err
	}
	var rows []goalRow
	var walk func(ns []*okr.Node, depth int)
	walk = func(ns []*okr.Node, depth int) {
		for _, n := range ns {
			rows = append(rows, goalRow{n, depth})
			walk(n.Children, depth+1)
		}
	}
	walk(okr.Tree(objs), 0)

	sec.Table = Sheet{Name: "Goals", Header: []string{t.T("dashboard.col.goal"), t.T("dashboard.col.level"), t.T("dashboard.col.owner"),
		t.T("dashboard.col.status"), t.T("dashboard.col.goal_progress"), t.T("dashboard.col.key_result"), t.T("dashboard.col.kr_value"),
		t.T("dashboard.col.kr_progress"), t.T("dashboard.col.confidence"), t.T("dashboard.col.due"), t.T("dashboard.col.slipping")}}
	var (
		approved, slips int
		sum             float64
		bars            []barItem
	)
	for _, r := range rows {
		o := r.node.Objective
		goal := []string{indent(r.depth) + o.Title, t.T("dashboard.goals.level." + string(o.Level)), owners[o.ID],
			t.T("goal.status." + string(o.Status)), okr.Percent(r.node.Progress)}
		if o.Counts() {
			approved++
			sum += r.node.Progress
			if r.depth == 0 && len(bars) < 12 {
				bars = append(bars, barItem{Label: clip(o.Title, 24), Value: okr.Percent(r.node.Progress), N: r.node.Progress * 100, Fill: "#3949ab"})
			}
		}
		if len(o.KeyResults) == 0 {
			sec.Table.Rows = append(sec.Table.Rows, append(goal, "", "", "", "", "", ""))
			continue
		}
		for _, k := range o.KeyResults {
			slip := o.Counts() && slipping[k.ID]
			if slip {
				slips++
			}
			sec.Table.Rows = append(sec.Table.Rows, append(append([]string(nil), goal...), k.Title, krValue(k),
				okr.Percent(okr.KeyResult(k)), confidence(t.T, k.Confidence), due(o, k), yes(t.T, slip)))
		}
	}
	sec.Tiles = []Tile{
		{Label: t.T("dashboard.goals.approved"), Value: strconv.Itoa(approved)},
		{Label: t.T("dashboard.goals.average"), Value: okr.Percent(sum / float64(max(approved, 1)))},
		{Label: t.T("dashboard.goals.slipping"), Value: strconv.Itoa(slips), Missed: slips > 0, Met: slips == 0},
	}
	if len(bars) > 0 {
		chart, err := render(h.charts, "bars", newBars(t.T("dashboard.goals.chart"), bars, 100, 0, ""))
		if err != nil {
			return Section{}, err
		}
		sec.Chart = chart
	}
	return sec, nil
}

// indent marks a goal's depth in the tree in a way a table cell, a CSV
// file and a spreadsheet all show: leading spaces would collapse in HTML.
func indent(depth int) string {
	if depth == 0 {
		return ""
	}
	return strings.Repeat("\u00a0\u00a0\u00a0", depth-1) + "↳ "
}

// due is k's due date, the goal's end when it has none.
func due(o store.Objective, k store.KeyResult) string {
	if k.Due != "" {
		return k.Due
	}
	return o.Ends
}

// krValue is "12 / 30 deals".
func krValue(k store.KeyResult) string {
	v := num(k.Current) + " / " + num(k.Target)
	if k.Unit != "" {
		v += " " + k.Unit
	}
	return v
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func confidence(tr func(string, ...any) string, c store.Confidence) string {
	if c == "" {
		return ""
	}
	return tr("goal.confidence." + string(c))
}

func yes(tr func(string, ...any) string, b bool) string {
	if b {
		return tr("dashboard.yes")
	}
	return ""
}

// ownerNames names each goal's owner: the team of a team goal, the person
// otherwise.
func (h *Handler) ownerNames(ctx context.Context, s *scope, objs []store.Objective) (map[int64]string, error) {
	var ids []int64
	for _, o := range objs {
		if o.TeamID == 0 {
			ids = append(ids, o.OwnerID)
		}
	}
	people, err := h.peopleOf(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(objs))
	for _, o := range objs {
		if o.TeamID != 0 {
			out[o.ID] = s.teamName(o.TeamID)
			continue
		}
		out[o.ID] = people[o.OwnerID].Name
	}
	return out, nil
}
