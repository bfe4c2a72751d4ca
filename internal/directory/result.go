package directory

import "fmt"

// Result says what a sync did.
type Result struct {
	Created   int
	Updated   int
	Unchanged int
	// Skipped counts inactive members.
	Skipped int
	// Unplaced lists the members the sync could not place safely.
	Unplaced []Unplaced
	// Cycles lists the user ids of members whose manager was not set because
	// it would have closed a management loop.
	Cycles []string
	// AccountsTaken lists the tool accounts the platform gave a member that
	// another person in perfbot has already; they were not moved.
	AccountsTaken []string
}

// Unplaced is a member the sync left out, and why.
type Unplaced struct {
	UserID string
	Reason Reason
}

// Reason says why a member was not placed.
type Reason string

// The reasons a member is not placed.
const (
	// NoEmail: Options.RequireEmail is set, the member has no email and
	// nobody has their identity.
	NoEmail Reason = "no email, and nobody has their identity"
	// IdentityTaken: the member's email is one person's, their identity
	// another's. Merging them would be a guess.
	IdentityTaken Reason = "their identity belongs to another person than their email"
	// SamePerson: an earlier member of this sync matched the same person.
	SamePerson Reason = "an earlier member matched the same person"
)

// Problems describes, a line each, the members the sync left out and the
// managers it did not set, for the person who ran it to fix on the platform
// or in perfbot.
func (r Result) Problems() []string {
	var lines []string
	for _, u := range r.Unplaced {
		lines = append(lines, fmt.Sprintf("skipped %s: %s", u.UserID, u.Reason))
	}
	for _, a := range r.AccountsTaken {
		lines = append(lines, "account not set: "+a+" belongs to another person in perfbot")
	}
	for _, uid := range r.Cycles {
		lines = append(lines, fmt.Sprintf("manager of %s not set: it would make a management loop", uid))
	}
	return lines
}
