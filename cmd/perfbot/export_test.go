package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// feedbackHeader is the first line of a feedback export.
const feedbackHeader = "month,scope,team,email,name,given,received,requests,answered," +
	"median_answer_hours,answered_after_48h_share,open_after_48h\n"

func TestExportFeedback(t *testing.T) {
	vars := sqliteVars(t)
	dir := t.TempDir()
	org := filepath.Join(dir, "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(orgCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "org", "import", org)
	require.Equal(t, 0, code, stderr)

	// Feedback comes from chat; here it goes straight into the database.
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, vars["PERFBOT_DATABASE_URL"], time.Now)
	require.NoError(t, err)
	lead, err := st.PersonByEmail(ctx, "lead@example.com")
	require.NoError(t, err)
	dev, err := st.PersonByEmail(ctx, "dev@example.com")
	require.NoError(t, err)
	asked := time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	req := store.FeedbackRequest{RequesterID: lead.ID, AskedID: dev.ID, CreatedAt: asked, AnsweredAt: asked.Add(50 * time.Hour)}
	require.NoError(t, st.SaveFeedbackRequest(ctx, &req))
	for _, f := range []store.Feedback{
		{Kind: store.FeedbackSBI, GiverID: dev.ID, RecipientID: lead.ID, RequestID: req.ID, CreatedAt: req.AnsweredAt},
		{Kind: store.FeedbackPraise, GiverID: lead.ID, RecipientID: dev.ID, Points: 3, CreatedAt: asked.AddDate(0, 1, 0)},
	} {
		require.NoError(t, st.SaveFeedback(ctx, &f))
	}
	require.NoError(t, st.Close())

	out := filepath.Join(dir, "feedback.csv")
	code, _, stderr = perfbot(t, vars, "export", "feedback", "--from", "2025-11", "--to", "2025-11", "--out", out)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, feedbackHeader+
		"2025-11,person,Core,lead@example.com,Lead,0,1,0,0,,,0\n"+
		"2025-11,person,Core,dev@example.com,开发者,1,0,1,1,50.0,1.00,0\n"+
		"2025-11,team,Core,,,1,1,1,1,50.0,1.00,0\n", string(b), "by month, people by team and name, then teams")

	code, stdout, stderr := perfbot(t, vars, "export", "feedback", "--from", "2025-12")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, feedbackHeader+
		"2025-12,person,Core,lead@example.com,Lead,1,0,0,0,,,0\n"+
		"2025-12,person,Core,dev@example.com,开发者,0,1,0,0,,,0\n"+
		"2025-12,team,Core,,,1,1,0,0,,,0\n", stdout, "to stdout without --out")

	for _, args := range [][]string{
		{"--from", "2025-12", "--to", "2025-11"},
		{"--from", "2025-11-01"},
		{"--format", "ods"},
	} {
		code, _, stderr = perfbot(t, vars, append([]string{"export", "feedback"}, args...)...)
		require.Equal(t, 2, code, args)
		require.Contains(t, stderr, "run `perfbot export feedback --help`", args)
		require.NotContains(t, stderr, "Commands:", args)
	}
}
