package bot

// Address is where a message goes: a person's identity, or a channel (a group
// chat) on a platform when Channel is set.
type Address struct {
	Identity
	Channel string
}

// IsChannel reports whether the address is a channel rather than a person.
func (a Address) IsChannel() bool { return a.Channel != "" }

// MessageRef is the platform's handle on a message it delivered, opaque to
// everything but the adapter that made it.
type MessageRef string

// Message is what perfbot says. Every string in it is plain text: adapters
// escape it for their platform's markup.
type Message struct {
	To      Address
	Title   string
	Text    string
	Fields  []Field
	Buttons []Button
	// Replace, when set, asks the adapter to replace that earlier message
	// (an Updater); adapters that cannot, send Message as a new one.
	Replace MessageRef
	// Form, when set, is shown by a FormOpener in reply to the event being
	// handled, instead of sending the message.
	Form *Form
	// Sent is how many of the parts an adapter shows this message in
	// (WeCom: the text that does not fit a card, then the card) an
	// earlier attempt delivered, as its PartialError said: the adapter
	// sends the rest, so a retry repeats none of them.
	Sent int
}

// Field is a labelled value, such as one answer of a check-in.
type Field struct {
	Label string
	Value string
}

// ButtonStyle hints how prominent a button is.
type ButtonStyle string

// Button styles.
const (
	StyleDefault ButtonStyle = ""
	StylePrimary ButtonStyle = "primary"
	StyleDanger  ButtonStyle = "danger"
)

// Button is a choice the person can tap. Value comes back in Event.Action.
type Button struct {
	Label string
	Value string
	Style ButtonStyle
}
