package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var unmatchedTests = []suiteTest{
	{"KeepUnmatched", testKeepUnmatched},
}

// An unmatched event is kept once per key, and listed newest first with
// every field as it was given.
func testKeepUnmatched(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := time.Date(2026, 12, 2, 9, 0, 0, 123456000, time.UTC)
	first := store.UnmatchedEvent{
		Key: "hook:github:72d3162e-cc78-11e3-81ab-4c9367dc0958", Source: "github",
		Account: bot.Identity{Platform: bot.GitHub, UserID: "octocat"}, Reason: store.UnmatchedUnknown,
		Kind: "merge_request_merged", Title: "Update the README with new information.",
		URL: "https://github.com/Codertocat/Hello-World/pull/2", KeyResult: "kr-merges", ReceivedAt: at,
	}
	kept, err := s.KeepUnmatched(ctx, &first)
	require.NoError(t, err)
	require.True(t, kept)
	require.NotZero(t, first.ID)

	again := first
	again.ID, again.Title = 0, "a retry"
	kept, err = s.KeepUnmatched(ctx, &again)
	require.NoError(t, err)
	require.False(t, kept, "a key is kept once")

	second := store.UnmatchedEvent{
		Key: "hook:jira:1", Source: "jira", Account: bot.Identity{Platform: bot.Jira, UserID: "5b10a2844c20165700ede21g"},
		Email: "ada@example.com", Reason: store.UnmatchedNoManager, Kind: "ticket_resolved", Title: "TEST-1 Fix it",
		ReceivedAt: at.Add(time.Minute),
	}
	kept, err = s.KeepUnmatched(ctx, &second)
	require.NoError(t, err)
	require.True(t, kept)

	got, err := s.UnmatchedEvents(ctx)
	require.NoError(t, err)
	require.Equal(t, []store.UnmatchedEvent{second, first}, got)
}
