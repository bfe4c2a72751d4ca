package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// mood is the trend of the mean mood, overall and by team. A group's mean
// is shown only when at least MinGroup people gave a mood, except on an
// employee's own page; and the overall mean is withheld too in a week when
// the withheld groups together are smaller than that, so it cannot be
// subtracted back out of the teams shown.
func (h *Handler) mood(ctx context.Context, s *scope) (Section, error) {
	cells, err := h.participationCells(ctx, s)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "mood", Title: t.T("dashboard.mood.title"), Intro: t.T("dashboard.mood.intro", "Min", h.minGroup)}
	type sum struct{ n, total int }
	byTeam := map[int64]map[string]sum{}
	var teams []int64
	for _, c := range cells {
		if c.Moods == 0 {
			continue
		}
		if byTeam[c.TeamID] == nil {
			byTeam[c.TeamID] = map[string]sum{}
			teams = append(teams, c.TeamID)
		}
		byTeam[c.TeamID][c.Period] = sum{c.Moods, c.MoodSum}
	}
	if len(teams) == 0 {
		sec.Empty = t.T("dashboard.mood.empty")
		return sec, nil
	}
	slices.SortFunc(teams, func(a, b int64) int { return cmp.Compare(s.teamName(a), s.teamName(b)) })
	sec.Table = Sheet{Name: "Mood", Header: append([]string{t.T("dashboard.col.team")}, s.weeks...)}
	all := make([]sum, len(s.weeks))
	hidden := make([]int, len(s.weeks))
	withheld := false
	for _, id := range teams {
		row := []string{s.teamName(id)}
		for i, w := range s.weeks {
			m, ok := byTeam[id][w]
			all[i].n += m.n
			all[i].total += m.total
			switch {
			case !ok:
				row = append(row, "")
			case !s.shows(m.n, h.minGroup):
				hidden[i] += m.n
				withheld = true
				row = append(row, t.T("dashboard.withheld"))
			default:
				row = append(row, mean(m.total, m.n))
			}
		}
		sec.Table.Rows = append(sec.Table.Rows, row)
	}
	overall := []string{t.T("dashboard.all")}
	values := make([]*float64, len(s.weeks))
	tips := make([]string, len(s.weeks))
	cols := make([]string, len(s.weeks))
	for i, w := range s.weeks {
		cols[i] = shortWeek(w)
		a := all[i]
		switch {
		case a.n == 0:
			overall = append(overall, "")
		case !s.shows(a.n, h.minGroup) || (hidden[i] > 0 && !s.shows(hidden[i], h.minGroup)):
			withheld = true
			overall = append(overall, t.T("dashboard.withheld"))
		default:
			v := float64(a.total) / float64(a.n)
			values[i] = &v
			tips[i] = fmt.Sprintf("%s: %.1f (n=%d)", w, v, a.n)
			overall = append(overall, mean(a.total, a.n))
		}
	}
	if !s.own {
		sec.Table.Rows = append(sec.Table.Rows, overall)
	}
	if withheld {
		sec.Notes = append(sec.Notes, t.T("dashboard.withheld_note", "Min", h.minGroup))
	}
	chart, err := render(h.charts, "line", newLine(sec.Title, cols, values, 1, 5, tips))
	if err != nil {
		return Section{}, err
	}
	sec.Chart = chart
	return sec, nil
}

// mean is total/n to one decimal.
func mean(total, n int) string { return fmt.Sprintf("%.1f", float64(total)/float64(n)) }
