package dashboard

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// The goal warnings the dashboard shows are the scheduler's: the same
// rules (internal/okr's, changed per team), evaluated by okr.Warnings on
// subjects read by okr.ReadSubjects, here as the viewer, so a manager sees
// what their digest tells them and the goals view calls slipping what a
// warning is about.

// goalWarning is a goal rule that fired for someone in the viewer's
// insight, with what it is about.
type goalWarning struct {
	okr.Warning
	check  string // the rule's check: okr.CheckBehind, ...
	teamID int64
	goal   store.Objective // zero for a person's warning
	kr     store.KeyResult
}

// ruleWarnings evaluates the goal warnings of everyone s's insight covers,
// each under their team's rules (the defaults for someone in no team),
// once per request: in rule order, then by person.
func (h *Handler) ruleWarnings(ctx context.Context, s *scope) ([]goalWarning, error) {
	if s.warnsRead {
		return s.warns, nil
	}
	ids, err := h.insightPeople(ctx, s)
	if err != nil {
		return nil, err
	}
	people, err := h.store.PeopleByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	rules := map[int64][]okr.WarnRule{}
	n := 0
	for _, p := range people {
		if _, ok := rules[p.TeamID]; ok {
			continue
		}
		team := s.teams[p.TeamID]
		rs, err := okr.WarnRulesFor(team.Rules, h.warnBase)
		if err != nil {
			h.log.WarnContext(ctx, "team warning rules; using the defaults", "team", team.Name, "err", err)
		}
		rules[p.TeamID] = rs
		n = max(n, okr.UpdatesLookedAt(rs))
	}
	subjects, err := okr.ReadSubjects(ctx, h.store, s.v, people, n)
	if err != nil {
		return nil, err
	}
	var out []goalWarning
	for _, p := range people {
		sub, ok := subjects[p.ID]
		if !ok {
			continue
		}
		out = append(out, h.evaluate(s, p, sub, rules[p.TeamID])...)
	}
	slices.SortStableFunc(out, func(a, b goalWarning) int { return h.ruleOrder[a.Rule] - h.ruleOrder[b.Rule] })
	s.warns, s.warnsRead = out, true
	return out, nil
}

// evaluate is what rules say of p's subject today, where p is: the
// scheduler's day for them too.
func (h *Handler) evaluate(s *scope, p bot.Person, sub okr.Subject, rules []okr.WarnRule) []goalWarning {
	today := s.now.In(h.location(p)).Format(time.DateOnly)
	var out []goalWarning
	for _, w := range okr.Warnings(rules, sub, s.now, today) {
		gw := goalWarning{Warning: w, check: h.checks[w.Rule], teamID: p.TeamID}
		for _, o := range sub.Goals {
			if o.ID != w.Objective {
				continue
			}
			for _, k := range o.KeyResults {
				if k.ID == w.KeyResult {
					gw.goal, gw.kr = o, k
				}
			}
		}
		out = append(out, gw)
	}
	return out
}

// shown is a goal warning as the warnings view lists it, in the viewer's
// language.
func (s *scope) shown(w goalWarning) Warning {
	t := s.t
	out := Warning{PersonID: w.PersonID, TeamID: w.teamID, Since: w.Since}
	switch w.check {
	case okr.CheckSilent:
		out.Kind = t.T("dashboard.warning.no_feedback")
		out.Detail = t.T("dashboard.warning.silent", "Days", w.Days)
		if w.Days < 0 {
			out.Detail = t.T("dashboard.warning.silent_never", "Days", int(s.now.Sub(w.Since).Hours()/24))
		}
	case okr.CheckNearDue:
		out.Kind = t.T("dashboard.warning.kr_due")
		out.Detail = t.T("dashboard.warning.plan", "Goal", w.goal.Title, "KR", w.kr.Title, "Value", krValue(w.kr),
			"Progress", okr.Percent(w.Progress), "Days", w.DaysLeft)
	default:
		out.Kind = t.T("dashboard.warning.kr_slipping")
		out.Detail = t.T("dashboard.warning.behind", "Goal", w.goal.Title, "KR", w.kr.Title, "Value", krValue(w.kr),
			"Progress", okr.Percent(w.Progress), "Expected", okr.Percent(w.Expected))
	}
	return out
}

// goalsIntro explains slipping with the numbers of perfbot's rules.
func (h *Handler) goalsIntro(t i18n.Texts) string {
	var behind, plan okr.WarnRule
	for _, r := range h.warnBase {
		switch r.Check {
		case okr.CheckBehind:
			behind = r
		case okr.CheckNearDue:
			plan = r
		}
	}
	return t.T("dashboard.goals.intro", "Updates", behind.Updates, "Percent", pct(behind.Below),
		"Days", plan.Days, "Done", pct(plan.Below))
}

func pct(f float64) int { return int(math.Round(f * 100)) }

// insightPeople lists the people s's insight covers, read once per
// request.
func (h *Handler) insightPeople(ctx context.Context, s *scope) ([]int64, error) {
	if !s.idsRead {
		ids, err := h.store.InsightPeople(ctx, s.v)
		if err != nil {
			return nil, err
		}
		s.ids, s.idsRead = ids, true
	}
	return s.ids, nil
}
