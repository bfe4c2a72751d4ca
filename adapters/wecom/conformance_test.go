package wecom_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/adaptertest"
)

func TestConformance(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Harness {
		fake := newFakeWeCom(t)
		a := newAdapter(t, fake, nil, &sleeps{}, time.Now)
		cb, rec := mount(t, a)
		return &conformance{fake: fake, a: a, cb: cb, rec: rec, clicks: map[string]string{}}
	})
}

// conformance is the WeCom adapter on the fake, for bot/adaptertest.
type conformance struct {
	fake *fakeWeCom
	a    *wecom.Adapter
	cb   *callbacks
	rec  *recorder
	seq  int64
	// clicks maps the response code of each click to the response code
	// of the card clicked, which is the message's ref.
	clicks map[string]string
}

const conformanceUser = "ZhangSan"

func (c *conformance) Adapter() bot.Adapter { return c.a }

func (c *conformance) To() bot.Address { return to(conformanceUser) }

// Shown is what message/send delivered, each card as its updates left it.
func (c *conformance) Shown(t *testing.T) []adaptertest.Shown {
	sends := c.fake.SendsTo(conformanceUser)
	for _, u := range c.fake.Updates() {
		code := u.ResponseCode
		if clicked, ok := c.clicks[code]; ok {
			code = clicked
		}
		for i := range sends {
			if sends[i].ResponseCode == code {
				sends[i].TemplateCard = &u.TemplateCard
			}
		}
	}
	var out []adaptertest.Shown
	for _, s := range sends {
		out = append(out, shown(s))
	}
	return out
}

// shown is s as WeCom shows it: text as it is, with markup live; a card's
// texts the same, its buttons unless a choice replaced them.
func shown(s sent) adaptertest.Shown {
	out := adaptertest.Shown{Ref: bot.MessageRef(s.ResponseCode)}
	var texts []string
	if s.Text != nil {
		texts = append(texts, s.Text.Content)
	}
	if c := s.TemplateCard; c != nil {
		if c.MainTitle != nil {
			texts = append(texts, c.MainTitle.Title)
		}
		texts = append(texts, c.SubTitle)
		for _, f := range c.Fields {
			texts = append(texts, f.KeyName, f.Value)
		}
		if c.ReplaceText != "" {
			texts = append(texts, c.ReplaceText)
		} else {
			for _, b := range c.Buttons {
				out.Buttons = append(out.Buttons, b.Text)
				texts = append(texts, b.Text)
			}
		}
	}
	out.Text = strings.Join(texts, "\n")
	out.Live = wecomMarkup.FindAllString(out.Text, -1)
	return out
}

// wecomMarkup is what WeCom acts on in text: HTML tags (<a href> links),
// entities, and its id translation.
var wecomMarkup = regexp.MustCompile(`<[A-Za-z/!?@]|&[A-Za-z#]|\$(?i:username|departmentname)=`)

func (c *conformance) Click(t *testing.T, m adaptertest.Shown, label string) bot.Event {
	t.Helper()
	for _, s := range c.fake.SendsTo(conformanceUser) {
		if s.ResponseCode == "" || bot.MessageRef(s.ResponseCode) != m.Ref {
			continue
		}
		c.seq++
		code := fmt.Sprintf("click-code-%d", c.seq)
		c.clicks[code] = s.ResponseCode
		return c.delivered(t, clickXML(conformanceUser, 1700000000+c.seq, s.key(t, label), s.TemplateCard.TaskID, code))[0]
	}
	t.Fatalf("no card %s", m.Ref)
	return bot.Event{}
}

// delivered posts each callback as WeCom does and returns the events the
// adapter handed on.
func (c *conformance) delivered(t *testing.T, callbacks ...string) []bot.Event {
	t.Helper()
	before := len(c.rec.Events())
	for _, x := range callbacks {
		require.Equal(t, http.StatusOK, c.cb.post(x))
	}
	require.Eventually(t, func() bool { return len(c.rec.Events()) > before }, 5*time.Second, time.Millisecond)
	return c.rec.Events()[before:]
}

func (c *conformance) Redeliver(t *testing.T, text string) []bot.Event {
	c.seq++
	x := textXML(conformanceUser, c.seq, text)
	return c.delivered(t, x, x)
}

func (c *conformance) Refuse(t *testing.T, r adaptertest.Refusal) bool {
	switch r {
	case adaptertest.RateLimited:
		c.fake.failNext(repeat(45009, 50)...)
	case adaptertest.Outage:
		c.fake.outage(50)
	case adaptertest.InvalidUser:
		c.fake.invalid[conformanceUser] = true
	case adaptertest.BadCredentials:
		c.fake.failNext(40014, 40014) // refused, and refused again after a refresh
	}
	return true
}

func repeat(code, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = code
	}
	return out
}

// Stale is the ref of a text message: WeCom edits only cards.
func (c *conformance) Stale(t *testing.T) bot.MessageRef { return "msgid:msg-1" }

func (c *conformance) Forms(t *testing.T) int { return 0 }

func (c *conformance) Mentions() []string {
	return []string{"<@ZhangSan>", "$userName=LiWei$", "$departmentName=2$", "@LiWei"}
}

func (c *conformance) Replaces() bool { return true }
