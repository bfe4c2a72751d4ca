package eventkind

import (
	"fmt"
	"regexp"
)

// Defaults are the kinds of event taken unless configured otherwise. Each
// has a label in every locale under [LabelKey].
func Defaults() []string {
	return []string{
		"deal_won",
		"ticket_resolved",
		"merge_request_merged",
		"incident_resolved",
		"customer_praise",
		"release_shipped",
		"approval_completed",
	}
}

// LabelKey is the i18n message id of kind's label ("Deal won", "赢得订单").
// A configured kind with no label has none: show the kind itself then.
func LabelKey(kind string) string { return "hook.kind." + kind }

// name is the shape of kinds and source names: they end up in i18n keys,
// replay keys and headers, so they stay plain.
var name = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// Check reports whether kind is a usable kind name.
func Check(kind string) error {
	if !name.MatchString(kind) {
		return fmt.Errorf("kind %q must be 1 to 40 lower-case letters, digits, _ or -, starting with a letter", kind)
	}
	return nil
}

// CheckSource reports whether source is a usable source name.
func CheckSource(source string) error {
	if !name.MatchString(source) {
		return fmt.Errorf("source %q must be 1 to 40 lower-case letters, digits, _ or -, starting with a letter", source)
	}
	return nil
}

// ref is the shape of a key result's reference: a kind's, with dots.
var ref = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,39}$`)

// CheckRef reports whether r is a usable key result reference: the name a
// hook rule moves a key result by ("resolve-tickets").
func CheckRef(r string) error {
	if !ref.MatchString(r) {
		return fmt.Errorf("key result reference %q must be 1 to 40 lower-case letters, digits, _, - or ., starting with a letter", r)
	}
	return nil
}

// MinSecret is the shortest secret taken: a guessable one would let anyone
// prompt managers in a colleague's name.
const MinSecret = 16
