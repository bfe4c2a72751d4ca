package orgfile

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// checkinSheet names the sheet of an XLSX export.
const checkinSheet = "Check-ins"

// ExportCheckins writes the check-in rounds that f selects and v may see as
// a file in format (FormatCSV or FormatXLSX), one round a row.
//
// The columns are email, period, status, submitted_at, done, blockers,
// next, mood, name, team, skip_reason, goals, reviewed_by, reviewed_at, then
// q_<key> for each question of the teams' own templates. Times are RFC 3339
// in UTC, empty when unset. In CSV, text that a spreadsheet would run as a
// formula is prefixed with an apostrophe. It returns how many rows it
// wrote below the header.
func ExportCheckins(ctx context.Context, st store.Store, v store.Viewer, f store.RoundFilter, format string, w io.Writer) (int, error) {
	if err := checkFormat(format); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	rounds, err := st.Rounds(ctx, v, f)
	if err != nil {
		return 0, fmt.Errorf("export: read rounds: %w", err)
	}
	people, teams, err := everyone(ctx, st)
	if err != nil {
		return 0, err
	}
	t := checkinTable(rounds, people, teams)
	if err := writeTable(w, format, t); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return len(t.rows), nil
}

// checkinColumn is one column of the export: its header and how a round
// fills it.
type checkinColumn struct {
	name  string
	value func(store.Round) string
}

// checkinTable lays rounds out as the export's table.
func checkinTable(rounds []store.Round, people []bot.Person, teams []store.Team) table {
	personByID := make(map[int64]bot.Person, len(people))
	for _, p := range people {
		personByID[p.ID] = p
	}
	teamByID := make(map[int64]store.Team, len(teams))
	for _, t := range teams {
		teamByID[t.ID] = t
	}
	answer := func(key string) func(store.Round) string {
		return func(r store.Round) string { return r.Answer(key) }
	}
	cols := []checkinColumn{
		{"email", func(r store.Round) string { return personByID[r.PersonID].Email }},
		{"period", func(r store.Round) string { return r.Period }},
		{"status", func(r store.Round) string { return string(r.Status) }},
		{"submitted_at", func(r store.Round) string { return formatTime(r.SubmittedAt) }},
		{"done", answer(store.QuestionDone)},
		{"blockers", answer(store.QuestionBlockers)},
		{"next", answer(store.QuestionNext)},
		{"mood", func(r store.Round) string { return formatMood(r.Mood) }},
		{"name", func(r store.Round) string { return personByID[r.PersonID].Name }},
		{"team", func(r store.Round) string { return teamByID[r.TeamID].Name }},
		{"skip_reason", func(r store.Round) string { return r.SkipReason }},
		{"goals", func(r store.Round) string { return formatGoals(r.Goals) }},
		{"reviewed_by", func(r store.Round) string {
			if r.ReviewedBy == 0 {
				return ""
			}
			return personByID[r.ReviewedBy].Email
		}},
		{"reviewed_at", func(r store.Round) string { return formatTime(r.ReviewedAt) }},
	}
	for _, key := range customKeys(rounds, teamByID) {
		cols = append(cols, checkinColumn{"q_" + key, answer(key)})
	}

	t := table{name: checkinSheet, header: make([]string, len(cols)), rows: make([]row, len(rounds))}
	for i, c := range cols {
		t.header[i] = c.name
	}
	for i, r := range rounds {
		cells := make([]string, len(cols))
		for j, c := range cols {
			cells[j] = c.value(r)
		}
		t.rows[i] = row{cells: cells}
	}
	return t
}

// customKeys returns the keys of the questions beyond the built-in ones that
// the rounds' teams ask or the rounds answer: first in template order, teams
// by id, then keys only old answers have (a question since removed) sorted.
// The same data always gives the same columns.
func customKeys(rounds []store.Round, teamByID map[int64]store.Team) []string {
	builtIn := func(k string) bool {
		return k == store.QuestionDone || k == store.QuestionBlockers || k == store.QuestionNext
	}
	var teamIDs []int64
	for _, r := range rounds {
		if !slices.Contains(teamIDs, r.TeamID) {
			teamIDs = append(teamIDs, r.TeamID)
		}
	}
	slices.Sort(teamIDs)
	var keys []string
	for _, id := range teamIDs {
		for _, q := range teamByID[id].Questions {
			if !builtIn(q.Key) && !slices.Contains(keys, q.Key) {
				keys = append(keys, q.Key)
			}
		}
	}
	var extra []string
	for _, r := range rounds {
		for _, a := range r.Answers {
			if !builtIn(a.Key) && !slices.Contains(keys, a.Key) && !slices.Contains(extra, a.Key) {
				extra = append(extra, a.Key)
			}
		}
	}
	slices.Sort(extra)
	return append(keys, extra...)
}

// formatTime formats t as RFC 3339 in UTC; "" when unset.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// formatMood formats a mood from 1 to 5; "" when not answered.
func formatMood(m int) string {
	if m == 0 {
		return ""
	}
	return strconv.Itoa(m)
}

// formatGoals formats progress as "Ship v2: 40%; Close deals: 4/10;
// Hire: skipped": a goal with a numeric target keeps it, one without is a
// percentage.
func formatGoals(goals []store.GoalProgress) string {
	number := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	parts := make([]string, len(goals))
	for i, g := range goals {
		var value string
		switch {
		case g.Skipped:
			value = "skipped"
		case g.Target > 0:
			value = number(g.Value) + "/" + number(g.Target)
		default:
			value = number(g.Value) + "%"
		}
		parts[i] = g.Title + ": " + value
	}
	return strings.Join(parts, "; ")
}

// everyone reads every person and team in two queries rather than one per
// row: an export of a large organisation has many more rows than people.
func everyone(ctx context.Context, st store.Store) ([]bot.Person, []store.Team, error) {
	people, err := st.People(ctx, store.PeopleFilter{})
	if err != nil {
		return nil, nil, fmt.Errorf("export: read people: %w", err)
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("export: read teams: %w", err)
	}
	return people, teams, nil
}
