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
