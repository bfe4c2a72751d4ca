package engine_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// objectives lists who's goals, as perfbot sees them.
func (f *fixture) objectives(who string) []store.Objective {
	f.t.Helper()
	list, err := f.Store.Objectives(context.Background(), store.System, store.ObjectiveFilter{OwnerID: f.people[who].ID})
	require.NoError(f.t, err)
	return list
}

// TestGoalsQuarter runs goals through the engine on both backends: Mei
// (hr) sets a company goal, Li Wei a team goal supporting it, which Mei
// agrees, Anna her own supporting the team's, which Li Wei agrees; a
// business event moves Anna's key result by itself (once, however often
// it is delivered); Anna's change of target needs Li Wei and then hr.
// Sam, Anna's peer, sees the team's and the company's goals, never hers.
func TestGoalsQuarter(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.say("mei", "新目标")
		f.click("mei", "公司的")
		f.say("mei", "全年营收翻番")
		f.say("mei", "营收：0 -> 10 百万")
		f.click("mei", "就这些")
		f.click("mei", "提交经理")
		require.Contains(t, f.last("mei").Text, "已保存并生效", f.transcript("mei"))
		company := f.objectives("mei")[0]
		require.Equal(t, store.GoalApproved, company.Status)

		f.say("li.wei", "新目标")
		f.click("li.wei", "我团队的")
		f.say("li.wei", "平台稳定")
		f.say("li.wei", "故障数：10 -> 2")
		f.click("li.wei", "就这些")
		f.click("li.wei", "全年营收翻番")
		f.click("li.wei", "提交经理")
		f.click("mei", "批准")
		team := f.objectives("li.wei")[0]
		require.Equal(t, store.GoalApproved, team.Status, f.transcript("mei"))
		require.Equal(t, company.ID, team.ParentID)

		f.say("anna", "goal new")
		f.say("anna", "Fewer tickets, faster")
		f.say("anna", "Tickets resolved: 30")
		f.click("anna", "That's all")
		f.click("anna", "平台稳定")
		f.click("anna", "Send to manager")
		require.Equal(t, "Anna 的目标，等待你确认", f.last("li.wei").Title, f.transcript("anna"))
		f.click("li.wei", "批准")
		mine := f.objectives("anna")[0]
		require.Equal(t, store.GoalApproved, mine.Status)
		require.Contains(t, f.last("anna").Text, "Li Wei agreed your goal: Fewer tickets, faster")

		versions, err := f.Store.ObjectiveVersions(ctx, store.System, mine.ID)
		require.NoError(t, err)
		require.Len(t, versions, 2)
		log, err := f.Store.AuditLog(ctx, "goal:"+strconv.FormatInt(mine.ID, 10), 10)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"goal.submit", "goal.approve"}, actions(log))

		// Sam may not see Anna's goal, in the store or in chat.
		sam := store.Viewer(f.people["sam"].ID)
		_, err = f.Store.Objective(ctx, sam, mine.ID)
		require.ErrorIs(t, err, store.ErrNotFound)
		f.say("sam", "goal tree")
		tree := f.last("sam").Text
		require.Contains(t, tree, "全年营收翻番")
		require.Contains(t, tree, "平台稳定")
		require.NotContains(t, tree, "Fewer tickets", tree)
		f.say("li.wei", "目标树")
		require.Contains(t, f.last("li.wei").Text, "Fewer tickets, faster（Anna）")

		// A business event adds to Anna's key result, once.
		kr := mine.KeyResults[0]
		for range 2 {
			res := conversations.Result{Effects: []conversations.Effect{
				conversations.AutoProgress(kr.ID, 1, "ticket_resolved: T-1", "hook:ticket_resolved:T-1", f.Clock.Now()),
			}}
			require.NoError(t, f.Store.InTx(ctx, func(s store.Store) error { return res.Apply(ctx, s) }))
		}
		ups, err := f.Store.ProgressUpdates(ctx, store.Viewer(f.people["anna"].ID), kr.ID)
		require.NoError(t, err)
		require.Len(t, ups, 1, "a redelivered event adds nothing twice")
		require.True(t, ups[0].Automatic)
		require.Equal(t, 1.0, ups[0].Value)
		log, err = f.Store.AuditLog(ctx, "kr:"+strconv.FormatInt(kr.ID, 10), 10)
		require.NoError(t, err)
		require.Equal(t, []string{"goal.progress_auto"}, actions(log))

		// Anna asks for a lower target: Li Wei, then hr, since it supports
		// the company's goal.
		f.say("anna", "goal change")
		f.click("anna", "Tickets resolved")
		f.say("anna", "25")
		f.say("anna", "Two of us are on leave in December")
		f.click("li.wei", "批准")
		require.Equal(t, 30.0, f.objectives("anna")[0].KeyResults[0].Target, "not before hr approves")
		f.click("mei", "批准")
		got := f.objectives("anna")[0].KeyResults[0]
		require.Equal(t, 25.0, got.Target, f.transcript("mei"))
		require.Equal(t, 1.0, got.Current, "the change keeps the progress")
		changes, err := f.Store.GoalChanges(ctx, store.System, store.ChangeFilter{ObjectiveID: mine.ID})
		require.NoError(t, err)
		require.Len(t, changes, 1)
		require.Equal(t, store.ChangeApproved, changes[0].Status)
		require.Equal(t, f.people["li.wei"].ID, changes[0].ManagerBy)
		require.Equal(t, f.people["mei"].ID, changes[0].HRBy)
		versions, err = f.Store.ObjectiveVersions(ctx, store.System, mine.ID)
		require.NoError(t, err)
		require.Len(t, versions, 3)
		require.Equal(t, 30.0, versions[1].Objective.KeyResults[0].Target, "the old target is kept")
		require.True(t, strings.Contains(f.last("anna").Text, "approved and made"), f.transcript("anna"))
	})
}

func actions(log []store.AuditEntry) []string {
	out := make([]string, len(log))
	for i, e := range log {
		out[i] = e.Action
	}
	return out
}

// TestWeeklyKeyResults: after her check-in, Anna is asked each key result
// of her agreed goal; a drop in confidence asks why and tells Li Wei; an
// update past the due date is marked late.
func TestWeeklyKeyResults(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := store.Objective{Level: store.LevelPerson, OwnerID: f.people["anna"].ID, Kind: store.KindOKR,
			Title: "Fewer tickets", Period: "2026-Q4", Starts: "2026-10-01", Ends: "2026-12-31", Status: store.GoalApproved,
			KeyResults: []store.KeyResult{
				{Title: "Docs pages", Unit: "pages", Target: 20, Current: 10, Direction: store.Up, Due: "2026-12-15", Confidence: store.OnTrack},
				{Title: "Open tickets", Start: 40, Target: 10, Current: 30, Direction: store.Down, Due: "2026-11-20",
					Confidence: store.OnTrack, RequiresEvidence: true},
			}}
		require.NoError(t, f.Store.SaveObjective(ctx, &g))

		f.submitCheckin()
		ask := f.last("anna").Text
		require.Contains(t, ask, "Key result 1 of 2: Docs pages. Last value 10, target 20 pages, due 2026-12-15.", f.transcript("anna"))
		f.say("anna", "lots")
		require.Contains(t, f.last("anna").Text, "I couldn't read that.")
		f.say("anna", "+3")
		f.click("anna", "On track")
		require.Contains(t, f.last("anna").Text, "Key result 2 of 2: Open tickets", f.transcript("anna"))
		require.Contains(t, f.last("anna").Text, "marked late")
		f.say("anna", "50%") // halfway from 40 to 10
		f.click("anna", "At risk")
		require.Contains(t, f.last("anna").Text, "From On track to At risk: in one line, why?")
		f.say("anna", "Two big customers @all joined")
		require.Contains(t, f.last("anna").Text, "Thanks, your key results are up to date.", f.transcript("anna"))

		drop := f.last("li.wei")
		require.Equal(t, "Anna 对一个关键结果的信心下降了", drop.Title)
		require.Contains(t, drop.Text, "Open tickets：进展顺利 → 有风险")
		require.Contains(t, drop.Text, "原因：Two big customers @\u2060all joined")

		got := f.objectives("anna")[0]
		require.Equal(t, 13.0, got.KeyResults[0].Current)
		require.Equal(t, 25.0, got.KeyResults[1].Current)
		require.Equal(t, store.AtRisk, got.KeyResults[1].Confidence)
		ups, err := f.Store.ProgressUpdates(ctx, store.Viewer(f.people["li.wei"].ID), got.KeyResults[1].ID)
		require.NoError(t, err)
		require.Len(t, ups, 1)
		require.True(t, ups[0].Late)
		require.True(t, ups[0].NoEvidence)
		require.Equal(t, "Two big customers @all joined", ups[0].Why, "kept as typed; defused only when shown")
		require.Equal(t, -5.0, ups[0].Delta)
	})
}
