package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/perfbot/perfbot/internal/store"
)

// kudos is the praise flowing between teams, and by company value.
func (h *Handler) kudos(ctx context.Context, s *scope) (Section, error) {
	rows, err := h.store.KudosFlow(ctx, s.v, s.from, s.now)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "kudos", Title: t.T("dashboard.kudos.title"), Intro: t.T("dashboard.kudos.intro")}
	if len(rows) == 0 {
		sec.Empty = t.T("dashboard.kudos.empty")
		return sec, nil
	}
	name := func(id int64) string {
		if n, ok := s.teams[id]; ok {
			return n.Name
		}
		return t.T("dashboard.no_team")
	}
	value := func(v string) string {
		if v == "" {
			return t.T("dashboard.kudos.no_value")
		}
		return v
	}
	slices.SortFunc(rows, func(a, b store.KudosFlowRow) int {
		return cmp.Or(cmp.Compare(name(a.FromTeamID), name(b.FromTeamID)), cmp.Compare(name(a.ToTeamID), name(b.ToTeamID)), cmp.Compare(a.Value, b.Value))
	})
	sec.Table = Sheet{Name: "Kudos", Header: []string{t.T("dashboard.col.from_team"), t.T("dashboard.col.to_team"),
		t.T("dashboard.col.value"), t.T("dashboard.col.praise"), t.T("dashboard.col.points")}}
	byValue := map[string]int{}
	var values []string
	total, across := 0, 0
	for _, r := range rows {
		sec.Table.Rows = append(sec.Table.Rows, []string{name(r.FromTeamID), name(r.ToTeamID), value(r.Value), fmt.Sprint(r.Count), fmt.Sprint(r.Points)})
		v := value(r.Value)
		if _, ok := byValue[v]; !ok {
			values = append(values, v)
		}
		byValue[v] += r.Count
		total += r.Count
		if r.FromTeamID != r.ToTeamID {
			across += r.Count
		}
	}
	slices.SortFunc(values, func(a, b string) int { return cmp.Or(cmp.Compare(byValue[b], byValue[a]), cmp.Compare(a, b)) })
	bars := make([]barItem, len(values))
	for i, v := range values {
		bars[i] = barItem{Label: v, Value: fmt.Sprint(byValue[v]), N: float64(byValue[v]), Fill: "#8e24aa"}
	}
	chart, err := render(h.charts, "bars", newBars(t.T("dashboard.kudos.chart"), bars, 0, 0, ""))
	if err != nil {
		return Section{}, err
	}
	sec.Chart = chart
	sec.Tiles = []Tile{
		{Label: t.T("dashboard.kudos.total"), Value: fmt.Sprint(total)},
		{Label: t.T("dashboard.kudos.across"), Value: shareOf(across, total)},
	}
	return sec, nil
}
