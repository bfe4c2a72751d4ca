package orgfile_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

var wantFeedbackHeader = []string{"month", "scope", "team", "email", "name", "given", "received",
	"requests", "answered", "median_answer_hours", "answered_after_48h_share", "open_after_48h"}

// evilName is a name a spreadsheet would run as a formula.
const evilName = `=HYPERLINK("http://evil.example","x")`

// saveFeedback imports orgCSV, adds Eve (whose name is a formula) and
// saves feedback and requests in October and November 2026.
func saveFeedback(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	_, err := importCSV(t, st, orgCSV)
	require.NoError(t, err)
	zhang := personByEmail(t, st, "zhang.min@example.com")
	li := personByEmail(t, st, "li.wei@example.com")
	wang := personByEmail(t, st, "wang.fang@example.com")
	anna := personByEmail(t, st, "anna@example.com")
	eve := bot.Person{Name: evilName, Email: "eve@example.com"}
	require.NoError(t, st.SavePerson(ctx, &eve))

	nov := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	give := func(kind store.FeedbackKind, giver, recipient bot.Person, at time.Time) {
		f := store.Feedback{Kind: kind, GiverID: giver.ID, RecipientID: recipient.ID, CreatedAt: at}
		require.NoError(t, st.SaveFeedback(ctx, &f))
	}
	ask := func(requester, asked bot.Person, at time.Time, wait time.Duration) {
		r := store.FeedbackRequest{RequesterID: requester.ID, AskedID: asked.ID, CreatedAt: at}
		if wait > 0 {
			r.AnsweredAt = at.Add(wait)
		}
		require.NoError(t, st.SaveFeedbackRequest(ctx, &r))
	}
	give(store.FeedbackPraise, anna, wang, time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC))
	// Zhang answers two of Li's requests after 2 and 4 hours; the third,
	// a week before the stores' clock, is still open after 48 hours. Li
	// answers Zhang's after 50 hours: late. Their team Platform's median
	// is over 2, 4 and 50 hours: 4, not the 26.5 between theirs.
	ask(li, zhang, nov, 2*time.Hour)
	ask(li, zhang, nov, 4*time.Hour)
	ask(li, zhang, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), 0)
	ask(zhang, li, nov, 50*time.Hour)
	give(store.FeedbackSBI, zhang, li, nov.Add(2*time.Hour))
	give(store.FeedbackPraise, zhang, li, nov.Add(4*time.Hour))
	give(store.FeedbackPraise, li, zhang, nov.AddDate(0, 0, 8))
	give(store.FeedbackPraise, eve, anna, nov.AddDate(0, 0, 9))
}

func TestExportFeedback(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		saveFeedback(t, st)
		ctx := context.Background()
		from, to, err := orgfile.MonthRange("2026-10", "2026-11")
		require.NoError(t, err)
		var buf bytes.Buffer
		rows, err := orgfile.ExportFeedback(ctx, st, store.System, from, to, orgfile.FormatCSV, &buf)
		require.NoError(t, err)
		records, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Equal(t, len(records)-1, rows, "it counts the rows below the header")
		require.Equal(t, [][]string{
			wantFeedbackHeader,
			// By month; people by team ("" first) and name, then teams.
			{"2026-10", "person", "", "wang.fang@example.com", "王芳", "0", "1", "0", "0", "", "", "0"},
			{"2026-10", "person", "增长 Growth", "anna@example.com", "Schmidt, Anna", "1", "0", "0", "0", "", "", "0"},
			{"2026-10", "team", "增长 Growth", "", "", "1", "0", "0", "0", "", "", "0"},
			{"2026-11", "person", "", "eve@example.com", "'" + evilName, "1", "0", "0", "0", "", "", "0"},
			{"2026-11", "person", "Platform", "zhang.min@example.com", "张敏", "2", "1", "3", "2", "3.0", "0.00", "1"},
			{"2026-11", "person", "Platform", "li.wei@example.com", "李伟", "1", "2", "1", "1", "50.0", "1.00", "0"},
			{"2026-11", "person", "增长 Growth", "anna@example.com", "Schmidt, Anna", "0", "1", "0", "0", "", "", "0"},
			{"2026-11", "team", "Platform", "", "", "3", "3", "4", "3", "4.0", "0.25", "1"},
			{"2026-11", "team", "增长 Growth", "", "", "0", "1", "0", "0", "", "", "0"},
		}, records)

		from, to, err = orgfile.MonthRange("2026-10", "2026-10")
		require.NoError(t, err)
		buf.Reset()
		_, err = orgfile.ExportFeedback(ctx, st, store.System, from, to, orgfile.FormatCSV, &buf)
		require.NoError(t, err)
		records, err = csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Len(t, records, 4, "October only")

		hr := personByEmail(t, st, "wang.fang@example.com")
		buf.Reset()
		_, err = orgfile.ExportFeedback(ctx, st, store.Viewer(hr.ID), from, to, orgfile.FormatCSV, &buf)
		require.ErrorIs(t, err, store.ErrForbidden, "statistics over everyone are perfbot's own, hr included")
		require.Zero(t, buf.Len(), "nothing written")
		_, err = orgfile.ExportFeedback(ctx, st, store.System, from, to, "ods", &buf)
		require.ErrorIs(t, err, orgfile.ErrUnknownFormat)
	})
}

func TestExportFeedbackXLSX(t *testing.T) {
	eachStore(t, func(t *testing.T, st store.Store) {
		saveFeedback(t, st)
		var buf bytes.Buffer
		_, err := orgfile.ExportFeedback(context.Background(), st, store.System, time.Time{}, time.Time{},
			orgfile.FormatXLSX, &buf)
		require.NoError(t, err)
		f, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer f.Close()
		require.Equal(t, []string{"Feedback"}, f.GetSheetList())
		rows, err := f.GetRows("Feedback")
		require.NoError(t, err)
		require.Len(t, rows, 10, "no bounds: every month")
		require.Equal(t, wantFeedbackHeader, rows[0])
		// Text, kept as typed and never run: XLSX cells are typed strings.
		require.Equal(t, evilName, rows[4][4])
		formula, err := f.GetCellFormula("Feedback", "E5")
		require.NoError(t, err)
		require.Empty(t, formula)
		require.Equal(t, []string{"2026-11", "person", "Platform", "zhang.min@example.com", "张敏", "2", "1", "3", "2", "3.0", "0.00", "1"}, rows[5])
		// excelize leaves out a row's trailing empty cells, not inner ones.
		require.Equal(t, []string{"2026-11", "team", "Platform", "", "", "3", "3", "4", "3", "4.0", "0.25", "1"}, rows[8])
	})
}

func TestMonthRange(t *testing.T) {
	utc := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		from, to   string
		start, end time.Time
		err        bool
	}{
		{"2026-11", "2026-11", utc(2026, 11), utc(2026, 12), false},
		{"2026-11", "2026-12", utc(2026, 11), utc(2027, 1), false},
		{" 2026-02 ", "", utc(2026, 2), time.Time{}, false},
		{"", "2026-03", time.Time{}, utc(2026, 4), false},
		{"", "", time.Time{}, time.Time{}, false},
		{"2026-12", "2026-11", time.Time{}, time.Time{}, true},
		{"2026-13", "", time.Time{}, time.Time{}, true},
		{"", "2026-11-01", time.Time{}, time.Time{}, true},
		{"Nov 2026", "", time.Time{}, time.Time{}, true},
	}
	for _, tt := range tests {
		start, end, err := orgfile.MonthRange(tt.from, tt.to)
		if tt.err {
			require.ErrorIs(t, err, orgfile.ErrInvalidRange, "%q..%q", tt.from, tt.to)
			continue
		}
		require.NoError(t, err, "%q..%q", tt.from, tt.to)
		require.Equal(t, tt.start, start, "%q..%q", tt.from, tt.to)
		require.Equal(t, tt.end, end, "%q..%q", tt.from, tt.to)
	}
}
