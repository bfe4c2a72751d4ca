package sqlstore

import (
	"strings"

	"github.com/perfbot/perfbot/internal/store"
)

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

// asViewer builds "SELECT … WHERE conds" (selectFrom is "SELECT cols FROM
// table") restricted to what v may see: rule, with ruleArgs, is that
// condition and may use reports(id). System sees everything. The caller
// adds ORDER BY and LIMIT.
func asViewer(v store.Viewer, selectFrom string, conds []string, args []any, rule string, ruleArgs ...any) (string, []any) {
	var q strings.Builder
	var all []any
	if v != store.System {
		q.WriteString(reportsCTE)
		all = append(all, int64(v))
	}
	q.WriteString(selectFrom + ` WHERE 1 = 1`)
	for _, c := range conds {
		q.WriteString(" AND " + c)
	}
	all = append(all, args...)
	if v != store.System {
		q.WriteString(` AND (` + rule + `)`)
		all = append(all, ruleArgs...)
	}
	return q.String(), all
}
