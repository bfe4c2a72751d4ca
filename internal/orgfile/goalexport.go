package orgfile

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// GoalExportOptions configures ExportGoals.
type GoalExportOptions struct {
	Format string
	// TeamID, when set, exports only the team's goals and its members'.
	TeamID int64
}

// goalReader is what ExportGoals reads, each kind of thing in one read.
type goalReader interface {
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
	Teams(ctx context.Context) ([]store.Team, error)
	Objectives(ctx context.Context, v store.Viewer, f store.ObjectiveFilter) ([]store.Objective, error)
	ProgressTallies(ctx context.Context, v store.Viewer, objectiveIDs []int64) (map[int64]store.ProgressTally, error)
}

// goalExportColumns are an export's columns: those an import reads, then
// what happened since.
func goalExportColumns() []string { return append(goalImportColumns(), goalExportOnlyColumns()...) }

// ExportGoals writes the goals v may see as a goal file, one key result a
// row (a goal without any on a row of its own), with each goal's rolled-up
// progress and each key result's value, confidence and updates: how many
// were late, lacked the evidence they needed, or were automatic. Its goal
// and parent cells are goal ids, so the file imports again (the columns
// past evidence are skipped). It reports the rows written.
func ExportGoals(ctx context.Context, st goalReader, v store.Viewer, opt GoalExportOptions, w io.Writer) (int, error) {
	if err := checkFormat(opt.Format); err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	people, err := st.People(ctx, store.PeopleFilter{})
	if err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	all, err := st.Objectives(ctx, v, store.ObjectiveFilter{})
	if err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	byID := make(map[int64]bot.Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	teamName := make(map[int64]string, len(teams))
	for _, t := range teams {
		teamName[t.ID] = t.Name
	}
	// The roll-up is over every goal, so a team's goal counts the goals
	// of people elsewhere aligned to it; then the team's are picked.
	progress := okr.Progress(all)
	progressOf := make(map[int64]float64, len(all))
	for i, o := range all {
		progressOf[o.ID] = progress[i]
	}
	teamOf := func(o store.Objective) int64 {
		if o.Level == store.LevelTeam {
			return o.TeamID
		}
		if o.Level == store.LevelPerson {
			return byID[o.OwnerID].TeamID
		}
		return 0
	}
	var picked []store.Objective
	ids := make([]int64, 0, len(all))
	for _, o := range all {
		if opt.TeamID == 0 || teamOf(o) == opt.TeamID {
			picked = append(picked, o)
			ids = append(ids, o.ID)
		}
	}
	tallies, err := st.ProgressTallies(ctx, v, ids)
	if err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	sortedGoals(picked, func(o store.Objective) string { return teamName[teamOf(o)] },
		func(o store.Objective) string { return byID[o.OwnerID].Email })

	t := table{name: "Goals", header: goalExportColumns()}
	for _, o := range picked {
		owner, lead := byID[o.OwnerID].Email, ""
		if o.Level == store.LevelTeam {
			owner, lead = teamName[o.TeamID], byID[o.OwnerID].Email
		}
		period := o.Period
		if period == "" {
			period = o.Starts + ".." + o.Ends
		}
		parent := ""
		if o.ParentID != 0 {
			parent = strconv.FormatInt(o.ParentID, 10)
		}
		goal := []string{strconv.FormatInt(o.ID, 10), string(o.Level), owner, lead, period, parent, string(o.Kind),
			o.Title, num(o.Weight)}
		after := func(kr []string, current, krProgress, confidence string, tl store.ProgressTally) []string {
			last := ""
			if !tl.LastAt.IsZero() {
				last = tl.LastAt.UTC().Format(time.RFC3339)
			}
			cells := append(append(append([]string{}, goal...), kr...), string(o.Status), teamName[teamOf(o)],
				byID[o.OwnerID].Name, okr.Percent(progressOf[o.ID]), current, krProgress, confidence)
			if kr[0] == "" {
				return append(cells, "", "", "", "", last)
			}
			return append(cells, strconv.Itoa(tl.Updates), strconv.Itoa(tl.Late), strconv.Itoa(tl.NoEvidence),
				strconv.Itoa(tl.Automatic), last)
		}
		if len(o.KeyResults) == 0 {
			t.rows = append(t.rows, row{cells: after(make([]string, 8), "", "", "", store.ProgressTally{})})
		}
		for _, k := range o.KeyResults {
			evidence := "no"
			if k.RequiresEvidence {
				evidence = "yes"
			}
			kr := []string{k.Title, k.Unit, num(k.Start), num(k.Target), string(k.Direction), k.Due, num(k.Weight), evidence}
			t.rows = append(t.rows, row{cells: after(kr, num(k.Current), okr.Percent(okr.KeyResult(k)),
				string(k.Confidence), tallies[k.ID])})
		}
	}
	if err := writeTable(w, opt.Format, t); err != nil {
		return 0, fmt.Errorf("export goals: %w", err)
	}
	return len(t.rows), nil
}

// num is a number as a cell: no exponent, no trailing zeros.
func num(f float64) string { return strings.TrimSuffix(strconv.FormatFloat(f, 'f', -1, 64), ".0") }
