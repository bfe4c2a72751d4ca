package orgfile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/period"
)

// ErrInvalidRange is wrapped by every error of [PeriodRange], so a caller can
// tell a mistyped date (the user's to fix) from a failure of its own.
var ErrInvalidRange = errors.New("invalid date range")

// PeriodRange turns the bounds of an export, as a person types them, into the
// inclusive period bounds of [store.RoundFilter]. Each bound is a date
// ("2026-11-01"), an ISO week ("2026-W44") or empty for no bound; a date
// stands for the week containing it.
func PeriodRange(from, to string) (fromPeriod, toPeriod string, err error) {
	if fromPeriod, err = periodOf(from); err != nil {
		return "", "", fmt.Errorf("from: %w", err)
	}
	if toPeriod, err = periodOf(to); err != nil {
		return "", "", fmt.Errorf("to: %w", err)
	}
	// Periods are zero-padded, so they order as strings.
	if fromPeriod != "" && toPeriod != "" && fromPeriod > toPeriod {
		return "", "", fmt.Errorf("%w: %s (%s) is after %s (%s)", ErrInvalidRange, from, fromPeriod, to, toPeriod)
	}
	return fromPeriod, toPeriod, nil
}

// periodOf reads one bound of PeriodRange.
func periodOf(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if year, week, ok := strings.Cut(strings.ToUpper(s), "-W"); ok {
		return isoWeek(year, week)
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", fmt.Errorf("%w: %q is neither a date like 2026-11-01 nor a week like 2026-W44", ErrInvalidRange, s)
	}
	return period.Of(d, d.Location()), nil
}

// isoWeek validates a week typed as year and week number, and formats it the
// way Period does (so "2026-w4" becomes "2026-W04").
func isoWeek(year, week string) (string, error) {
	y, errY := strconv.Atoi(year)
	w, errW := strconv.Atoi(week)
	p := fmt.Sprintf("%04d-W%02d", y, w)
	if errY != nil || errW != nil || len(year) != 4 || !period.Valid(p) {
		return "", fmt.Errorf("%w: %q is not an ISO week", ErrInvalidRange, year+"-W"+week)
	}
	return p, nil
}
