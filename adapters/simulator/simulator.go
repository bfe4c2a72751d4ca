package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Tenant is the workspace every simulated identity belongs to.
const Tenant = "demo"

// DefaultHistory is how many messages a conversation keeps when
// Options.History is not set.
const DefaultHistory = 500

// ErrUnknownMessage is returned by Update for a ref the simulator does not
// hold: it never sent it, the message fell out of the history, or the process
// restarted since. It is a bot.ErrPermanent refusal: it will not pass.
var ErrUnknownMessage = fmt.Errorf("simulator: unknown message (%w)", bot.ErrPermanent)

// Persona is someone you can be in the simulator.
type Persona struct {
	// ID is the UserID of the persona's identity on bot.Simulator.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Title says who they are, e.g. "Manager · Platform team". The page
	// groups people by the part before " · ".
	Title    string `json:"title"`
	Locale   string `json:"locale"`    // bot.LocaleEN or bot.LocaleZH
	TimeZone string `json:"time_zone"` // IANA name, e.g. Asia/Shanghai
}

// Identity returns the persona's identity on the simulator.
func (p Persona) Identity() bot.Identity {
	return bot.Identity{Platform: bot.Simulator, Tenant: Tenant, UserID: p.ID}
}

// Options configures an Adapter. The zero value works: nobody to be, the
// wall clock, no logs, DefaultHistory.
type Options struct {
	// Personas lists the people you can be. It is called on every request
	// that names one, so it may read a live directory.
	Personas func(ctx context.Context) ([]Persona, error)
	Clock    func() time.Time
	Logger   *slog.Logger
	// History is how many messages each conversation keeps; older ones are
	// dropped. Zero means DefaultHistory.
	History int
	// Hosts are the host names, besides loopback ones (localhost,
	// 127.0.0.0/8, ::1), the simulator may be reached by; a request naming
	// any other in its Host header is refused. Compared without case and
	// port.
	Hosts []string
}

// Adapter is the simulator platform. It is safe for concurrent use.
type Adapter struct {
	personas  func(ctx context.Context) ([]Persona, error)
	clock     func() time.Time
	log       *slog.Logger
	board     *board
	heartbeat time.Duration // between keep-alive comments on event streams
	hosts     []string      // lower case: Options.Hosts
}

// New returns an Adapter with no conversations yet.
func New(opts Options) *Adapter {
	a := &Adapter{
		personas:  opts.Personas,
		clock:     opts.Clock,
		log:       opts.Logger,
		heartbeat: 15 * time.Second,
	}
	for _, h := range opts.Hosts {
		a.hosts = append(a.hosts, hostName(h))
	}
	if a.personas == nil {
		a.personas = func(context.Context) ([]Persona, error) { return nil, nil }
	}
	if a.clock == nil {
		a.clock = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	history := opts.History
	if history <= 0 {
		history = DefaultHistory
	}
	a.board = newBoard(history)
	return a
}

// Platform returns bot.Simulator.
func (a *Adapter) Platform() bot.Platform { return bot.Simulator }

// Patient says the simulator waits for each event to be handled before it
// answers (bot.Patient): a person at the simulator sees each reply before
// the next message, and so do the tests that drive it.
func (a *Adapter) Patient() {}

// Send stores msg in the conversation it is addressed to (a person's direct
// conversation, or a channel when msg.To.Channel is set) and shows it to
// every browser watching. When msg.Replace names a message the simulator
// still holds, that message is replaced instead and keeps its ref.
func (a *Adapter) Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("simulator: send: %w", err)
	}
	conv, err := conversationOf(msg.To)
	if err != nil {
		return "", fmt.Errorf("simulator: send: %w", err)
	}
	if msg.Replace != "" {
		if _, ok := a.board.replace(msg.Replace, botContent(msg)); ok {
			return msg.Replace, nil
		}
		// Gone from memory: say it again as a new message, as a platform
		// that cannot edit would.
	}
	e := botContent(msg)
	e.Ref = newRef()
	e.Kind = EntryMessage
	e.At = a.clock()
	e = a.board.add(conv, e)
	a.log.DebugContext(ctx, "simulator: sent", "conversation", conv.ID, "ref", e.Ref)
	return e.Ref, nil
}

// SendImage shows img in the conversation to is (bot.ImageSender), as
// the chat platforms show an uploaded picture.
func (a *Adapter) SendImage(ctx context.Context, to bot.Address, img bot.Image) (bot.MessageRef, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("simulator: send image: %w", err)
	}
	conv, err := conversationOf(to)
	if err != nil {
		return "", fmt.Errorf("simulator: send image: %w", err)
	}
	img.Alt = bot.Neutralize(img.Alt)
	e := a.board.add(conv, Entry{Ref: newRef(), Kind: EntryMessage, At: a.clock(), Image: &img})
	return e.Ref, nil
}

// Update replaces the content of a message sent earlier. It keeps its place
// in the conversation; browsers watching see it change.
func (a *Adapter) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("simulator: update %s: %w", ref, err)
	}
	if _, ok := a.board.replace(ref, botContent(msg)); !ok {
		return fmt.Errorf("simulator: update %s: %w", ref, ErrUnknownMessage)
	}
	return nil
}

// DM returns the messages of a person's direct conversation with perfbot,
// oldest first: what they see, and what they typed.
func (a *Adapter) DM(userID string) []Entry { return a.board.entries(dmID(userID)) }

// Channel returns the messages of a channel, oldest first.
func (a *Adapter) Channel(name string) []Entry { return a.board.entries(channelID(name)) }

// conversationOf maps an address to the conversation it is in.
func conversationOf(to bot.Address) (Conversation, error) {
	if to.Platform != "" && to.Platform != bot.Simulator {
		return Conversation{}, fmt.Errorf("address is on platform %q, not %q", to.Platform, bot.Simulator)
	}
	if to.Tenant != "" && to.Tenant != Tenant {
		return Conversation{}, fmt.Errorf("address is in tenant %q, not %q", to.Tenant, Tenant)
	}
	if to.IsChannel() {
		return Conversation{ID: channelID(to.Channel), Kind: ConversationChannel, Name: to.Channel}, nil
	}
	if to.UserID == "" {
		return Conversation{}, errors.New("address has neither a user nor a channel")
	}
	return Conversation{ID: dmID(to.UserID), Kind: ConversationDM, Name: to.UserID}, nil
}

// botContent is what perfbot said in msg, made safe to repeat to a group the
// way every adapter does it. The page then shows it as plain text.
func botContent(msg bot.Message) Entry {
	e := Entry{
		Title: bot.Neutralize(msg.Title),
		Text:  bot.Neutralize(msg.Text),
	}
	for _, f := range msg.Fields {
		e.Fields = append(e.Fields, bot.Field{Label: bot.Neutralize(f.Label), Value: bot.Neutralize(f.Value)})
	}
	for _, b := range msg.Buttons {
		e.Buttons = append(e.Buttons, bot.Button{Label: bot.Neutralize(b.Label), Value: b.Value, Style: b.Style})
	}
	return e
}
