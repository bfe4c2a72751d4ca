package slack_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/adaptertest"
	"github.com/perfbot/perfbot/bot/bottest"
	"github.com/perfbot/perfbot/internal/enginetest"
)

func TestConformance(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Harness {
		fake := newFakeSlack(t)
		clock := &fakeTime{now: enginetest.Start}
		ad, _ := sender(t, fake, clock, nil)
		rec := &bottest.Recorder{}
		return &conformance{wire: newWire(t, fake, ad, rec, clock.Now), rec: rec}
	})
}

// conformance is the Slack adapter on the fake, for bot/adaptertest.
type conformance struct {
	*wire
	rec *bottest.Recorder
}

const conformanceUser = "UCONF"

func (c *conformance) Adapter() bot.Adapter { return c.ad }

func (c *conformance) To() bot.Address { return bot.Address{Identity: user(conformanceUser)} }

func (c *conformance) Shown(t *testing.T) []adaptertest.Shown {
	var out []adaptertest.Shown
	for _, p := range c.fake.messages("D" + conformanceUser) {
		out = append(out, rendered(t, p))
	}
	return out
}

func (c *conformance) Click(t *testing.T, m adaptertest.Shown, label string) bot.Event {
	for _, p := range c.fake.messages("D" + conformanceUser) {
		if bot.MessageRef(p.Channel+"/"+p.TS) == m.Ref {
			return c.handedOn(t, func() { c.clickOn(conformanceUser, p, p.button(t, label)) })[0]
		}
	}
	t.Fatalf("no message %s", m.Ref)
	return bot.Event{}
}

// handedOn runs deliver and returns the events the adapter handed on.
func (c *conformance) handedOn(t *testing.T, deliver func()) []bot.Event {
	before := len(c.rec.Events())
	deliver()
	evs := c.rec.Events()[before:]
	require.NotEmpty(t, evs, "nothing was handed on")
	return evs
}

// slackEscape is how Slack delivers typed text: &, < and > as entities.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func (c *conformance) Redeliver(t *testing.T, text string) []bot.Event {
	id := fmt.Sprintf("EvCONF%d", c.seq)
	return c.handedOn(t, func() {
		c.say(conformanceUser, slackEscape.Replace(text), id, 0)
		c.say(conformanceUser, slackEscape.Replace(text), id, 1)
	})
}

func (c *conformance) Refuse(t *testing.T, r adaptertest.Refusal) bool {
	switch r {
	case adaptertest.RateLimited:
		c.fake.refuse("chat.postMessage", 1<<20)
	case adaptertest.Outage:
		c.fake.outage("chat.postMessage", 1<<20)
	case adaptertest.InvalidUser:
		c.fake.mu.Lock()
		c.fake.gone[conformanceUser] = true
		c.fake.mu.Unlock()
	case adaptertest.BadCredentials:
		c.fake.fail("chat.postMessage", "invalid_auth")
	}
	return true
}

func (c *conformance) Stale(t *testing.T) bot.MessageRef {
	return bot.MessageRef("D" + conformanceUser + "/1795766399.000001") // deleted, or never was
}

func (c *conformance) Forms(t *testing.T) int { return len(c.fake.opened()) }

func (c *conformance) Mentions() []string {
	return []string{"<@U0LEAD>", "<@U0LEAD|lead>", "<!subteam^S0TEAM>", "<#C0GENERAL>", "<!everyone>", "@here", "<https://evil.example|click me>"}
}

func (c *conformance) Replaces() bool { return true }

// textObject is a Block Kit text object.
type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

var (
	// ownBold is the adapter's bold label over a field's value.
	ownBold = regexp.MustCompile(`^\*([^*\n]*)\*\n`)
	// controls are Slack's links, mentions and commands.
	controls = regexp.MustCompile(`<[^>]*>`)
	// marks format mrkdwn: bold, italics, strike-through, code, quotes.
	marks      = regexp.MustCompile("[*_~`]|(?m)^(&gt;|>)")
	unentity   = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	blockTypes = map[string]bool{"header": true, "section": true, "actions": true}
)

// rendered is p as Slack shows it: plain_text as is, mrkdwn with its
// escapes resolved and its controls and marks live. The notification text
// is not read in the chat, but a control in it would still ping.
func rendered(t *testing.T, p post) adaptertest.Shown {
	t.Helper()
	var blocks []struct {
		Type     string       `json:"type"`
		Text     *textObject  `json:"text"`
		Fields   []textObject `json:"fields"`
		Elements []struct {
			Type string     `json:"type"`
			Text textObject `json:"text"`
		} `json:"elements"`
	}
	require.NoError(t, json.Unmarshal([]byte(p.Blocks), &blocks))
	s := adaptertest.Shown{Ref: bot.MessageRef(p.Channel + "/" + p.TS), Live: controls.FindAllString(p.Text, -1)}
	var text []string
	show := func(o textObject) {
		if o.Type == "plain_text" {
			text = append(text, o.Text)
			return
		}
		m := ownBold.ReplaceAllString(o.Text, "$1\n")
		s.Live = append(s.Live, controls.FindAllString(m, -1)...)
		s.Live = append(s.Live, marks.FindAllString(m, -1)...)
		text = append(text, unentity.Replace(m))
	}
	for _, b := range blocks {
		require.True(t, blockTypes[b.Type], "a block perfbot does not send: %s", b.Type)
		if b.Text != nil {
			show(*b.Text)
		}
		for _, f := range b.Fields {
			show(f)
		}
		for _, e := range b.Elements {
			s.Buttons = append(s.Buttons, e.Text.Text)
			show(e.Text)
		}
	}
	s.Text = strings.Join(text, "\n")
	return s
}
