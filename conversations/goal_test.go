package conversations_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

const idHana = 20 // hr

// goalOffice is the office with Hana (hr, no manager), a company goal
// Hana owns and Li Wei's team goal for Platform supporting it.
func goalOffice(t *testing.T) *office {
	o := newOffice(t)
	o.people = append(o.people, bot.Person{ID: idHana, Name: "Hana", Locale: bot.LocaleEN, Roles: []bot.Role{bot.RoleHR}})
	w := officeWriter{o}
	for _, g := range []store.Objective{
		{Level: store.LevelCompany, OwnerID: idHana, Kind: store.KindKPI, Title: "Revenue 10M", Period: "2026-Q4",
			Status: store.GoalApproved, KeyResults: []store.KeyResult{{Title: "Revenue", Target: 10, Direction: store.Up}}},
		{Level: store.LevelTeam, OwnerID: idLi, TeamID: 1, ParentID: 1, Kind: store.KindOKR, Title: "Painless onboarding",
			Period: "2026-Q4", Status: store.GoalApproved},
	} {
		require.NoError(t, w.SaveObjective(t.Context(), &g))
	}
	return o
}

// auditsOf lists the actions audited on object.
func (o *office) auditsOf(object string) []string {
	var out []string
	for _, a := range o.audits {
		if a.Object == object {
			out = append(out, a.Action)
		}
	}
	return out
}

// draftAnnasGoal walks Anna through "goal new" up to the review card.
func draftAnnasGoal(t *testing.T, o *office) {
	o.say(idAnna, "goal new")
	require.Contains(t, o.lastTo(idAnna).Text, "What is the objective?")
	o.say(idAnna, "Make onboarding painless")
	require.Contains(t, o.lastTo(idAnna).Text, "Key result 1 of at most 5")
	o.say(idAnna, "Docs pages: 20 pages by 12-15")
	require.Contains(t, o.dumpInbox(idAnna), "Key result 1: Docs pages: 0 → 20 pages, due 2026-12-15")
	o.say(idAnna, "Support tickets: 40 -> 10")
	o.click(idAnna, "That's all")
	require.Contains(t, o.lastTo(idAnna).Text, "Which goal does it support?")
	o.click(idAnna, "Painless onboarding")
	require.Equal(t, "Your draft goal", o.lastTo(idAnna).Title)
}

func TestGoalNewAskChangesReviseApprove(t *testing.T) {
	o := goalOffice(t)
	draftAnnasGoal(t, o)
	o.click(idAnna, "Send to manager")
	require.Contains(t, o.lastTo(idAnna).Text, "Sent to Li Wei to agree")
	require.Len(t, o.goals.objectives, 3)
	g := o.goals.objectives[2]
	require.Equal(t, store.GoalPending, g.Status)
	require.Equal(t, store.LevelPerson, g.Level)
	require.Equal(t, int64(2), g.ParentID)
	require.Equal(t, store.KindOKR, g.Kind)
	require.Equal(t, "2026-Q4", g.Period)
	require.Equal(t, []string{"2026-10-01", "2026-12-31"}, []string{g.Starts, g.Ends})
	require.Len(t, g.KeyResults, 2)
	require.Equal(t, store.Up, g.KeyResults[0].Direction)
	require.Equal(t, store.Down, g.KeyResults[1].Direction, "40 -> 10 goes down")
	require.Equal(t, 40.0, g.KeyResults[1].Current, "a key result starts at its start")
	require.Equal(t, "2026-12-31", g.KeyResults[1].Due, "no due date: the quarter's end")

	// Li Wei reads the card in Chinese.
	card := o.lastTo(idLi)
	require.Equal(t, "Anna 的目标，等待你确认", card.Title)
	require.Contains(t, card.Text, "Make onboarding painless【待确认，2026-Q4】")
	require.Contains(t, card.Text, "支撑：Painless onboarding")

	// Zhang, a peer, cannot decide it.
	approve := button(t, o.last, "批准")
	o.step(idZhang, bot.Event{Kind: bot.KindAction, Action: approve})
	require.Equal(t, "这需要由其他人来决定。", o.lastTo(idZhang).Text)

	o.click(idLi, "请修改")
	require.Contains(t, o.lastTo(idLi).Text, "Anna 需要修改什么？")
	o.say(idLi, "把工单目标定到 15 @all")
	require.Equal(t, store.GoalChanges, o.goals.objectives[2].Status)
	back := o.lastTo(idAnna)
	require.Equal(t, "Li Wei asked for changes", back.Title)
	require.Contains(t, back.Text, "Note: 把工单目标定到 15 @\u2060all", "echoed text is defused")

	// Anna revises: the same goal, a new version.
	o.click(idAnna, "Revise")
	require.Contains(t, o.lastTo(idAnna).Text, "It was: Make onboarding painless")
	o.say(idAnna, "Make onboarding painless")
	o.say(idAnna, "Docs pages: 20 pages by 12-15")
	o.say(idAnna, "Support tickets: 40 -> 15")
	o.say(idAnna, "done")
	o.click(idAnna, "Painless onboarding")
	o.click(idAnna, "Send to manager")
	require.Len(t, o.goals.objectives, 3, "revised, not added")
	g = o.goals.objectives[2]
	require.Equal(t, store.GoalPending, g.Status)
	require.Equal(t, int64(3), g.Version)
	require.Equal(t, 15.0, g.KeyResults[1].Target)
	require.Equal(t, o.goals.versions[3][0].KeyResults[1].ID, g.KeyResults[1].ID, "the key result keeps its id")

	// The first card is stale now; the newest approves.
	o.step(idLi, bot.Event{Kind: bot.KindAction, Action: approve})
	require.Contains(t, o.lastTo(idLi).Text, "已经处理过")
	o.click(idLi, "批准")
	require.Equal(t, store.GoalApproved, o.goals.objectives[2].Status)
	require.Equal(t, int64(idLi), o.goals.objectives[2].ApprovedBy)
	require.Contains(t, o.lastTo(idAnna).Text, "Li Wei agreed your goal: Make onboarding painless")

	require.Len(t, o.goals.versions[3], 4, "every version kept")
	require.Equal(t, []string{"goal.submit", "goal.changes", "goal.submit", "goal.approve"}, o.auditsOf("goal:3"),
		"every version audited")
}

func TestGoalChangeNeedsManagerAndHR(t *testing.T) {
	o := goalOffice(t)
	draftAnnasGoal(t, o)
	o.click(idAnna, "Send to manager")
	o.click(idLi, "批准")
	kr := o.goals.objectives[2].KeyResults[0]

	o.say(idAnna, "goal change")
	o.click(idAnna, "Docs pages")
	require.Contains(t, o.lastTo(idAnna).Text, "Docs pages: the target is 20, due 2026-12-15")
	o.say(idAnna, "maybe more")
	require.Contains(t, o.lastTo(idAnna).Text, "I couldn't read a target or a date")
	o.say(idAnna, "25 by 12-31")
	o.say(idAnna, "The new product needs its own pages")
	require.Contains(t, o.lastTo(idAnna).Text, "Asked Li Wei to approve the change")
	require.Len(t, o.goals.changes, 1)
	ch := o.goals.changes[0]
	require.True(t, ch.NeedsHR, "Anna's goal supports a company goal, through the team's")
	require.Equal(t, 25.0, *ch.NewTarget)
	require.Equal(t, "2026-12-31", ch.NewDue)
	card := o.lastTo(idLi)
	require.Contains(t, card.Text, "目标值：20 → 25")
	require.Contains(t, card.Text, "截止：2026-12-15 → 2026-12-31")

	// Hana may not approve before the manager.
	hrFirst := button(t, conversations.Result{Out: []conversations.Outbound{{Message: card}}}, "批准")
	o.step(idHana, bot.Event{Kind: bot.KindAction, Action: hrFirst})
	require.Equal(t, "That is for someone else to decide.", o.lastTo(idHana).Text)

	o.click(idLi, "批准")
	require.Contains(t, o.lastTo(idLi).Text, "还需要 HR 批准")
	require.Equal(t, int64(idLi), o.goals.changes[0].ManagerBy)
	require.Equal(t, 20.0, o.goals.objectives[2].KeyResults[0].Target, "nothing changes before HR approves")
	require.Contains(t, o.lastTo(idAnna).Text, "it waits for HR now")
	require.Equal(t, "Anna asks to change a goal", o.lastTo(idHana).Title)

	// Li Wei cannot be HR as well.
	o.click(idLi, "批准")
	require.Equal(t, "这需要由其他人来决定。", o.lastTo(idLi).Text)

	o.click(idHana, "Approve")
	require.Equal(t, store.ChangeApproved, o.goals.changes[0].Status)
	got := o.goals.objectives[2].KeyResults[0]
	require.Equal(t, kr.ID, got.ID)
	require.Equal(t, 25.0, got.Target)
	require.Equal(t, "2026-12-31", got.Due)
	require.Contains(t, o.lastTo(idAnna).Text, "Your change to Docs pages is approved and made.")
	require.Equal(t, []string{"goal.change_request", "goal.change_manager_ok", "goal.change_approve"}, o.auditsOf("goal_change:1"))
	require.Equal(t, []string{"goal.submit", "goal.approve", "goal.change_apply"}, o.auditsOf("goal:3"))
	require.Len(t, o.goals.versions[3], 3, "the old target is kept in version 2")
	require.Equal(t, 20.0, o.goals.versions[3][1].KeyResults[0].Target)

	o.click(idHana, "Approve")
	require.Contains(t, o.lastTo(idHana).Text, "decided already")
}

func TestGoalChangeRejected(t *testing.T) {
	o := goalOffice(t)
	draftAnnasGoal(t, o)
	o.click(idAnna, "Send to manager")
	o.click(idLi, "批准")
	o.say(idAnna, "goal change")
	o.click(idAnna, "Support tickets")
	o.say(idAnna, "by 2027-01-15")
	o.say(idAnna, "holidays")
	o.click(idLi, "驳回")
	require.Equal(t, store.ChangeRejected, o.goals.changes[0].Status)
	require.Equal(t, "2026-12-31", o.goals.objectives[2].KeyResults[1].Due)
	require.Contains(t, o.lastTo(idAnna).Text, "Li Wei did not approve the change to Support tickets")
}

func TestGoalListAndTree(t *testing.T) {
	o := goalOffice(t)
	o.say(idAnna, "goal list")
	require.Equal(t, "No goals yet. Type goal new to draft one.", o.lastTo(idAnna).Text)
	draftAnnasGoal(t, o)
	o.click(idAnna, "Send to manager")
	o.click(idLi, "批准")
	w := officeWriter{o}
	kr := o.goals.objectives[2].KeyResults
	u := store.ProgressUpdate{KeyResultID: kr[0].ID, Value: 10}
	_, err := w.AddProgress(t.Context(), &u)
	require.NoError(t, err) // 10 of 20: 50%
	u = store.ProgressUpdate{KeyResultID: kr[1].ID, Value: 25}
	_, err = w.AddProgress(t.Context(), &u)
	require.NoError(t, err) // 40 -> 10 at 25: 50%

	o.say(idAnna, "goal list")
	list := o.lastTo(idAnna).Text
	require.Contains(t, list, "Make onboarding painless [agreed, 2026-Q4]")
	require.Contains(t, list, "Docs pages: 10 of 20 pages, due 2026-12-15  ▓▓▓▓▓░░░░░ 50%")

	o.say(idAnna, "goal tree")
	tree := o.lastTo(idAnna).Text
	require.Equal(t, strings.Join([]string{
		"Goals you can see:",
		"• Revenue 10M (Hana)  ▓▓▓▓▓░░░░░ 50%",
		"   • Painless onboarding (Li Wei)  ▓▓▓▓▓░░░░░ 50%",
		"      • Make onboarding painless (Anna)  ▓▓▓▓▓░░░░░ 50%",
	}, "\n"), tree, "the company goal rolls up the team's, which rolls up Anna's")

	o.say(idZhang, "目标树")
	require.Contains(t, o.lastTo(idZhang).Text, "你能看到的目标：\n• Revenue 10M（Hana）")
}

func TestGoalDraftInChineseAndCancel(t *testing.T) {
	o := goalOffice(t)
	o.say(idZhang, "新目标")
	require.Equal(t, "目标是什么？一句话即可，例如：让新员工入职顺畅无忧。", o.lastTo(idZhang).Text)
	o.say(idZhang, "提升文档质量")
	o.say(idZhang, "文档页数 二十")
	require.Contains(t, o.lastTo(idZhang).Text, "没能识别这个关键结果。")
	o.say(idZhang, "文档页数：20 页 截止 12月15日")
	require.Contains(t, o.dumpInbox(idZhang), "关键结果 1：文档页数：0 → 20 页，截止 2026-12-15")
	o.say(idZhang, "取消")
	require.Equal(t, "已放弃，没有发送任何内容。", o.lastTo(idZhang).Text)
	require.Len(t, o.goals.objectives, 2, "nothing saved")
	require.Equal(t, "", o.states[idZhang].Flow)
}

func TestGoalLevelsForManagersAndHR(t *testing.T) {
	o := goalOffice(t)
	o.say(idHana, "goal new")
	o.click(idHana, "The company's")
	o.say(idHana, "Grow in Asia")
	o.say(idHana, "New markets: 3")
	o.click(idHana, "That's all")
	require.Equal(t, "Your draft goal", o.lastTo(idHana).Title, "a company goal supports nothing")
	o.click(idHana, "Send to manager")
	require.Contains(t, o.lastTo(idHana).Text, "Saved and agreed")
	g := o.goals.objectives[2]
	require.Equal(t, store.LevelCompany, g.Level)
	require.Equal(t, store.KindKPI, g.Kind, "one key result: a KPI")
	require.Equal(t, store.GoalApproved, g.Status)
	require.Equal(t, []string{"goal.create"}, o.auditsOf("goal:3"))

	// A manager's team goal supports a company goal and goes to their
	// manager, or, without one, to hr.
	o.say(idLi, "新目标")
	o.click(idLi, "我团队的")
	o.say(idLi, "稳定性提升")
	o.say(idLi, "故障数：10 -> 2")
	o.click(idLi, "就这些")
	o.click(idLi, "Grow in Asia")
	o.click(idLi, "提交经理")
	g = o.goals.objectives[3]
	require.Equal(t, store.LevelTeam, g.Level)
	require.Equal(t, int64(1), g.TeamID)
	require.Equal(t, int64(3), g.ParentID)
	require.Equal(t, "Li Wei's goal, for you to agree", o.lastTo(idHana).Title)

	// Anna, no manager role, is not asked whose goal it is.
	o.say(idAnna, "goal new")
	require.Contains(t, o.lastTo(idAnna).Text, "What is the objective?")
}
