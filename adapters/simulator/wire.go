package simulator

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// The JSON the page and the API speak. Entries are converted rather than
// tagged so the Go types stay free of wire concerns, and the page gets
// lower-case keys.

type entryJSON struct {
	Ref          bot.MessageRef `json:"ref"`
	Conversation string         `json:"conversation"`
	Kind         EntryKind      `json:"kind"`
	From         string         `json:"from,omitempty"`
	Title        string         `json:"title,omitempty"`
	Text         string         `json:"text,omitempty"`
	Fields       []fieldJSON    `json:"fields,omitempty"`
	Buttons      []buttonJSON   `json:"buttons,omitempty"`
	// Image is a data: URL of a PNG, which the page's policy allows.
	Image    string    `json:"image,omitempty"`
	ImageAlt string    `json:"image_alt,omitempty"`
	Failed   bool      `json:"failed,omitempty"`
	Form     *formJSON `json:"form,omitempty"`
	At       time.Time `json:"at"`
	Seq      uint64    `json:"seq"`
	Version  uint64    `json:"version"`
}

// formJSON is a form as the page draws it. The form's Value is left out:
// the server sends it with the submission, and the page has no use for it.
type formJSON struct {
	Submit    string            `json:"submit"`
	Fields    []formFieldJSON   `json:"fields"`
	Submitted bool              `json:"submitted,omitempty"`
	Values    map[string]string `json:"values,omitempty"`
}

type formFieldJSON struct {
	Key       string       `json:"key"`
	Label     string       `json:"label"`
	Hint      string       `json:"hint,omitempty"`
	Value     string       `json:"value,omitempty"`
	Multiline bool         `json:"multiline,omitempty"`
	Optional  bool         `json:"optional,omitempty"`
	MaxLength int          `json:"max_length,omitempty"`
	Choices   []choiceJSON `json:"choices,omitempty"`
}

type choiceJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type fieldJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type buttonJSON struct {
	Label string          `json:"label"`
	Value string          `json:"value"`
	Style bot.ButtonStyle `json:"style,omitempty"`
}

type conversationJSON struct {
	ID       string           `json:"id"`
	Kind     ConversationKind `json:"kind"`
	Name     string           `json:"name"`
	Messages []entryJSON      `json:"messages"`
}

type conversationsJSON struct {
	Persona       Persona            `json:"persona"`
	Conversations []conversationJSON `json:"conversations"`
}

type messageRequest struct {
	Text string `json:"text"`
}

type actionRequest struct {
	Ref   bot.MessageRef `json:"ref"`
	Value string         `json:"value"`
}

type formRequest struct {
	Ref    bot.MessageRef    `json:"ref"`
	Values map[string]string `json:"values"`
}

type deliveredJSON struct {
	EventID string `json:"event_id"`
}

type errorJSON struct {
	Error string `json:"error"`
}

func toJSON(e Entry) entryJSON {
	out := entryJSON{
		Ref:          e.Ref,
		Conversation: e.Conversation,
		Kind:         e.Kind,
		From:         e.From,
		Title:        e.Title,
		Text:         e.Text,
		Failed:       e.Failed,
		At:           e.At,
		Seq:          e.seq,
		Version:      e.version,
	}
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, fieldJSON(f))
	}
	for _, b := range e.Buttons {
		out.Buttons = append(out.Buttons, buttonJSON(b))
	}
	if e.Image != nil {
		out.Image = "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.Image.PNG)
		out.ImageAlt = e.Image.Alt
	}
	if e.Form != nil {
		out.Form = formToJSON(*e.Form, e.Submitted, e.Values)
	}
	return out
}

func formToJSON(f bot.Form, submitted bool, values map[string]string) *formJSON {
	out := &formJSON{Submit: f.Submit, Fields: make([]formFieldJSON, 0, len(f.Fields)), Submitted: submitted, Values: values}
	for _, field := range f.Fields {
		fj := formFieldJSON{
			Key: field.Key, Label: field.Label, Hint: field.Hint, Value: field.Value,
			Multiline: field.Multiline, Optional: field.Optional, MaxLength: field.MaxLength,
		}
		for _, c := range field.Choices {
			fj.Choices = append(fj.Choices, choiceJSON(c))
		}
		out.Fields = append(out.Fields, fj)
	}
	return out
}

func conversationToJSON(c Conversation, entries []Entry) conversationJSON {
	out := conversationJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, Messages: make([]entryJSON, 0, len(entries))}
	for _, e := range entries {
		out.Messages = append(out.Messages, toJSON(e))
	}
	return out
}

// conversationByID is the inverse of dmID and channelID.
func conversationByID(id string) Conversation {
	if name, ok := strings.CutPrefix(id, "channel:"); ok {
		return Conversation{ID: id, Kind: ConversationChannel, Name: name}
	}
	return Conversation{ID: id, Kind: ConversationDM, Name: strings.TrimPrefix(id, "dm:")}
}
