package orgfile

import (
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// The columns of an organisation file (FORMAT.md describes them).
const (
	colEmail      = "email"
	colName       = "name"
	colLocale     = "locale"
	colTimeZone   = "timezone"
	colRoles      = "roles"
	colManager    = "manager_email"
	colDepartment = "department"
	colTeam       = "team"
	colGoals      = "goals"
	colAway       = "away_until"
)

// identityPlatforms are the platforms with a column of user ids, named after
// the platform: the chat platforms, then the business tools whose
// webhooks name people by their account (github, gitlab, jira, hubspot).
func identityPlatforms() []bot.Platform {
	return append([]bot.Platform{bot.Slack, bot.WeCom, bot.DingTalk, bot.Simulator}, bot.Tools()...)
}

// importColumns lists every column an organisation file may have, in the
// order FORMAT.md gives them.
func importColumns() []string {
	cols := []string{colEmail, colName, colLocale, colTimeZone, colRoles, colManager, colDepartment, colTeam, colGoals, colAway}
	for _, p := range identityPlatforms() {
		cols = append(cols, string(p))
	}
	return cols
}

// columns is a file's header: where each column it has is.
type columns map[string]int

// has reports whether the file has column name. A column left out of the
// file leaves that field of existing people as it is.
func (c columns) has(name string) bool {
	_, ok := c[name]
	return ok
}

// get returns the cell of column name in r; "" when the file has no such
// column.
func (c columns) get(r row, name string) string {
	i, ok := c[name]
	if !ok {
		return ""
	}
	return r.cell(i)
}

// parseHeader reads the header row. It returns false when the header is too
// broken for the rows to be read.
func parseHeader(t table, p *problems) (columns, bool) {
	known := importColumns()
	cols := columns{}
	ok := true
	for i, h := range t.header {
		if h == "" {
			continue // an unnamed column must be empty; parseRow checks it
		}
		// Case-insensitive, and forgiving of "Manager Email".
		name := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(h))
		switch {
		case !slices.Contains(known, name):
			p.add(t.headerLine, h, "unknown column; the columns are %s", strings.Join(known, ", "))
			ok = false
		case cols.has(name):
			p.add(t.headerLine, name, "the column appears twice")
			ok = false
		default:
			cols[name] = i
		}
	}
	for _, required := range []string{colEmail, colName} {
		if !cols.has(required) {
			p.add(t.headerLine, required, "missing required column")
			ok = false
		}
	}
	return cols, ok
}
