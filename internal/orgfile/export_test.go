package orgfile_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

// wantHeader is the export's header for the rounds saveRounds makes.
var wantHeader = []string{
	"email", "period", "status", "submitted_at", "done", "blockers", "next", "mood",
	"name", "team", "skip_reason", "goals", "reviewed_by", "reviewed_at",
	"q_risks", "q_help", // the Platform team's questions, in its order
	"q_old", // a question only an old answer has
}

// saveRounds imports orgCSV, gives Platform its own questions and saves
// three rounds: Zhang Min's submitted and reviewed, Li Wei's skipped, Anna's
// pending. It returns the ids of Zhang Min and Li Wei.
func saveRounds(t *testing.T, st store.Store) (zhangID, liID int64) {
	t.Helper()
	ctx := context.Background()
	_, err := importCSV(t, st, orgCSV)
	require.NoError(t, err)
	zhang := personByEmail(t, st, "zhang.min@example.com")
	li := personByEmail(t, st, "li.wei@example.com")
	anna := personByEmail(t, st, "anna@example.com")

	platform, err := st.TeamByName(ctx, "Platform")
	require.NoError(t, err)
	platform.Questions = []store.Question{{Key: "done"}, {Key: "risks"}, {Key: "blockers"}, {Key: "next"}, {Key: "help"}}
	require.NoError(t, st.SaveTeam(ctx, &platform))

	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	submitted := time.Date(2026, 11, 27, 18, 30, 0, 0, shanghai)
	round, _, err := st.OpenRound(ctx, store.Round{PersonID: zhang.ID, TeamID: platform.ID, Period: "2026-W48"})
	require.NoError(t, err)
	round.Status = store.StatusSubmitted
	round.Answers = []store.Answer{
		{Key: "done", Text: `=HYPERLINK("http://evil.example","付款")`},
		{Key: "risks", Text: "+86 phone leak? no"},
		{Key: "blockers", Text: "- waiting on DBA\n- 等待审批"},
		{Key: "next", Text: "Ship 迁移, then rest"},
		{Key: "help", Text: "@HR please"},
	}
	round.Goals = []store.GoalProgress{{Title: "迁移到 PostgreSQL", Value: 42.5}, {Title: "Close deals", Value: 4, Target: 10}, {Title: "Close tickets", Skipped: true}}
	round.Mood = 4
	round.StartedAt = submitted.Add(-10 * time.Minute)
	round.SubmittedAt = submitted
	round.ReviewedBy = li.ID
	round.ReviewedAt = submitted.Add(time.Hour)
	require.NoError(t, st.SaveRound(ctx, &round))

	_, _, err = st.OpenRound(ctx, store.Round{PersonID: li.ID, TeamID: platform.ID, Period: "2026-W48",
		Status: store.StatusSkipped, SkipReason: "年假 annual leave",
		Answers: []store.Answer{{Key: "old", Text: "from a question since removed"}}})
	require.NoError(t, err)
	_, _, err = st.OpenRound(ctx, store.Round{PersonID: anna.ID, TeamID: anna.TeamID, Period: "2026-W47"})
	require.NoError(t, err)
	return zhang.ID, li.ID
}

func exportCSV(t *testing.T, st store.Store, v store.Viewer, f store.RoundFilter) [][]string {
	t.Helper()
	var buf bytes.Buffer
	rows, err := orgfile.ExportCheckins(context.Background(), st, v, f, orgfile.FormatCSV, &buf)
	require.NoError(t, err)
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Equal(t, len(records)-1, rows, "it counts the rows below the header")
	return records
}

func TestExportCSV(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		zhangID, _ := saveRounds(t, st)

		var buf bytes.Buffer
		_, err := orgfile.ExportCheckins(context.Background(), st, store.System, store.RoundFilter{}, orgfile.FormatCSV, &buf)
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("email,period,status,submitted_at,done,blockers,next,mood,name,team,skip_reason,goals,reviewed_by,reviewed_at,q_risks,q_help,q_old\n")), buf.String())

		records := exportCSV(t, st, store.System, store.RoundFilter{})
		require.Equal(t, wantHeader, records[0])
		require.Len(t, records, 4)
		// By period, then person: Li Wei was saved before Zhang Min (managers first).
		require.Equal(t, []string{
			"anna@example.com", "2026-W47", "pending", "", "", "", "", "",
			"Schmidt, Anna", "增长 Growth", "", "", "", "",
			"", "", "",
		}, records[1])
		require.Equal(t, []string{
			"li.wei@example.com", "2026-W48", "skipped", "", "", "", "", "",
			"李伟", "Platform", "年假 annual leave", "", "", "",
			"", "", "from a question since removed",
		}, records[2])
		require.Equal(t, []string{
			"zhang.min@example.com", "2026-W48", "submitted", "2026-11-27T10:30:00Z",
			`'=HYPERLINK("http://evil.example","付款")`, // defused
			"'- waiting on DBA\n- 等待审批",               // defused
			"Ship 迁移, then rest", "4",
			"张敏", "Platform", "", "迁移到 PostgreSQL: 42.5%; Close deals: 4/10; Close tickets: skipped",
			"li.wei@example.com", "2026-11-27T11:30:00Z",
			"'+86 phone leak? no", "'@HR please", "",
		}, records[3])

		// The store decides who sees what: Zhang Min sees only their own.
		records = exportCSV(t, st, store.Viewer(zhangID), store.RoundFilter{})
		require.Len(t, records, 2)
		require.Equal(t, "zhang.min@example.com", records[1][0])

		// And the filter is passed on.
		from, to, err := orgfile.PeriodRange("2026-11-16", "2026-11-22")
		require.NoError(t, err)
		records = exportCSV(t, st, store.System, store.RoundFilter{FromPeriod: from, ToPeriod: to})
		require.Len(t, records, 2)
		require.Equal(t, "anna@example.com", records[1][0])
		require.Equal(t, wantHeader[:14], records[0], "no rounds of Platform, so none of its questions")
	})
}

func TestExportXLSX(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		saveRounds(t, st)
		var buf bytes.Buffer
		_, err := orgfile.ExportCheckins(context.Background(), st, store.System, store.RoundFilter{}, orgfile.FormatXLSX, &buf)
		require.NoError(t, err)

		f, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer f.Close()
		require.Equal(t, []string{"Check-ins"}, f.GetSheetList())
		rows, err := f.GetRows("Check-ins")
		require.NoError(t, err)
		require.Len(t, rows, 4)
		require.Equal(t, wantHeader, rows[0])
		zhang := rows[3]
		require.Equal(t, "zhang.min@example.com", zhang[0])
		require.Equal(t, "2026-11-27T10:30:00Z", zhang[3])
		// Text, kept as typed and never run: XLSX cells are typed strings.
		require.Equal(t, `=HYPERLINK("http://evil.example","付款")`, zhang[4])
		formula, err := f.GetCellFormula("Check-ins", "E4")
		require.NoError(t, err)
		require.Empty(t, formula)
		require.Equal(t, "- waiting on DBA\n- 等待审批", zhang[5])
		require.Equal(t, "迁移到 PostgreSQL: 42.5%; Close deals: 4/10; Close tickets: skipped", zhang[11])

		style, err := f.GetCellStyle("Check-ins", "A1")
		require.NoError(t, err)
		s, err := f.GetStyle(style)
		require.NoError(t, err)
		require.True(t, s.Font != nil && s.Font.Bold, "a bold header")
		panes, err := f.GetPanes("Check-ins")
		require.NoError(t, err)
		require.True(t, panes.Freeze)
		require.Equal(t, 1, panes.YSplit, "the first row is frozen")
		require.Equal(t, "A2", panes.TopLeftCell)
	})
}

func TestExportUnknownFormat(t *testing.T) {
	_, err := orgfile.ExportCheckins(context.Background(), nil, store.System, store.RoundFilter{}, "pdf", &bytes.Buffer{})
	require.ErrorIs(t, err, orgfile.ErrUnknownFormat)
}
