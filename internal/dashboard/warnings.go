package dashboard

import (
	"context"
	"strconv"

	"github.com/perfbot/perfbot/internal/okr"
)

// MaxWarnings is how many warnings the table lists, the most urgent first;
// the tiles count them all. A company-wide list of thousands helps nobody,
// and the download holds what the table shows.
const MaxWarnings = 200

// warnings are what someone should act on: check-ins whose review is
// overdue or was escalated, and the goal warnings (key results behind,
// people without feedback, key results near due and far from done).
func (h *Handler) warnings(ctx context.Context, s *scope) (Section, error) {
	list, err := h.warningList(ctx, s)
	if err != nil {
		return Section{}, err
	}
	t := s.t
	sec := Section{ID: "warnings", Title: t.T("dashboard.warnings.title"), Intro: t.T("dashboard.warnings.intro")}
	counts := map[string]int{}
	var kinds []string
	for _, w := range list {
		if counts[w.Kind] == 0 {
			kinds = append(kinds, w.Kind)
		}
		counts[w.Kind]++
	}
	for _, k := range kinds {
		sec.Tiles = append(sec.Tiles, Tile{Label: k, Value: strconv.Itoa(counts[k]), Missed: true})
	}
	if len(list) == 0 {
		sec.Empty = t.T("dashboard.warnings.empty")
		return sec, nil
	}
	if len(list) > MaxWarnings {
		sec.Notes = append(sec.Notes, t.T("dashboard.warnings.more", "Shown", MaxWarnings, "Count", len(list)))
		list = list[:MaxWarnings]
	}
	ids := make([]int64, 0, len(list))
	for _, w := range list {
		ids = append(ids, w.PersonID)
	}
	people, err := h.peopleOf(ctx, s, ids)
	if err != nil {
		return Section{}, err
	}
	sec.Table = Sheet{Name: "Warnings", Header: []string{t.T("dashboard.col.warning"), t.T("dashboard.col.person"),
		t.T("dashboard.col.team"), t.T("dashboard.col.since"), t.T("dashboard.col.detail")}}
	for _, w := range list {
		since := ""
		if !w.Since.IsZero() {
			since = w.Since.In(s.loc).Format("2006-01-02 15:04")
		}
		team := s.teamName(w.TeamID)
		if s.own {
			team = ""
		}
		detail := w.Detail
		if w.goal != nil {
			detail = s.goalDetail(w.goal)
		}
		sec.Table.Rows = append(sec.Table.Rows, []string{w.Kind, people[w.PersonID].Name, team, since, detail})
	}
	return sec, nil
}

// warningList gathers the warnings of s's insight, most urgent first:
// escalations, overdue reviews (oldest first), then the goal warnings in
// the order of their rules.
func (h *Handler) warningList(ctx context.Context, s *scope) ([]Warning, error) {
	t := s.t
	var escalated, overdue []Warning
	waiting, err := h.store.WaitingReviews(ctx, s.v, s.from, s.now)
	if err != nil {
		return nil, err
	}
	// One warning a person: their oldest waiting check-in decides.
	for _, r := range waiting {
		review, escalate := h.rules(s.teams[r.TeamID].Rules)
		waited := s.now.Sub(r.Oldest)
		warn := Warning{PersonID: r.PersonID, TeamID: r.TeamID, Since: r.Oldest,
			Detail: t.T("dashboard.warning.waiting", "Count", r.Count, "Period", r.OldestPeriod)}
		switch {
		case waited > escalate:
			warn.Kind = t.T("dashboard.warning.escalated")
			escalated = append(escalated, warn)
		case waited > review:
			warn.Kind = t.T("dashboard.warning.review_overdue")
			overdue = append(overdue, warn)
		}
	}
	list := append(escalated, overdue...)
	goals, err := h.ruleWarnings(ctx, s)
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{}
	for i := range goals {
		w := &goals[i]
		if w.check == okr.CheckSilent && w.PersonID == s.me.ID && !s.own {
			continue // a manager's own feedback is their manager's page
		}
		kind, ok := kinds[w.check]
		if !ok {
			kind = s.goalKind(w.check)
			kinds[w.check] = kind
		}
		list = append(list, Warning{Kind: kind, PersonID: w.PersonID, TeamID: w.teamID, Since: w.Since, goal: w})
	}
	return list, nil
}
