package orgfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// entry is one person as a row of the file gives them, each cell checked.
// Cells of columns the file does not have are empty; orgFile.cols tells
// them apart from empty cells.
type entry struct {
	line       int
	email      string // lower case
	name       string
	locale     string // "" keeps an existing person's, or defaults
	timeZone   string // "" keeps an existing person's, or defaults
	roles      []bot.Role
	manager    string // the manager's email, lower case; "" for none
	department string
	team       string
	goals      []goalSpec
	awayUntil  string         // the first day back, YYYY-MM-DD; "" for not away
	identities []bot.Identity // one per identity cell with a value
}

// orgFile is an organisation file read and checked on its own, before the
// store is consulted.
type orgFile struct {
	cols    columns
	entries []*entry          // the rows without problems, in file order
	byEmail map[string]*entry // the entries by email
	// lines has the line of every email in the file, rows with problems
	// included, so that they still count as managers.
	lines map[string]int
}

// parseFile checks every row of t, adding what is wrong to p. The entries
// of rows with problems are left out.
func parseFile(t table, opt ImportOptions, p *problems) *orgFile {
	f := &orgFile{byEmail: map[string]*entry{}, lines: map[string]int{}}
	cols, ok := parseHeader(t, p)
	if !ok {
		return f
	}
	f.cols = cols
	identities := map[bot.Identity]int{} // -> line
	for _, r := range t.rows {
		before := len(p.list)
		e := parseRow(cols, r, opt, p)
		if e.email != "" {
			if first, dup := f.lines[e.email]; dup {
				p.add(r.line, colEmail, "%s is also on line %d", e.email, first)
			} else {
				f.lines[e.email] = r.line
			}
		}
		for _, id := range e.identities {
			if first, dup := identities[id]; dup {
				p.add(r.line, string(id.Platform), "%s is also on line %d", id.UserID, first)
			} else {
				identities[id] = r.line
			}
		}
		if len(p.list) > before {
			continue
		}
		f.entries = append(f.entries, e)
		f.byEmail[e.email] = e
	}
	return f
}

// parseRow checks the cells of one row.
func parseRow(cols columns, r row, opt ImportOptions, p *problems) *entry {
	e := &entry{line: r.line}
	// check records the problem a parser found with a cell.
	check := func(column string, err error) {
		if err != nil {
			p.add(r.line, column, "%v", err)
		}
	}
	var err error

	if s := cols.get(r, colEmail); s == "" {
		p.add(r.line, colEmail, "required")
	} else {
		e.email, err = parseEmail(s)
		check(colEmail, err)
	}
	if e.name = cols.get(r, colName); e.name == "" {
		p.add(r.line, colName, "required")
	}
	e.locale, err = parseLocale(cols.get(r, colLocale))
	check(colLocale, err)
	e.timeZone, err = parseTimeZone(cols.get(r, colTimeZone))
	check(colTimeZone, err)
	e.roles, err = parseRoles(cols.get(r, colRoles))
	check(colRoles, err)
	if s := cols.get(r, colManager); s != "" {
		e.manager, err = parseEmail(s)
		check(colManager, err)
		if err == nil && e.manager == e.email {
			p.add(r.line, colManager, "a person cannot be their own manager")
		}
	}
	e.department = cols.get(r, colDepartment)
	e.team = cols.get(r, colTeam)
	e.goals, err = parseGoals(cols.get(r, colGoals))
	check(colGoals, err)
	if s := strings.TrimSpace(cols.get(r, colAway)); s != "" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			p.add(r.line, colAway, "%q is not a date like 2026-12-01", s)
		}
		e.awayUntil = s
	}
	for _, platform := range identityPlatforms() {
		if s := cols.get(r, string(platform)); s != "" {
			id, err := parseIdentity(platform, s, opt.Tenants[platform])
			check(string(platform), err)
			if err == nil {
				e.identities = append(e.identities, id)
			}
		}
	}

	// A value under no column is a shifted row or a missing header, and
	// importing the rest of the row would be a guess.
	named := make(map[int]bool, len(cols))
	for _, i := range cols {
		named[i] = true
	}
	for i, c := range r.cells {
		if c != "" && !named[i] {
			p.add(r.line, "", "%s in column %d, which has no name in the header", quoteShort(c), i+1)
			break
		}
	}
	return e
}

// quoteShort quotes s for a message, cut to a readable length.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
