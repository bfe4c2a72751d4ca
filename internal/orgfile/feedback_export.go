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
// in format, one row per person and UTC month, ordered by month, team and
// name.
//
// The columns are month, email, name, team, given, received, requests (made
// of the person that month), answered, median_answer_hours (from request to
// feedback, one decimal; empty when none was answered) and late_share (the
// share of the requests answered more than 48 hours after they were made or
// still open 48 hours after, two decimals; empty when there were none).
// Formulas are defused as in ExportCheckins.
func ExportFeedback(ctx context.Context, st store.Store, v store.Viewer, from, to time.Time, format string, w io.Writer) error {
	if err := checkFormat(format); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	stats, err := st.FeedbackStats(ctx, v, from, to)
	if err != nil {
		return fmt.Errorf("export: read feedback stats: %w", err)
	}
	people, err := st.People(ctx, store.PeopleFilter{})
	if err != nil {
		return fmt.Errorf("export: read people: %w", err)
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return fmt.Errorf("export: read teams: %w", err)
	}
	if err := writeTable(w, format, feedbackTable(stats, people, teams)); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// feedbackTable lays stats out as the export's table.
func feedbackTable(stats []store.FeedbackStats, people []bot.Person, teams []store.Team) table {
	personByID := make(map[int64]bot.Person, len(people))
	for _, p := range people {
		personByID[p.ID] = p
	}
	teamByID := make(map[int64]store.Team, len(teams))
	for _, t := range teams {
		teamByID[t.ID] = t
	}
	stats = slices.Clone(stats)
	slices.SortStableFunc(stats, func(a, b store.FeedbackStats) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month),
			cmp.Compare(teamByID[a.TeamID].Name, teamByID[b.TeamID].Name),
			cmp.Compare(personByID[a.PersonID].Name, personByID[b.PersonID].Name),
			cmp.Compare(a.PersonID, b.PersonID))
	})
	t := table{name: feedbackSheet, header: []string{"month", "email", "name", "team", "given", "received",
		"requests", "answered", "median_answer_hours", "late_share"}}
	for _, s := range stats {
		p := personByID[s.PersonID]
		t.rows = append(t.rows, row{cells: []string{s.Month, p.Email, p.Name, teamByID[s.TeamID].Name,
			strconv.Itoa(s.Given), strconv.Itoa(s.Received), strconv.Itoa(s.Requests), strconv.Itoa(s.Answered),
			formatMedian(s), formatLateShare(s)}})
	}
	return t
}

// formatMedian is the median answer time in hours; "" when none was
// answered.
func formatMedian(s store.FeedbackStats) string {
	if s.Answered == 0 {
		return ""
	}
	return strconv.FormatFloat(s.MedianAnswer.Hours(), 'f', 1, 64)
}

// formatLateShare is Late / Requests; "" when there were no requests.
func formatLateShare(s store.FeedbackStats) string {
	if s.Requests == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(s.Late)/float64(s.Requests), 'f', 2, 64)
}
