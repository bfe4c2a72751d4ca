package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// seedWarnGoals gives the three employees agreed goals (from 10-01, each
// key result 0 -> 100 by 12-31) updated on 12-02 and 12-03, when a
// straight line says 68% and 69%:
//
//	Emil (Platform): Moderate 40, 41   under 70% of the line, over 50%
//	                 Launch 20, due 12-12, no updates: near due, far from done
//	                 never given feedback since his goals were agreed
//	Erin (Platform): Moderate 40, 41, but given feedback between the two
//	张三 (Growth):    Moderate 40, 41; Far behind 10, 12 (under 50% too);
//	                 praised on 12-01 (seed), before both updates
func seedWarnGoals(t *testing.T, st store.Store, o org) {
	ctx := t.Context()
	agreed := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	goal := func(owner bot.Person, title string, krs ...store.KeyResult) store.Objective {
		ob := store.Objective{Level: store.LevelPerson, OwnerID: owner.ID, Kind: store.KindOKR, Title: title, Period: "2026-Q4",
			Starts: "2026-10-01", Ends: "2026-12-31", Status: store.GoalApproved, ApprovedBy: owner.ManagerID, ApprovedAt: agreed,
			KeyResults: krs}
		require.NoError(t, st.SaveObjective(ctx, &ob))
		return ob
	}
	kr := func(title, due string, current float64) store.KeyResult {
		return store.KeyResult{Title: title, Start: 0, Target: 100, Current: current, Direction: store.Up, Due: due}
	}
	update := func(k store.KeyResult, values ...float64) {
		for i, v := range values {
			u := store.ProgressUpdate{KeyResultID: k.ID, AuthorID: 0, Value: v, At: time.Date(2026, 12, 2+i, 9, 0, 0, 0, time.UTC)}
			_, err := st.AddProgress(ctx, &u)
			require.NoError(t, err)
		}
	}
	emil := goal(o.emp1, "Emil's quarter", kr("Moderate", "", 0), kr("Launch", "2026-12-12", 20))
	update(emil.KeyResults[0], 40, 41)
	erin := goal(o.emp2, "Erin's quarter", kr("Moderate", "", 0))
	update(erin.KeyResults[0], 40, 41)
	fb := store.Feedback{Kind: store.FeedbackSBI, GiverID: o.mgrA.ID, RecipientID: o.emp2.ID, Situation: "s", Behavior: "b", Impact: "i",
		CreatedAt: time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)}
	require.NoError(t, st.SaveFeedback(ctx, &fb))
	zhang := goal(o.emp3, "张三的季度", kr("Moderate", "", 0), kr("Far behind", "", 0))
	update(zhang.KeyResults[0], 40, 41)
	update(zhang.KeyResults[1], 10, 12)
}

// goalRows are the goal warnings of a page's warnings table, as
// "kind|person|detail's start", and the goals table's key results marked
// slipping, as "goal/key result".
func goalRows(t *testing.T, body string) (warned, slipping []string) {
	rest := func(rows [][]string) [][]string { // an empty view has no table
		if len(rows) == 0 {
			return nil
		}
		return rows[1:]
	}
	for _, r := range rest(tableOf(t, body, "warnings")) {
		if strings.Contains(r[0], "Review") || strings.Contains(r[0], "审阅") {
			continue
		}
		detail, _, _ := strings.Cut(r[4], " (")
		warned = append(warned, r[0]+"|"+r[1]+"|"+detail)
	}
	for _, r := range rest(tableOf(t, body, "goals")) {
		if r[10] != "" {
			slipping = append(slipping, strings.TrimSpace(r[0])+"/"+r[5])
		}
	}
	return warned, slipping
}

// The warnings list the goal rules' warnings, each team's people under
// that team's rules: Growth calls a key result behind only under 50% of
// the line, so 张三's Moderate, behind by perfbot's 70%, is not, until the
// team takes its change back. Feedback since the updates means someone is
// on it. The goals view's slipping agrees with the warnings.
func TestGoalWarningsFollowTeamRules(t *testing.T) {
	for name, db := range backends() {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, db(t), 2)
			o := f.org
			ctx := t.Context()
			seedWarnGoals(t, f.st, o)
			growth, err := f.st.TeamByName(ctx, "增长 Growth")
			require.NoError(t, err)
			growth.Rules.Warnings = map[string]store.WarningRule{"behind": {Below: 0.5}}
			require.NoError(t, f.st.SaveTeam(ctx, &growth))

			_, body := f.signIn(o.hr)
			warned, slipping := goalRows(t, body)
			require.Equal(t, []string{
				"Key result slipping|Emil One|Emil's quarter: Moderate",
				"Key result slipping|张三|张三的季度: Far behind",
				"No recent feedback|Emil One|No feedback since their goals were agreed 63 days ago.",
				"Key result due soon|Emil One|Emil's quarter: Launch",
			}, warned, "Erin had feedback since; Growth's rule spares 张三's Moderate")
			require.Equal(t, []string{"Emil's quarter/Moderate", "Emil's quarter/Launch", "张三的季度/Far behind"}, slipping)
			rows := flatten(tableOf(t, body, "warnings"))
			require.Contains(t, rows, "Emil's quarter: Moderate (41 / 100) is at 41% where a straight line to its target says 69%, and nobody has given feedback since.")
			require.Contains(t, rows, "Emil's quarter: Launch (20 / 100) is at 20% with 9 days to go: time for a plan.")
			require.Contains(t, rows, "2026-12-02 09:00", "behind since the first of the two updates")
			require.Contains(t, section(t, body, "goals"), "under 70% of where a straight line")

			// Growth takes its change back: perfbot's 70% flags 张三's
			// Moderate too.
			growth.Rules.Warnings = nil
			require.NoError(t, f.st.SaveTeam(ctx, &growth))
			_, body = f.signIn(o.hr)
			warned, slipping = goalRows(t, body)
			require.Contains(t, warned, "Key result slipping|张三|张三的季度: Moderate")
			require.Equal(t, []string{"Emil's quarter/Moderate", "Emil's quarter/Launch", "张三的季度/Moderate", "张三的季度/Far behind"}, slipping)
		})
	}
}

// A viewer sees the goal warnings of the people their insight covers and
// of no one else, in their language.
func TestGoalWarningsScope(t *testing.T) {
	f := newFixture(t, sqliteURL(t), 2)
	o := f.org
	seedWarnGoals(t, f.st, o)
	cases := []struct {
		viewer         bot.Person
		warned, hidden []string
	}{
		{o.mgrA, []string{"Key result slipping|Emil One|Emil's quarter: Moderate", "Key result due soon|Emil One|Emil's quarter: Launch"},
			[]string{"张三", "Far behind"}},
		{o.mgrB, []string{"关键结果进度落后|张三|张三的季度：Far behind（12 / 100）目前 12%，按直线推算应到 69%，此后还没有人给过反馈。",
			"关键结果进度落后|张三|张三的季度：Moderate（41 / 100）目前 41%，按直线推算应到 69%，此后还没有人给过反馈。"},
			[]string{"Emil", "Erin", "Launch"}},
		{o.emp1, []string{"Key result slipping|Emil One|Emil's quarter: Moderate", "No recent feedback|Emil One|No feedback since their goals were agreed 63 days ago."},
			[]string{"张三", "Far behind", "Erin"}},
		{o.emp3, []string{"关键结果进度落后|张三|张三的季度：Far behind（12 / 100）目前 12%，按直线推算应到 69%，此后还没有人给过反馈。"},
			[]string{"Emil", "Erin", "Launch"}},
		{o.admin, nil, []string{"Emil", "张三", "Erin", "Moderate", "Far behind", "Launch"}},
	}
	for _, c := range cases {
		t.Run(c.viewer.Name, func(t *testing.T) {
			_, body := f.signIn(c.viewer)
			warned, _ := goalRows(t, body)
			for _, w := range c.warned {
				require.Contains(t, warned, w)
			}
			for _, h := range c.hidden {
				require.NotContains(t, section(t, body, "warnings"), h)
				require.NotContains(t, section(t, body, "goals"), h)
			}
		})
	}
}
