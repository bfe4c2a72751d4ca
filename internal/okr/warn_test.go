package okr_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// quarter is a person's approved goal from 10-01 to 12-31 with one key
// result 0 -> 100 due then.
func quarter(krID int64, current float64) store.Objective {
	return store.Objective{ID: krID, OwnerID: 7, Status: store.GoalApproved, Starts: "2026-10-01", Ends: "2026-12-31",
		KeyResults: []store.KeyResult{{ID: krID, Title: fmt.Sprint("KR ", krID), Start: 0, Target: 100, Current: current, Direction: store.Up}}}
}

func update(id int64, value float64, day string) store.ProgressPoint {
	at, _ := time.Parse(time.DateOnly, day)
	return store.ProgressPoint{ID: id, Value: value, At: at.Add(10 * time.Hour)}
}

func rules(t *testing.T) []okr.WarnRule {
	t.Helper()
	rs, err := okr.DefaultWarnRules()
	require.NoError(t, err)
	return rs
}

func TestWarningsBehind(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	// On 11-10 and 11-17 the line says about 44 % and 51 %; 20 and 25 are
	// under 70 % of that.
	s := okr.Subject{PersonID: 7, ManagerID: 3, LastFeedback: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Goals:   []store.Objective{quarter(1, 25)},
		Updates: map[int64][]store.ProgressPoint{1: {update(10, 20, "2026-11-10"), update(11, 25, "2026-11-17")}}}
	ws := okr.Warnings(rules(t), s, now, "2026-11-20")
	require.Len(t, ws, 1)
	require.Equal(t, "behind", ws[0].Rule)
	require.Equal(t, int64(3), ws[0].To)
	require.Equal(t, "behind:1:11", ws[0].Key)
	require.InDelta(t, 0.25, ws[0].Progress, 1e-9)
	require.Equal(t, s.Updates[1][0].At, ws[0].Since, "behind since the first of the two updates")

	// Feedback in those weeks: someone is on it.
	s.LastFeedback = time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)
	require.Empty(t, okr.Warnings(rules(t), s, now, "2026-11-20"))

	// Only one of the two updates behind.
	s.LastFeedback = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	s.Updates[1][0].Value = 40
	require.Empty(t, okr.Warnings(rules(t), s, now, "2026-11-20"))

	// A draft does not count.
	s.Updates[1][0].Value = 20
	s.Goals[0].Status = store.GoalPending
	require.Empty(t, okr.Warnings(rules(t), s, now, "2026-11-20"))
}

func TestWarningsSilentAndPlan(t *testing.T) {
	now := time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC)
	s := okr.Subject{PersonID: 7, ManagerID: 3, LastFeedback: now.Add(-22 * 24 * time.Hour),
		Goals: []store.Objective{quarter(1, 40), quarter(2, 60)}}
	ws := okr.Warnings(rules(t), s, now, "2026-12-18")
	require.Len(t, ws, 2)
	require.Equal(t, "silent", ws[0].Rule)
	require.Equal(t, int64(3), ws[0].To)
	require.Equal(t, 22, ws[0].Days)
	require.Equal(t, s.LastFeedback, ws[0].Since)
	require.Equal(t, "plan", ws[1].Rule)
	require.Equal(t, int64(7), ws[1].To, "the plan is asked of the owner")
	require.Equal(t, int64(1), ws[1].KeyResult)
	require.Equal(t, 13, ws[1].DaysLeft)

	// Twenty days without feedback, and 15 days to due: nothing.
	s.LastFeedback = now.Add(-20 * 24 * time.Hour)
	require.Empty(t, okr.Warnings(rules(t), s, now.Add(-2*24*time.Hour), "2026-12-16"))

	// Never any feedback: silent once Since is Days old, under one key.
	s.LastFeedback = time.Time{}
	s.Since = now.Add(-30 * 24 * time.Hour)
	ws = okr.Warnings(rules(t), s, now, "2026-12-18")
	require.Equal(t, "silent:7:never", ws[0].Key)
	require.Equal(t, -1, ws[0].Days)
	require.Equal(t, s.Since, ws[0].Since, "never: since the goals were agreed")
}

func TestWarnRulesPerTeam(t *testing.T) {
	base := rules(t)
	rs, err := okr.WarnRulesFor(store.TeamRules{Warnings: map[string]store.WarningRule{
		"silent": {Days: 7}, "plan": {Off: true},
	}}, base)
	require.NoError(t, err)
	now := time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC)
	s := okr.Subject{PersonID: 7, ManagerID: 3, LastFeedback: now.Add(-8 * 24 * time.Hour), Goals: []store.Objective{quarter(1, 40)}}
	ws := okr.Warnings(rs, s, now, "2026-12-18")
	require.Len(t, ws, 1)
	require.Equal(t, "silent", ws[0].Rule)
	require.Equal(t, 21, base[1].Days, "the defaults are not changed")

	_, err = okr.WarnRulesFor(store.TeamRules{Warnings: map[string]store.WarningRule{"plan": {Below: 2}}}, base)
	require.ErrorIs(t, err, okr.ErrBadWarnRule)
	_, err = okr.WarnRulesFor(store.TeamRules{Warnings: map[string]store.WarningRule{"nope": {}}}, base)
	require.ErrorIs(t, err, okr.ErrBadWarnRule)
	_, err = okr.ParseWarnRules([]byte("rules:\n  - id: x\n    check: behind\n    to: boss\n"))
	require.ErrorIs(t, err, okr.ErrBadWarnRule)
}

func TestByRecipient(t *testing.T) {
	g := okr.ByRecipient([]okr.Warning{{To: 3, PersonID: 9}, {To: 4, PersonID: 1}, {To: 3, PersonID: 2}})
	require.Len(t, g, 2)
	require.Equal(t, []int64{2, 9}, []int64{g[3][0].PersonID, g[3][1].PersonID})
}

// BenchmarkWarnings evaluates every rule for 100,000 people with 3 goals of
// 3 key results each, two updates per key result, a third of them behind.
func BenchmarkWarnings(b *testing.B) {
	rs, err := okr.DefaultWarnRules()
	require.NoError(b, err)
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	subjects := make([]okr.Subject, 100_000)
	id := int64(0)
	for p := range subjects {
		s := okr.Subject{PersonID: int64(p + 1), ManagerID: int64(p/8 + 1), LastFeedback: now.Add(-time.Duration(p%30) * 24 * time.Hour),
			Updates: map[int64][]store.ProgressPoint{}}
		for range 3 {
			o := quarter(0, 0)
			o.KeyResults = nil
			for range 3 {
				id++
				v := float64(20 + (p%3)*20)
				o.KeyResults = append(o.KeyResults, store.KeyResult{ID: id, Start: 0, Target: 100, Current: v, Direction: store.Up})
				s.Updates[id] = []store.ProgressPoint{update(2*id, v-5, "2026-11-10"), update(2*id+1, v, "2026-11-17")}
			}
			s.Goals = append(s.Goals, o)
		}
		subjects[p] = s
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, s := range subjects {
			n += len(okr.Warnings(rs, s, now, "2026-11-20"))
		}
		if n == 0 {
			b.Fatal("no warnings")
		}
	}
}
