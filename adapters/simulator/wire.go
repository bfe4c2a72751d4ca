package simulator

import (
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
	Failed       bool           `json:"failed,omitempty"`
	At           time.Time      `json:"at"`
	Seq          uint64         `json:"seq"`
	Version      uint64         `json:"version"`
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
