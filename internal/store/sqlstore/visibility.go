package sqlstore

import "strings"

// reportsCTE defines reports(id): the viewer, its one argument, and everyone
// below them in the manager chain. UNION, not UNION ALL, ends the walk
// should the chain ever loop.
const reportsCTE = `WITH RECURSIVE reports(id) AS (
	SELECT id FROM people WHERE id = ?
	UNION
	SELECT people.id FROM people JOIN reports ON people.manager_id = reports.id
) `

// hasRole is a condition true when the person whose id is its first
// argument holds one of n roles, the arguments after it.
func (d dialect) hasRole(n int) string {
	return `EXISTS (SELECT 1 FROM people viewer, ` + d.jsonElements("viewer.roles", "role") + `
		WHERE viewer.id = ? AND role.value IN (` + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + `))`
}
