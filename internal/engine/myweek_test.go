package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// TestMyWeek: "today" / 本周 on both backends. Anna's card has her
// check-in, her key results not updated for a week and Sam's request for
// her feedback, each with its button; Li Wei's has Sam's goal waiting for
// his approval, which one tap approves; Mei, Li Wei's manager, who may see
// Sam's goal, is not asked to approve it; with nothing due the answer is
// one line, not a card.
func TestMyWeek(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.say("sam", "today")
		require.Equal(t, "Nothing needs you this week.", f.last("sam").Text)
		f.say("mei", "本周")
		require.Equal(t, "本周没有需要你处理的事项。", f.last("mei").Text)

		anna, sam := f.people["anna"], f.people["sam"]
		mine := store.Objective{Level: store.LevelPerson, OwnerID: anna.ID, Kind: store.KindOKR, Title: "Fewer tickets",
			Period: "2026-Q4", Status: store.GoalApproved, ApprovedBy: anna.ManagerID, ChangedBy: anna.ID,
			KeyResults: []store.KeyResult{{Title: "Tickets resolved", Target: 30, Direction: store.Up}}}
		require.NoError(t, f.Store.SaveObjective(ctx, &mine))
		draft := store.Objective{Level: store.LevelPerson, OwnerID: sam.ID, Kind: store.KindOKR, Title: "Faster builds",
			Period: "2026-Q4", Status: store.GoalPending, ChangedBy: sam.ID,
			KeyResults: []store.KeyResult{{Title: "Build minutes", Start: 20, Target: 5, Direction: store.Down}}}
		require.NoError(t, f.Store.SaveObjective(ctx, &draft))
		req := store.FeedbackRequest{RequesterID: sam.ID, AskedID: anna.ID, About: "the launch", CreatedAt: f.Clock.Now()}
		require.NoError(t, f.Store.SaveFeedbackRequest(ctx, &req))

		// A week on, Anna's key result has waited a week for an update.
		f.Clock.Set(enginetest.Start.Add(8 * 24 * time.Hour))
		_, err := f.Engine.Open(ctx, anna.ID, "")
		require.NoError(t, err)
		f.say("anna", "today")
		card := f.last("anna")
		require.Equal(t, "Your week · 3 to do", card.Title, f.transcript("anna"))
		require.Contains(t, card.Text, "Your check-in for 2026-W49 is due.")
		require.Contains(t, card.Text, "1 key results not updated for a week: Tickets resolved.")
		require.Contains(t, card.Text, "Sam asked for your feedback: the launch")
		require.NotContains(t, card.Text, "Faster builds", "Sam's goal is not Anna's to approve")
		labels := []string{}
		for _, b := range card.Buttons {
			labels = append(labels, b.Label)
		}
		require.Equal(t, []string{"Start check-in", "Update key results", "Answer Sam"}, labels)
		f.click("anna", "Start check-in")
		require.Contains(t, f.last("anna").Text, "(1/", f.transcript("anna"))

		f.say("li.wei", "本周")
		card = f.last("li.wei")
		require.Equal(t, "本周待办 · 1 项", card.Title, f.transcript("li.wei"))
		require.Contains(t, card.Text, "Sam 的目标等待你审批：Faster builds")
		f.say("mei", "本周")
		require.Equal(t, "本周没有需要你处理的事项。", f.last("mei").Text, "Mei may see Sam's goal, but it waits for Li Wei")

		f.click("li.wei", "批准 Sam 的")
		got, err := f.Store.Objective(ctx, store.System, draft.ID)
		require.NoError(t, err)
		require.Equal(t, store.GoalApproved, got.Status, f.transcript("li.wei"))
		f.say("li.wei", "本周")
		require.Equal(t, "本周没有需要你处理的事项。", f.last("li.wei").Text)
	})
}
