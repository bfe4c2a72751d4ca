package conversations

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// BusinessProgress moves only the credited person's agreed key results in
// their period, keyed by the event and the key result, and tells them in
// their language that it moved by itself; krLine labels what moved so.
func TestBusinessProgress(t *testing.T) {
	cat, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	mei := bot.Person{ID: 1, Name: "Mei", Locale: bot.LocaleZH}
	at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	goal := func(id int64, status store.GoalStatus, ends string) store.Objective {
		return store.Objective{ID: id, OwnerID: mei.ID, Status: status, Starts: "2026-10-01", Ends: ends,
			KeyResults: []store.KeyResult{{ID: id * 10, Title: "解决工单", Target: 30, Ref: "resolve-tickets"}, {ID: id*10 + 1, Title: "Docs"}}}
	}
	goals := []store.Objective{goal(1, store.GoalApproved, "2026-12-31"), goal(2, store.GoalPending, "2026-12-31"),
		goal(3, store.GoalApproved, "2026-10-31"), {ID: 4, OwnerID: 2, Status: store.GoalApproved,
			KeyResults: []store.KeyResult{{ID: 40, Ref: "resolve-tickets"}}}}
	step := AutoStep{Ref: "resolve-tickets", By: 1, Source: "jira ticket_resolved: ED-1", Key: "hook:jira:1", At: at}
	res, ok := BusinessProgress(cat, mei, goals, step)
	require.True(t, ok)
	require.Len(t, res.Effects, 1, "the agreed goal in its period only")
	u := res.Effects[0].(*AddProgress).Update
	require.Equal(t, store.ProgressUpdate{KeyResultID: 10, Value: 1, Add: true, Automatic: true, Source: step.Source,
		At: at, DedupKey: "hook:jira:1:kr:10"}, u)
	require.Len(t, res.Out, 1)
	require.Equal(t, int64(1), res.Out[0].PersonID)
	require.Equal(t, "自动更新：你的关键结果 解决工单 增加了 +1（目标 30），来自 jira ticket_resolved: ED-1。", res.Out[0].Message.Text)

	_, ok = BusinessProgress(cat, mei, goals, AutoStep{KeyResultID: 40, By: 1, Key: "k", At: at})
	require.False(t, ok, "another person's key result, by id")
	_, ok = BusinessProgress(cat, mei, goals, AutoStep{Ref: "other", By: 1, Key: "k", At: at})
	require.False(t, ok)
	res, ok = BusinessProgress(cat, mei, goals, AutoStep{KeyResultID: 11, By: 2, Key: "k", At: at})
	require.True(t, ok)
	require.Equal(t, int64(11), res.Effects[0].(*AddProgress).Update.KeyResultID)

	k := store.KeyResult{Title: "解决工单", Current: 6, Target: 30, Automatic: 2}
	require.Contains(t, krLine(cat.For(bot.LocaleZH), goals[0], k), "（其中 +2 来自业务系统自动更新）")
	require.Contains(t, krLine(cat.For(bot.LocaleEN), goals[0], k), "(+2 automatic, from business events)")
	k.Automatic = 0
	require.NotContains(t, krLine(cat.For(bot.LocaleEN), goals[0], k), "automatic")
}
