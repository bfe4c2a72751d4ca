package orgfile

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// feedbackSheet names the sheet of an XLSX export.
const feedbackSheet = "Feedback"

// ExportFeedback writes the feedback numbers of [from, to) (see
// [store.FeedbackStore.FeedbackStats], which only System may read) as a file
// in format: one table, so that a spreadsheet's filter on the scope column
// shows people or teams, and CSV stays one header and rows. For each UTC
// month come first the rows of people (scope "person"), ordered by team and
// name, then those of teams (scope "team", email and name empty), ordered by
// name. A team's row counts the people in the team now, and its median is
// taken over all their requests.
//
// The columns are month, scope, team, email, name, given, received,
// requests (made of the person or the team's people that month), answered,
// median_answer_hours (from request to feedback, one decimal; empty when
// none was answered), answered_after_48h_share (the share of the requests
// answered more than 48 hours after they were made, two decimals; empty when
// there were none) and open_after_48h (how many are still unanswered, not
// declined, 48 hours after they were made, as of the end of the range or
// now). Formulas are defused as in ExportCheckins. It returns how many rows
// it wrote below the header.
func ExportFeedback(ctx context.Context, st store.Store, v store.Viewer, from, to time.Time, format string, w io.Writer) (int, error) {
	if err := checkFormat(format); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	report, err := st.FeedbackStats(ctx, v, from, to)
	if err != nil {
		return 0, fmt.Errorf("export: read feedback stats: %w", err)
	}
	people, teams, err := everyone(ctx, st)
	if err != nil {
		return 0, err
	}
	t := feedbackTable(report, people, teams)
	if err := writeTable(w, format, t); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return len(t.rows), nil
}

// feedbackTable lays report out as the export's table.
func feedbackTable(report store.FeedbackReport, people []bot.Person, teams []store.Team) table {
	personByID := make(map[int64]bot.Person, len(people))
	for _, p := range people {
		personByID[p.ID] = p
	}
	teamByID := make(map[int64]store.Team, len(teams))
	for _, t := range teams {
		teamByID[t.ID] = t
	}
	type line struct {
		month  string
		team   int64
		person int64 // 0 on a team's row
		n      store.FeedbackNumbers
	}
	lines := make([]line, 0, len(report.People)+len(report.Teams))
	for _, s := range report.People {
		lines = append(lines, line{s.Month, s.TeamID, s.PersonID, s.FeedbackNumbers})
	}
	for _, s := range report.Teams {
		lines = append(lines, line{s.Month, s.TeamID, 0, s.FeedbackNumbers})
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		return cmp.Or(cmp.Compare(a.month, b.month),
			// People first, then teams.
			cmp.Compare(boolInt(a.person == 0), boolInt(b.person == 0)),
			cmp.Compare(teamByID[a.team].Name, teamByID[b.team].Name),
			cmp.Compare(a.team, b.team),
			cmp.Compare(personByID[a.person].Name, personByID[b.person].Name),
			cmp.Compare(a.person, b.person))
	})
	t := table{name: feedbackSheet, header: []string{"month", "scope", "team", "email", "name", "given", "received",
		"requests", "answered", "median_answer_hours", "answered_after_48h_share", "open_after_48h"}}
	for _, l := range lines {
		scope, email, name := "team", "", ""
		if l.person != 0 {
			p := personByID[l.person]
			scope, email, name = "person", p.Email, p.Name
		}
		t.rows = append(t.rows, row{cells: []string{l.month, scope, teamByID[l.team].Name, email, name,
			strconv.Itoa(l.n.Given), strconv.Itoa(l.n.Received), strconv.Itoa(l.n.Requests), strconv.Itoa(l.n.Answered),
			formatMedian(l.n), formatLateShare(l.n), strconv.Itoa(l.n.OpenLate)}})
	}
	return t
}

// boolInt orders false before true.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// formatMedian is the median answer time in hours; "" when none was
// answered.
func formatMedian(n store.FeedbackNumbers) string {
	if n.Answered == 0 {
		return ""
	}
	return strconv.FormatFloat(n.MedianAnswer.Hours(), 'f', 1, 64)
}

// formatLateShare is AnsweredLate / Requests; "" when there were no
// requests.
func formatLateShare(n store.FeedbackNumbers) string {
	if n.Requests == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(n.AnsweredLate)/float64(n.Requests), 'f', 2, 64)
}
