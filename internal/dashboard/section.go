package dashboard

import (
	"context"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Section is one view of the dashboard: a few headline numbers, a chart,
// and the table both are drawn from, which is also what its download holds.
type Section struct {
	ID    string
	Title string
	Intro string
	Tiles []Tile
	Chart template.HTML
	Table Sheet
	// Empty, when set, is shown instead of the chart and table.
	Empty string
	// Notes are shown under the table (withheld groups, targets).
	Notes []string
	// NoDownload says the section has no table to download.
	NoDownload bool
}

// Tile is a headline number, against its target when it has one.
type Tile struct {
	Label  string
	Value  string
	Target string
	// Met says the number meets its target; Missed that it does not.
	Met, Missed bool
}

// Sheet is a table as shown and downloaded.
type Sheet struct {
	// Name is the XLSX sheet's and the file's name: ASCII, at most 31
	// characters.
	Name   string
	Header []string
	Rows   [][]string
}

// Body is the table's rows as HTML, every cell escaped. A company's goals
// are thousands of cells, and the template's escaping of each by
// reflection was a fifth of the page's time.
func (sh Sheet) Body() template.HTML {
	var b strings.Builder
	for _, r := range sh.Rows {
		b.WriteString("<tr>")
		for _, c := range r {
			b.WriteString("<td>")
			b.WriteString(html.EscapeString(c))
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	return template.HTML(b.String()) // #nosec: every cell is escaped above
}

// Warning is one thing someone should act on.
type Warning struct {
	Kind     string // shown as is, already in the viewer's language
	PersonID int64
	TeamID   int64
	Since    time.Time
	Detail   string
	// goal is the goal warning it is, whose Detail is worded only when
	// the row is listed.
	goal *goalWarning
}

// scope is one request's viewer and what their pages cover.
type scope struct {
	me bot.Person
	v  store.Viewer
	hr bool
	// own says the insight covers only the viewer (an employee): their
	// own numbers are theirs to see whatever the group size.
	own   bool
	t     i18n.Texts
	now   time.Time
	loc   *time.Location
	weeks []string // oldest first, the current one last
	// from is the start of the first week.
	from  time.Time
	teams map[int64]store.Team
	// cells are the weeks' check-in counts, read once for the views that
	// share them.
	cells []store.ParticipationCell
	read  bool
	// objs are the goals the viewer may see, read once for the goals
	// view and the warnings.
	objs     []store.Objective
	objsRead bool
	// ids are the people the insight covers, and warns their goal
	// warnings, each read once.
	ids       []int64
	idsRead   bool
	warns     []goalWarning
	warnsRead bool
	// people are the people read so far, by id (peopleOf).
	people map[int64]bot.Person
}

// objectives reads the goals the viewer may see once per request.
func (h *Handler) objectives(ctx context.Context, s *scope) ([]store.Objective, error) {
	if !s.objsRead {
		objs, err := h.store.Objectives(ctx, s.v, store.ObjectiveFilter{})
		if err != nil {
			return nil, err
		}
		s.objs, s.objsRead = objs, true
	}
	return s.objs, nil
}

// participationCells reads the weeks' check-in counts once per request.
func (h *Handler) participationCells(ctx context.Context, s *scope) ([]store.ParticipationCell, error) {
	if !s.read {
		cells, err := h.store.Participation(ctx, s.v, s.weeks[0], s.weeks[len(s.weeks)-1])
		if err != nil {
			return nil, err
		}
		s.cells, s.read = cells, true
	}
	return s.cells, nil
}

// teamName is a team's name as the viewer reads it; the employee's own
// page names them instead.
func (s *scope) teamName(id int64) string {
	if s.own {
		return s.me.Name
	}
	if t, ok := s.teams[id]; ok {
		return t.Name
	}
	return s.t.T("dashboard.no_team")
}

// shows reports whether an aggregate over n people may be shown: to the
// person it is about, or when the group is at least min.
func (s *scope) shows(n, min int) bool { return s.own || n >= min }

// weeksUpTo lists the n ISO weeks ending with the one now falls in, in
// loc, oldest first, and the start of the first.
func weeksUpTo(now time.Time, loc *time.Location, n int) ([]string, time.Time) {
	weeks := make([]string, n)
	for i := range n {
		weeks[n-1-i] = period.Of(now.AddDate(0, 0, -7*i), loc)
	}
	from, err := period.Start(weeks[0], loc)
	if err != nil { // period.Of names only valid weeks
		from = now.AddDate(0, 0, -7*n)
	}
	return weeks, from
}

// shortWeek is "W48" of "2026-W48", for column heads.
func shortWeek(p string) string {
	if len(p) == 8 {
		return p[5:]
	}
	return p
}
