package dingtalk

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/adaptertest"
)

func TestConformance(t *testing.T) {
	for _, buttons := range []Buttons{ButtonsCard, ButtonsActionCard} {
		t.Run(string(buttons), func(t *testing.T) {
			adaptertest.Run(t, func(t *testing.T) adaptertest.Harness {
				f := newFake(t)
				cfg := f.config()
				cfg.Buttons = buttons
				a := f.adapter(cfg, nil, nil)
				rec := &recorder{}
				return &conformance{f: f, a: a, chat: newChat(t, a, rec), rec: rec, cards: buttons == ButtonsCard}
			})
		})
	}
}

// conformance is the DingTalk adapter on the fake, for bot/adaptertest.
type conformance struct {
	f     *fakeDingTalk
	a     *Adapter
	chat  *chat
	rec   *recorder
	cards bool // buttons are interactive cards, which can be updated
}

const conformanceUser = "staff042"

func (c *conformance) Adapter() bot.Adapter { return c.a }

func (c *conformance) To() bot.Address { return to(conformanceUser) }

func (c *conformance) Shown(t *testing.T) []adaptertest.Shown {
	var out []adaptertest.Shown
	for i, s := range c.f.messages(conformanceUser) {
		out = append(out, c.rendered(i, s))
	}
	return out
}

// rendered is the i-th message as DingTalk shows it: plain texts as they
// are (a card's header and buttons, a robot message's title and button
// titles), markdown rendered; a card as it was last updated.
func (c *conformance) rendered(i int, s sent) adaptertest.Shown {
	out := adaptertest.Shown{Ref: bot.MessageRef(fmt.Sprint("sent-", i))}
	var texts []string
	markdown := func(md string) {
		text, live := renderMarkdown(md)
		texts = append(texts, text)
		out.Live = append(out.Live, live...)
	}
	button := func(label string) {
		out.Buttons = append(out.Buttons, label)
		texts = append(texts, label)
	}
	if s.Card != nil {
		out.Ref = bot.MessageRef(s.CardID)
		card, _ := c.f.card(s.CardID)
		texts = append(texts, card.Header.Title.Text)
		for _, x := range card.Contents {
			if x.Type == "markdown" {
				markdown(x.Text)
			}
			for _, b := range x.Actions {
				button(b.Label.Text)
			}
		}
	} else {
		texts = append(texts, s.Param["title"])
		markdown(s.Param["text"])
		if t, ok := s.Param["singleTitle"]; ok {
			button(t)
		}
		for n := 1; n <= maxCardButtons; n++ {
			if t, ok := s.Param[fmt.Sprintf("actionTitle%d", n)]; ok {
				button(t)
			}
		}
	}
	out.Text = strings.Join(texts, "\n")
	return out
}

var (
	// ownLabel is the adapter's bold label over a field's value.
	ownLabel = regexp.MustCompile(`^\*\*(.*)\*\*$`)
	listItem = regexp.MustCompile(`^\s*([-+*=]|\d+\.)(\s|$)`)
	entity   = regexp.MustCompile(`^&(#?[A-Za-z0-9]+);`)
)

// markdownMarks are what DingTalk's markdown acts on within a line.
const markdownMarks = "\\`*_[]<>#|~!"

// renderMarkdown is md as DingTalk shows it, and the markup in it beyond
// the adapter's own heading, bold labels and line breaks: a backslash
// escape shows the character, anything else special is live.
func renderMarkdown(md string) (string, []string) {
	var (
		lines []string
		live  []string
	)
	for _, line := range strings.Split(md, "\n") {
		line = strings.TrimSuffix(line, "  ") // a line break
		if h, ok := strings.CutPrefix(line, "#### "); ok {
			line = h
		} else if m := ownLabel.FindStringSubmatch(line); m != nil {
			line = m[1]
		}
		if listItem.MatchString(line) {
			live = append(live, "list item: "+line)
		}
		var b strings.Builder
		for i := 0; i < len(line); i++ {
			ch := line[i]
			switch {
			case ch == '\\' && i+1 < len(line) && strings.IndexByte(markdownMarks+"&-+=.()", line[i+1]) >= 0:
				i++
				ch = line[i]
			case strings.IndexByte(markdownMarks, ch) >= 0:
				live = append(live, string(ch))
			case ch == '&' && entity.MatchString(line[i:]):
				live = append(live, entity.FindString(line[i:]))
			}
			b.WriteByte(ch)
		}
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n"), live
}

func (c *conformance) find(t *testing.T, ref bot.MessageRef) sent {
	t.Helper()
	for i, s := range c.f.messages(conformanceUser) {
		if bot.MessageRef(s.CardID) == ref || bot.MessageRef(fmt.Sprint("sent-", i)) == ref {
			return s
		}
	}
	t.Fatalf("no message %s", ref)
	return sent{}
}

func (c *conformance) Click(t *testing.T, m adaptertest.Shown, label string) bot.Event {
	s := c.find(t, m.Ref)
	return c.handedOn(t, func() { c.chat.click(conformanceUser, s, label) })[0]
}

// handedOn runs deliver and returns the events the adapter handed on.
func (c *conformance) handedOn(t *testing.T, deliver func()) []bot.Event {
	before := len(c.rec.Events())
	deliver()
	evs := c.rec.Events()[before:]
	require.NotEmpty(t, evs, "nothing was handed on")
	return evs
}

func (c *conformance) Redeliver(t *testing.T, text string) []bot.Event {
	m := c.chat.text(conformanceUser, text)
	return c.handedOn(t, func() {
		c.chat.deliver(m)
		c.chat.deliver(m)
	})
}

func (c *conformance) Refuse(t *testing.T, r adaptertest.Refusal) bool {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	switch r {
	case adaptertest.RateLimited:
		c.f.rateLimit = 1000
	case adaptertest.Outage:
		c.f.down = 1000
	case adaptertest.InvalidUser:
		c.f.invalid = append(c.f.invalid, conformanceUser)
	case adaptertest.BadCredentials:
		c.f.refuseAuth = true
	}
	return true
}

// Stale is a robot message's processQueryKey: DingTalk edits only cards.
func (c *conformance) Stale(t *testing.T) bot.MessageRef { return "pqk-gone" }

func (c *conformance) Forms(t *testing.T) int { return 0 }

func (c *conformance) Mentions() []string { return []string{"@staff007", "@13800000000"} }

func (c *conformance) Replaces() bool { return c.cards }
