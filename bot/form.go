package bot

import "context"

// Form asks for several answers at once, where a platform can show one (a
// Slack modal). Conversations offer forms only to platforms whose adapter
// is a FormOpener; elsewhere the same questions are asked one at a time.
type Form struct {
	Title  string
	Submit string // the submit button's label
	Fields []FormField
	// Value comes back as Event.Action when the form is submitted, with
	// the answers in Event.Values by field Key.
	Value string
}

// FormField is one answer a Form asks for.
type FormField struct {
	Key       string
	Label     string
	Hint      string // placeholder text
	Value     string // prefilled answer
	Multiline bool
	Optional  bool
	MaxLength int // in characters; 0 means the platform's own limit
	// Choices, when set, make the field a pick from these (Label shown,
	// Value returned).
	Choices []Choice
}

// Choice is one option of a FormField.
type Choice struct {
	Label string
	Value string
}

// FormOpener is an Adapter that can show a Form. in is the event (a button
// click) the form answers: platforms only open forms in reply to one.
type FormOpener interface {
	OpenForm(ctx context.Context, in Event, f Form) error
}
