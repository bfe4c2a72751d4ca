package orgfile

import (
	"fmt"
	"strings"
	"time"
)

// MonthRange turns the month bounds of an export, as a person types them
// ("2026-11", inclusive, either one empty for no bound), into the half-open
// UTC range [from, to) of the store: from the first instant of the first
// month to the first instant after the last. An empty bound is the zero
// time. Its errors wrap ErrInvalidRange.
func MonthRange(from, to string) (start, end time.Time, err error) {
	if start, err = monthOf(from); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("from: %w", err)
	}
	last, err := monthOf(to)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("to: %w", err)
	}
	if !last.IsZero() {
		end = last.AddDate(0, 1, 0)
	}
	if !start.IsZero() && !last.IsZero() && start.After(last) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: %s is after %s", ErrInvalidRange, from, to)
	}
	return start, end, nil
}

// monthOf reads one bound of MonthRange: the first instant of the month, in
// UTC.
func monthOf(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	m, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is not a month like 2026-11", ErrInvalidRange, s)
	}
	return m, nil
}
