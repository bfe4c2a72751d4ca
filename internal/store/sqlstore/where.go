package sqlstore

import (
	"strings"
	"time"
)

// where is the conditions of a query and their arguments, ANDed.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds, w.args = append(w.conds, cond), append(w.args, args...)
}

// String is the conditions joined by AND; "1 = 1" when there are none.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(w.conds, " AND ")
}

// timeRange selects rows whose col is in [from, to); a zero end is open.
func (s *Store) timeRange(w *where, col string, from, to time.Time) {
	if !from.IsZero() {
		w.add(col+" >= ?", s.d.timeArg(from))
	}
	if !to.IsZero() {
		w.add(col+" < ?", s.d.timeArg(to))
	}
}
