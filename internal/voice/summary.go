package voice

import (
	"context"
	"fmt"
)

// Kind is what a voice note is summarised as.
type Kind string

const (
	// CheckIn is a weekly check-in: done, blockers, next.
	CheckIn Kind = "checkin"
	// ThreeByThree is a 3x3 note: a win, something to improve, a request
	// for support.
	ThreeByThree Kind = "3x3"
)

// Keys are the JSON keys, and the order, of the sections of a kind.
func (k Kind) Keys() []string {
	switch k {
	case CheckIn:
		return []string{"done", "blockers", "next"}
	case ThreeByThree:
		return []string{"win", "improve", "support"}
	}
	return nil
}

func (k Kind) valid() error {
	if k.Keys() == nil {
		return fmt.Errorf("voice: unknown kind %q", string(k))
	}
	return nil
}

// Summary is a transcript structured into the answers of its Kind: Done,
// Blockers and Next for a check-in, Win, Improve and Support for a 3x3 note.
// A section nobody spoke about is empty.
type Summary struct {
	Kind     Kind
	Done     string
	Blockers string
	Next     string
	Win      string
	Improve  string
	Support  string
}

// Get returns the section with the JSON key key ("done", "win", ...).
func (s *Summary) Get(key string) string {
	if p := s.field(key); p != nil {
		return *p
	}
	return ""
}

func (s *Summary) set(key, value string) {
	if p := s.field(key); p != nil {
		*p = value
	}
}

func (s *Summary) field(key string) *string {
	switch key {
	case "done":
		return &s.Done
	case "blockers":
		return &s.Blockers
	case "next":
		return &s.Next
	case "win":
		return &s.Win
	case "improve":
		return &s.Improve
	case "support":
		return &s.Support
	}
	return nil
}

// empty is true when no section of the summary's kind has text.
func (s *Summary) empty() bool {
	for _, k := range s.Kind.Keys() {
		if s.Get(k) != "" {
			return false
		}
	}
	return true
}

// Summariser structures a transcript.
type Summariser interface {
	Name() string
	Summarise(ctx context.Context, t Transcript, kind Kind) (Summary, error)
}
