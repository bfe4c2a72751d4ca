package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

// The targets feedback timeliness is held against.
const (
	// TargetMedian is the longest the median request should wait.
	TargetMedian = 18 * time.Hour
	// TargetLateShare is the share of requests answered after LateAfter
	// that should not be reached.
	TargetLateShare = 0.05
	// LateAfter is when an answer, or its absence, is late.
	LateAfter = 48 * time.Hour
)

// timeliness tallies requests the way perfbot export feedback does.
type timeliness struct {
	requests, answered, answeredLate, openLate int
	waits                                      []time.Duration
}

func (tl *timeliness) add(r store.RequestWait, now time.Time) {
	tl.requests++
	switch {
	case !r.AnsweredAt.IsZero():
		tl.answered++
		w := r.AnsweredAt.Sub(r.CreatedAt)
		tl.waits = append(tl.waits, w)
		if w > LateAfter {
			tl.answeredLate++
		}
	case !r.Declined && now.Sub(r.CreatedAt) > LateAfter:
		tl.openLate++
	}
}

// median is the median wait of the answered requests, and whether there
// was any.
func (tl *timeliness) median() (time.Duration, bool) {
	ds := slices.Clone(tl.waits)
	if len(ds) == 0 {
		return 0, false
	}
	slices.Sort(ds)
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid], true
	}
	return ds[mid-1] + (ds[mid]-ds[mid-1])/2, true
}

func (tl *timeliness) lateShare() float64 {
	if tl.requests == 0 {
		return 0
	}
	return float64(tl.answeredLate) / float64(tl.requests)
}

func hours(d time.Duration) string { return fmt.Sprintf("%.1f", d.Hours()) }

// feedback is how fast feedback requests are answered, against the
// targets, by team.
func (h *Handler) feedback(ctx context.Context, s *scope) (Section, error) {
	waits, err := h.store.RequestWaits(ctx, s.v, s.from, s.now)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "feedback", Title: t.T("dashboard.feedback.title"),
		Intro: t.T("dashboard.feedback.intro", "Median", TargetMedian.Hours(), "Late", TargetLateShare*100)}
	if len(waits) == 0 {
		sec.Empty = t.T("dashboard.feedback.empty")
		return sec, nil
	}
	var all timeliness
	byTeam := map[int64]*timeliness{}
	for _, r := range waits {
		all.add(r, s.now)
		if byTeam[r.TeamID] == nil {
			byTeam[r.TeamID] = &timeliness{}
		}
		byTeam[r.TeamID].add(r, s.now)
	}
	med, ok := all.median()
	medTile := Tile{Label: t.T("dashboard.feedback.median"), Value: "–", Target: t.T("dashboard.feedback.median_target", "Hours", TargetMedian.Hours())}
	if ok {
		medTile.Value = t.T("dashboard.hours", "Hours", hours(med))
		medTile.Met, medTile.Missed = med <= TargetMedian, med > TargetMedian
	}
	late := all.lateShare()
	sec.Tiles = []Tile{
		medTile,
		{Label: t.T("dashboard.feedback.late"), Value: percent(late), Target: t.T("dashboard.feedback.late_target", "Percent", TargetLateShare*100),
			Met: late < TargetLateShare, Missed: late >= TargetLateShare},
		{Label: t.T("dashboard.feedback.open_late"), Value: fmt.Sprint(all.openLate), Met: all.openLate == 0, Missed: all.openLate > 0},
	}
	teams := make([]int64, 0, len(byTeam))
	for id := range byTeam {
		teams = append(teams, id)
	}
	slices.SortFunc(teams, func(a, b int64) int { return cmp.Compare(s.teamName(a), s.teamName(b)) })
	sec.Table = Sheet{Name: "Feedback timeliness", Header: []string{t.T("dashboard.col.team"), t.T("dashboard.col.requests"),
		t.T("dashboard.col.answered"), t.T("dashboard.col.median_hours"), t.T("dashboard.col.late_share"), t.T("dashboard.col.open_late")}}
	var bars []barItem
	for _, id := range teams {
		tl := byTeam[id]
		m, ok := tl.median()
		medCell := ""
		if ok {
			medCell = hours(m)
			fill := "#43a047"
			if m > TargetMedian {
				fill = "#e53935"
			}
			bars = append(bars, barItem{Label: s.teamName(id), Value: t.T("dashboard.hours", "Hours", hours(m)), N: m.Hours(), Fill: fill})
		}
		sec.Table.Rows = append(sec.Table.Rows, []string{s.teamName(id), fmt.Sprint(tl.requests), fmt.Sprint(tl.answered),
			medCell, percent(tl.lateShare()), fmt.Sprint(tl.openLate)})
	}
	if len(bars) > 0 {
		chart, err := render(h.charts, "bars", newBars(t.T("dashboard.feedback.chart"), bars, 0, TargetMedian.Hours(),
			t.T("dashboard.feedback.target_line", "Hours", TargetMedian.Hours())))
		if err != nil {
			return Section{}, err
		}
		sec.Chart = chart
	}
	return sec, nil
}
