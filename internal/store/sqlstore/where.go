package sqlstore

import (
	"database/sql"
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

// only returns the record a query by id found, as a function of the
// operation's name for its errors. None found is ErrNotFound, also when the
// record exists but the viewer may not see it: its existence is not told.
func only[T any](list []T, err error) func(op string) (T, error) {
	return func(op string) (T, error) {
		var zero T
		if err != nil {
			return zero, wrap(op, err)
		}
		if len(list) == 0 {
			return zero, wrap(op, sql.ErrNoRows)
		}
		return list[0], nil
	}
}
