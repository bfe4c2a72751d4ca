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
// subjects built by okr.SubjectsOf (the scheduler's okr.ReadSubjects, on
// the goals the dashboard read already), here as the viewer, so a manager
// sees what their digest tells them and the goals view calls slipping what
// a warning is about.

// goalWarning is a goal rule that fired for someone in the viewer's
// insight, with what it is about.
type goalWarning struct {
	okr.Warning
	check  string // the rule's check: okr.CheckBehind, ...
	teamID int64
	goal   string          // the goal's title, "" for a person's warning
	kr     store.KeyResult // the key result's, zero for a person's
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
	known, err := h.peopleOf(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	people := make([]bot.Person, 0, len(ids))
	for _, id := range ids {
		if p, ok := known[id]; ok && p.ID != 0 {
			people = append(people, p)
		}
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
	// The goals view's read of the viewer's goals serves here too: they
	// are the same person goals ReadSubjects would read.
	objs, err := h.objectives(ctx, s)
	if err != nil {
		return nil, err
	}
	subjects, err := okr.SubjectsOf(ctx, h.store, s.v, people, objs, n)
	if err != nil {
		return nil, err
	}
	// By rule, then by person: each rule's warnings in a list of its own.
	byRule := make([][]goalWarning, len(h.warnBase))
	for _, p := range people {
		sub, ok := subjects[p.ID]
		if !ok {
			continue
		}
		h.evaluate(s, p, sub, rules[p.TeamID], byRule)
	}
	s.warns, s.warnsRead = slices.Concat(byRule...), true
	return s.warns, nil
}

// evaluate adds what rules say of p's subject today, where p is (the
// scheduler's day for them too), to the list of each rule in byRule.
func (h *Handler) evaluate(s *scope, p bot.Person, sub okr.Subject, rules []okr.WarnRule, byRule [][]goalWarning) {
	today := s.now.In(h.location(p)).Format(time.DateOnly)
	for _, w := range okr.Warnings(rules, sub, s.now, today) {
		gw := goalWarning{Warning: w, check: h.checks[w.Rule], teamID: p.TeamID}
		for _, o := range sub.Goals {
			if o.ID != w.Objective {
				continue
			}
			for _, k := range o.KeyResults {
				if k.ID == w.KeyResult {
					gw.goal, gw.kr = o.Title, k
				}
			}
		}
		i := h.ruleOrder[w.Rule]
		byRule[i] = append(byRule[i], gw)
	}
}

// goalKind is what the warnings view calls a goal warning of check, in the
// viewer's language.
func (s *scope) goalKind(check string) string {
	switch check {
	case okr.CheckSilent:
		return s.t.T("dashboard.warning.no_feedback")
	case okr.CheckNearDue:
		return s.t.T("dashboard.warning.kr_due")
	}
	return s.t.T("dashboard.warning.kr_slipping")
}

// goalDetail is what the warnings view says of a goal warning, in the
// viewer's language: only for the rows it lists, there may be thousands.
func (s *scope) goalDetail(w *goalWarning) string {
	t := s.t
	switch w.check {
	case okr.CheckSilent:
		if w.Days < 0 {
			return t.T("dashboard.warning.silent_never", "Days", int(s.now.Sub(w.Since).Hours()/24))
		}
		return t.T("dashboard.warning.silent", "Days", w.Days)
	case okr.CheckNearDue:
		return t.T("dashboard.warning.plan", "Goal", w.goal, "KR", w.kr.Title, "Value", krValue(w.kr),
			"Progress", okr.Percent(w.Progress), "Days", w.DaysLeft)
	}
	return t.T("dashboard.warning.behind", "Goal", w.goal, "KR", w.kr.Title, "Value", krValue(w.kr),
		"Progress", okr.Percent(w.Progress), "Expected", okr.Percent(w.Expected))
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

// peopleOf reads the people with ids, each once per request (the views
// name the same people), and returns everyone read so far by id; one not
// found is there as the zero Person.
func (h *Handler) peopleOf(ctx context.Context, s *scope, ids []int64) (map[int64]bot.Person, error) {
	if s.people == nil {
		s.people = map[int64]bot.Person{}
	}
	var missing []int64
	for _, id := range ids {
		if _, ok := s.people[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return s.people, nil
	}
	people, err := h.store.PeopleByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, id := range missing {
		s.people[id] = bot.Person{}
	}
	for _, p := range people {
		s.people[p.ID] = p
	}
	return s.people, nil
}
