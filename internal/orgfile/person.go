package orgfile

import (
	"cmp"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// person returns the person e describes: old updated by the file's columns
// when it exists, a new person otherwise. A column the file lacks, and an
// empty locale or time zone, keep what an existing person has.
func (f *orgFile) person(e *entry, old bot.Person, exists bool, s snapshot, teams, ids map[string]int64, opt ImportOptions) bot.Person {
	p := bot.Person{Email: e.email, Locale: opt.DefaultLocale, TimeZone: opt.DefaultTimeZone, Roles: []bot.Role{bot.RoleEmployee}}
	if exists {
		p = old
		p.Roles = slices.Clone(old.Roles)
		p.Identities = slices.Clone(old.Identities)
	}
	p.Name = e.name
	p.Locale = cmp.Or(e.locale, p.Locale)
	p.TimeZone = cmp.Or(e.timeZone, p.TimeZone)
	if f.cols.has(colRoles) {
		p.Roles = e.roles
	}
	if f.cols.has(colManager) {
		p.ManagerID = 0
		if id, ok := ids[e.manager]; ok {
			p.ManagerID = id // written above: ordered puts managers first
		} else if m, ok := s.people[e.manager]; ok {
			p.ManagerID = m.ID
		}
	}
	if f.cols.has(colDepartment) {
		p.Department = e.department
	}
	if f.cols.has(colTeam) {
		p.TeamID = teams[strings.ToLower(e.team)] // 0 for ""
	}
	if f.cols.has(colAway) {
		p.AwayUntil = e.awayUntil
	}
	for _, id := range e.identities {
		p.Identities = withIdentity(p.Identities, id)
	}
	return p
}

// withIdentity returns ids with id replacing the identity on its platform,
// or added; the identities on other platforms are kept.
func withIdentity(ids []bot.Identity, id bot.Identity) []bot.Identity {
	for i, old := range ids {
		if old.Platform == id.Platform {
			ids[i] = id
			return ids
		}
	}
	return append(ids, id)
}

// personChanges names the fields that differ between old and p, for the
// audit log; none means p need not be written.
func personChanges(old, p bot.Person) []string {
	var changes []string
	note := func(field string, changed bool) {
		if changed {
			changes = append(changes, field)
		}
	}
	note("name", old.Name != p.Name)
	note("locale", old.Locale != p.Locale)
	note("timezone", old.TimeZone != p.TimeZone)
	note("roles", !sameElements(old.Roles, p.Roles))
	note("manager", old.ManagerID != p.ManagerID)
	note("department", old.Department != p.Department)
	note("team", old.TeamID != p.TeamID)
	note("away_until", old.AwayUntil != p.AwayUntil)
	note("identities", !sameElements(old.Identities, p.Identities))
	return changes
}

// sameElements reports whether a and b hold the same elements, in any order.
func sameElements[E comparable](a, b []E) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
