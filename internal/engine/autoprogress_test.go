package engine_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// TestKeyResultFromBusinessEvent: on both backends, a ticket_resolved
// event whose rule names "resolve-tickets" moves Anna's key result by 1,
// once though it is delivered twice, labelled and audited as automatic,
// and she is told once; the same event for Sam, who has no such goal,
// moves nothing and is kept unmatched, as is a step naming a key result
// nobody has, and one naming somebody else's key result by id.
func TestKeyResultFromBusinessEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		g := store.Objective{Level: store.LevelPerson, OwnerID: f.people["anna"].ID, Kind: store.KindOKR,
			Title: "Support", Status: store.GoalApproved,
			KeyResults: []store.KeyResult{
				{Title: "Resolve 30 tickets", Target: 30, Current: 4, Direction: store.Up, Ref: "resolve-tickets"},
				{Title: "Docs pages", Target: 20, Direction: store.Up},
			}}
		require.NoError(t, f.Store.SaveObjective(ctx, &g))
		kr := g.KeyResults[0]
		step := conversations.AutoStep{Ref: "resolve-tickets", By: 1, Source: "jira ticket_resolved: ED-1",
			Key: "hook:jira:10001", At: f.Clock.Now()}
		before := len(f.sim.DM("anna"))
		for range 2 {
			moved, err := f.Engine.MoveKeyResult(ctx, f.people["anna"].ID, step)
			require.NoError(t, err)
			require.True(t, moved)
		}
		got := f.objectives("anna")[0].KeyResults
		require.Equal(t, 5.0, got[0].Current, "moved by 1, once")
		require.Equal(t, 0.0, got[1].Current, "the other key result stays")
		ups, err := f.Store.ProgressUpdates(ctx, store.Viewer(f.people["anna"].ID), kr.ID)
		require.NoError(t, err)
		require.Len(t, ups, 1)
		require.True(t, ups[0].Automatic)
		require.Equal(t, "jira ticket_resolved: ED-1", ups[0].Source)
		require.Equal(t, 1.0, ups[0].Delta)
		log, err := f.Store.AuditLog(ctx, "kr:"+strconv.FormatInt(kr.ID, 10), 10)
		require.NoError(t, err)
		require.Equal(t, []string{"goal.progress_auto"}, actions(log))
		told := f.sim.DM("anna")[before:]
		require.Len(t, told, 1, "told once: %v", told)
		require.Contains(t, told[0].Text, "Automatic update: your key result Resolve 30 tickets moved by +1", f.transcript("anna"))

		// A new event moves it again.
		step.Key = "hook:jira:10002"
		_, err = f.Engine.MoveKeyResult(ctx, f.people["anna"].ID, step)
		require.NoError(t, err)
		require.Equal(t, 6.0, f.objectives("anna")[0].KeyResults[0].Current)
		f.say("anna", "goal list")
		require.Contains(t, f.last("anna").Text, "Resolve 30 tickets: 6 of 30")
		require.Contains(t, f.last("anna").Text, "(+2 automatic, from business events)", f.transcript("anna"))

		// Sam has no goal with it: nothing moves, the event is kept.
		step.Key = "hook:jira:10003"
		moved, err := f.Engine.MoveKeyResult(ctx, f.people["sam"].ID, step)
		require.NoError(t, err)
		require.False(t, moved)
		// A rule naming a key result nobody has is reported the same way.
		moved, err = f.Engine.MoveKeyResult(ctx, f.people["anna"].ID,
			conversations.AutoStep{Ref: "close-deals", By: 1, Source: "hubspot deal_won: ACME", Key: "hook:hubspot:1", At: f.Clock.Now()})
		require.NoError(t, err)
		require.False(t, moved)
		// Sam's event may not move Anna's key result by its id.
		moved, err = f.Engine.MoveKeyResult(ctx, f.people["sam"].ID,
			conversations.AutoStep{KeyResultID: kr.ID, By: 5, Source: "crm deal_won: x", Key: "hook:crm:id:9", At: f.Clock.Now()})
		require.NoError(t, err)
		require.False(t, moved)
		require.Equal(t, 6.0, f.objectives("anna")[0].KeyResults[0].Current)

		kept, err := f.Store.UnmatchedEvents(ctx)
		require.NoError(t, err)
		byKey := map[string]store.UnmatchedEvent{}
		for _, u := range kept {
			byKey[u.Key] = u
		}
		require.Len(t, byKey, 3)
		require.Equal(t, store.UnmatchedNoKeyResult, byKey["hook:jira:10003"].Reason)
		require.Equal(t, "resolve-tickets", byKey["hook:jira:10003"].KeyResult)
		require.Equal(t, "close-deals", byKey["hook:hubspot:1"].KeyResult)
		require.Equal(t, "kr:"+strconv.FormatInt(kr.ID, 10), byKey["hook:crm:id:9"].KeyResult)
	})
}

// TestKeyResultRefFromChat: a key result typed in chat with #reference
// keeps it, so that the rules file's key_result finds it once agreed.
func TestKeyResultRefFromChat(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.say("anna", "goal new")
		f.say("anna", "Happier customers")
		f.say("anna", "Resolve tickets: 30 #resolve-tickets")
		f.click("anna", "That's all")
		f.click("anna", "Send to manager")
		f.click("li.wei", "批准")
		mine := f.objectives("anna")
		require.Len(t, mine, 1, f.transcript("anna"))
		require.Equal(t, store.GoalApproved, mine[0].Status, f.transcript("anna"))
		require.Equal(t, "resolve-tickets", mine[0].KeyResults[0].Ref)
		moved, err := f.Engine.MoveKeyResult(ctx, f.people["anna"].ID, conversations.AutoStep{Ref: "resolve-tickets", By: 1,
			Source: "jira ticket_resolved: ED-7", Key: "hook:jira:7", At: f.Clock.Now()})
		require.NoError(t, err)
		require.True(t, moved)
		require.Equal(t, 1.0, f.objectives("anna")[0].KeyResults[0].Current)
	})
}
