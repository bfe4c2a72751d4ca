package dashboard

import (
	"context"
	"fmt"
)

// broadcastRows is how many of the newest broadcasts are shown.
const broadcastRows = 10

// broadcasts is how many of the people in the insight read each of the
// newest broadcasts. A manager's count over fewer than MinGroup people
// would tell who did not read it, so it is withheld.
func (h *Handler) broadcasts(ctx context.Context, s *scope) (Section, error) {
	list, err := h.store.BroadcastReadRates(ctx, s.v, broadcastRows)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "broadcasts", Title: t.T("dashboard.broadcasts.title"), Intro: t.T("dashboard.broadcasts.intro")}
	if len(list) == 0 {
		sec.Empty = t.T("dashboard.broadcasts.empty")
		return sec, nil
	}
	sec.Table = Sheet{Name: "Broadcasts", Header: []string{t.T("dashboard.col.sent_on"), t.T("dashboard.col.announcement"),
		t.T("dashboard.col.sent"), t.T("dashboard.col.read"), t.T("dashboard.col.read_rate")}}
	var bars []barItem
	withheld := false
	for _, b := range list {
		text := clip(b.Text, 60)
		row := []string{b.CreatedAt.In(s.loc).Format("2006-01-02"), text, fmt.Sprint(b.Sent)}
		switch {
		case !b.Ack:
			row = append(row, "", t.T("dashboard.broadcasts.no_ack"))
		case !s.hr && !s.shows(b.Sent, h.minGroup):
			withheld = true
			row = append(row, t.T("dashboard.withheld"), t.T("dashboard.withheld"))
		default:
			share := float64(b.Acked) / float64(max(b.Sent, 1))
			row = append(row, fmt.Sprint(b.Acked), percent(share))
			bars = append(bars, barItem{Label: clip(b.Text, 20), Value: percent(share), N: share * 100, Fill: "#00897b"})
		}
		sec.Table.Rows = append(sec.Table.Rows, row)
	}
	if withheld {
		sec.Notes = append(sec.Notes, t.T("dashboard.withheld_note", "Min", h.minGroup))
	}
	if len(bars) > 0 {
		chart, err := render(h.charts, "bars", newBars(t.T("dashboard.broadcasts.chart"), bars, 100, 0, ""))
		if err != nil {
			return Section{}, err
		}
		sec.Chart = chart
	}
	return sec, nil
}
