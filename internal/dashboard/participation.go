package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// participation is the heat map of check-ins submitted per team and week.
func (h *Handler) participation(ctx context.Context, s *scope) (Section, error) {
	cells, err := h.participationCells(ctx, s)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "participation", Title: t.T("dashboard.participation.title"), Intro: t.T("dashboard.participation.intro")}
	type count struct{ rounds, submitted int }
	byTeam := map[int64]map[string]count{}
	var teams []int64
	total := map[string]count{}
	for _, c := range cells {
		if byTeam[c.TeamID] == nil {
			byTeam[c.TeamID] = map[string]count{}
			teams = append(teams, c.TeamID)
		}
		byTeam[c.TeamID][c.Period] = count{c.Rounds, c.Submitted}
		tc := total[c.Period]
		total[c.Period] = count{tc.rounds + c.Rounds, tc.submitted + c.Submitted}
	}
	if len(teams) == 0 {
		sec.Empty = t.T("dashboard.participation.empty")
		return sec, nil
	}
	slices.SortFunc(teams, func(a, b int64) int { return cmp.Compare(s.teamName(a), s.teamName(b)) })
	sec.Table = Sheet{Name: "Participation", Header: append([]string{t.T("dashboard.col.team")}, s.weeks...)}
	var names []string
	values := make([][]heatValue, len(teams))
	for i, id := range teams {
		name := s.teamName(id)
		names = append(names, name)
		row := []string{name}
		for _, w := range s.weeks {
			c, ok := byTeam[id][w]
			v := heatValue{Tip: fmt.Sprintf("%s %s", name, w)}
			if ok && c.rounds > 0 {
				share := float64(c.submitted) / float64(c.rounds)
				v = heatValue{Share: share, Has: true, Label: percent(share),
					Tip: fmt.Sprintf("%s %s: %s", name, w, t.T("dashboard.participation.cell", "Submitted", c.submitted, "Rounds", c.rounds))}
				row = append(row, fmt.Sprintf("%s (%d/%d)", percent(share), c.submitted, c.rounds))
			} else {
				row = append(row, "")
			}
			values[i] = append(values[i], v)
		}
		sec.Table.Rows = append(sec.Table.Rows, row)
	}
	cols := make([]string, len(s.weeks))
	for i, w := range s.weeks {
		cols[i] = shortWeek(w)
	}
	chart, err := render(h.charts, "heatmap", newHeatmap(sec.Title, names, cols, values))
	if err != nil {
		return Section{}, err
	}
	sec.Chart = chart
	this, last := total[s.weeks[len(s.weeks)-1]], total[s.weeks[max(0, len(s.weeks)-2)]]
	sec.Tiles = []Tile{
		{Label: t.T("dashboard.participation.this_week"), Value: shareOf(this.submitted, this.rounds)},
		{Label: t.T("dashboard.participation.last_week"), Value: shareOf(last.submitted, last.rounds)},
	}
	return sec, nil
}

// percent is a share as "83%".
func percent(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }

// shareOf is n of total as a percent, "–" when total is 0.
func shareOf(n, total int) string {
	if total == 0 {
		return "–"
	}
	return percent(float64(n) / float64(total))
}
