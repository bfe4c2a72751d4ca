package simulator

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// ConversationKind says whether a conversation is with one person or a group.
type ConversationKind string

// The kinds of conversation.
const (
	ConversationDM      ConversationKind = "dm"
	ConversationChannel ConversationKind = "channel"
)

// Conversation is one chat: a person's direct conversation with perfbot, or a
// channel.
type Conversation struct {
	ID   string // "dm:" + user id, or "channel:" + channel name
	Kind ConversationKind
	Name string // the user id or the channel name
}

func dmID(userID string) string     { return "dm:" + userID }
func channelID(name string) string  { return "channel:" + name }
func isChannelID(id string) bool    { return strings.HasPrefix(id, "channel:") }
func isDMOf(id, userID string) bool { return id == dmID(userID) }

// EntryKind says what an entry in a conversation is.
type EntryKind string

// The kinds of entry.
const (
	// EntryMessage is a message: perfbot's, or text a person typed.
	EntryMessage EntryKind = "message"
	// EntryChoice is a person's click on a button, shown as "› Label".
	EntryChoice EntryKind = "choice"
	// EntryNote is the simulator talking about itself, such as an event
	// delivered a second time.
	EntryNote EntryKind = "note"
	// EntryForm is a form perfbot opened, shown inline as a card the person
	// fills in and submits once.
	EntryForm EntryKind = "form"
)

// Entry is one message in a conversation.
type Entry struct {
	Ref          bot.MessageRef
	Conversation string // the Conversation.ID it is in
	Kind         EntryKind
	// From is the persona who wrote it; empty when perfbot did.
	From    string
	Title   string
	Text    string
	Fields  []bot.Field
	Buttons []bot.Button
	// Image is a picture perfbot sent (bot.ImageSender), shown inline.
	Image *bot.Image
	// Failed is set when the Handler returned an error for the event this
	// entry records.
	Failed bool
	At     time.Time

	// Form is what an EntryForm asks. Once Submitted, Values holds the
	// answers by field key and the form cannot be sent again.
	Form      *bot.Form
	Submitted bool
	Values    map[string]string
	// opener is the message whose click opened the form: a submission
	// refers to it, as a Slack modal's does.
	opener bot.MessageRef

	// seq orders entries across all conversations; version grows on every
	// change. Both come from one counter, so a browser that hears about an
	// entry twice (from a fetch and from the stream) keeps the newer one.
	seq, version uint64
}

// board holds every conversation and the streams watching them. One mutex
// guards it all: messages are small and few, and publishing under the lock
// means every stream sees changes in the order they happened.
type board struct {
	history int

	mu    sync.Mutex
	tick  uint64
	convs map[string]*conversation
	refs  map[bot.MessageRef]*Entry
	subs  map[*subscription]struct{}
}

type conversation struct {
	Conversation
	entries []*Entry // oldest first, at most board.history
}

func newBoard(history int) *board {
	return &board{
		history: history,
		convs:   make(map[string]*conversation),
		refs:    make(map[bot.MessageRef]*Entry),
		subs:    make(map[*subscription]struct{}),
	}
}

// add appends e to conv, creating the conversation on first use, and drops
// the oldest entries beyond the history. e.Ref must be set and unique.
func (b *board) add(conv Conversation, e Entry) Entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.convs[conv.ID]
	if !ok {
		c = &conversation{Conversation: conv}
		b.convs[conv.ID] = c
	}
	b.tick++
	e.Conversation, e.seq, e.version = conv.ID, b.tick, b.tick
	stored := &e
	c.entries = append(c.entries, stored)
	b.refs[e.Ref] = stored
	if over := len(c.entries) - b.history; over > 0 {
		for _, old := range c.entries[:over] {
			delete(b.refs, old.Ref)
		}
		c.entries = slices.Delete(c.entries, 0, over)
	}
	b.publish(e)
	return e
}

// replace swaps the content of the entry ref (title, text, fields, buttons)
// for that of content, in place. It reports false for an unknown ref.
func (b *board) replace(ref bot.MessageRef, content Entry) (Entry, bool) {
	return b.update(ref, func(e *Entry) {
		e.Title, e.Text, e.Fields, e.Buttons = content.Title, content.Text, content.Fields, content.Buttons
	})
}

// update changes the entry ref with fn and tells the streams.
func (b *board) update(ref bot.MessageRef, fn func(*Entry)) (Entry, bool) {
	e, err := b.change(ref, func(e *Entry) error { fn(e); return nil })
	return e, err == nil
}

// errNoEntry is change's answer for a ref the board does not hold.
var errNoEntry = errors.New("no such entry")

// change is update for changes that may be refused: fn looks at the entry
// and changes it, or returns an error and leaves it as it was. Looking and
// changing under one lock is what lets a form be submitted only once.
func (b *board) change(ref bot.MessageRef, fn func(*Entry) error) (Entry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.refs[ref]
	if !ok {
		return Entry{}, errNoEntry
	}
	if err := fn(e); err != nil {
		return *e, err
	}
	b.tick++
	e.version = b.tick
	b.publish(*e)
	return *e, nil
}

// lookup returns the entry ref.
func (b *board) lookup(ref bot.MessageRef) (Entry, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.refs[ref]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// entries returns a copy of a conversation's entries, oldest first. Slices,
// maps and forms inside an entry are shared: they are replaced, never
// changed in place.
func (b *board) entries(convID string) []Entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.convs[convID]
	if !ok {
		return nil
	}
	out := make([]Entry, len(c.entries))
	for i, e := range c.entries {
		out[i] = *e
	}
	return out
}

// channels returns every channel perfbot has written to, by name.
func (b *board) channels() []Conversation {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Conversation
	for _, c := range b.convs {
		if c.Kind == ConversationChannel {
			out = append(out, c.Conversation)
		}
	}
	slices.SortFunc(out, func(x, y Conversation) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// subscription is one event stream's view of the board.
type subscription struct {
	c      chan Entry
	wants  func(convID string) bool
	closed bool
}

// subscriptionBuffer is how far a stream may fall behind before it is cut
// off. The browser reconnects and fetches the conversation again, so
// dropping a slow stream loses nothing, and Send never waits on a browser.
const subscriptionBuffer = 256

// subscribe starts a stream of the entries wants accepts, new and changed.
// The channel is closed if the stream falls too far behind.
func (b *board) subscribe(wants func(convID string) bool) *subscription {
	s := &subscription{c: make(chan Entry, subscriptionBuffer), wants: wants}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs[s] = struct{}{}
	return s
}

// unsubscribe ends s. It is safe to call more than once.
func (b *board) unsubscribe(s *subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drop(s)
}

// publish hands e to every stream that wants it. b.mu must be held.
func (b *board) publish(e Entry) {
	for s := range b.subs {
		if !s.wants(e.Conversation) {
			continue
		}
		select {
		case s.c <- e:
		default:
			b.drop(s)
		}
	}
}

// drop removes s and closes its channel. b.mu must be held.
func (b *board) drop(s *subscription) {
	if s.closed {
		return
	}
	s.closed = true
	delete(b.subs, s)
	close(s.c)
}
