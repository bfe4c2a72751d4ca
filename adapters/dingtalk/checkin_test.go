package dingtalk

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// chat drives a stream-mode adapter the way the SDK does: it calls the
// registered robot handler with the payload type the SDK decodes, and feeds
// card callbacks as stream frames through the SDK's own card frame handler.
type chat struct {
	t       *testing.T
	a       *Adapter
	handler chatbot.IChatBotMessageHandler
	cards   func(context.Context, *payload.DataFrame) (*payload.DataFrameResponse, error)
	seq     atomic.Int64
}

func newChat(t *testing.T, a *Adapter, h bot.Handler) *chat {
	return &chat{t: t, a: a, handler: a.onBotMessage(h), cards: card.NewDefaultPluginFrameHandler(a.onCardCallback(h)).OnEventReceived}
}

// cardFrame is the stream frame DingTalk sends when staffID taps the button
// with id buttonID on card cardID (the event-callback-card payload: content
// is a JSON string holding cardPrivateData).
func (c *chat) cardFrame(cardID, staffID, buttonID string) *payload.DataFrame {
	content, err := json.Marshal(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{buttonID}, "params": map[string]any{}}})
	require.NoError(c.t, err)
	data, err := json.Marshal(map[string]any{
		"content": string(content), "corpId": testCorp, "outTrackId": cardID, "type": "actionCallback",
		"userId": staffID, "userIdType": 1, "spaceType": "IM", "spaceId": "cid-" + staffID, "extension": "{}",
	})
	require.NoError(c.t, err)
	return &payload.DataFrame{SpecVersion: "1.0", Type: "CALLBACK", Time: 1795766400000, Data: string(data),
		Headers: payload.DataFrameHeader{"topic": payload.CardInstanceCallbackTopic, "messageId": fmt.Sprintf("frame%d", c.seq.Add(1))}}
}

// tap delivers a card callback frame, checks the SDK acknowledges it with a
// success; the handler has the click by then.
func (c *chat) tap(df *payload.DataFrame) {
	c.t.Helper()
	resp, err := c.cards(context.Background(), df)
	require.NoError(c.t, err)
	require.Equal(c.t, payload.DataFrameResponseStatusCodeKOK, resp.Code)
}

// deliver hands m to the robot handler, checks it was acknowledged with an
// empty answer; the handler has the message by then.
func (c *chat) deliver(m *chatbot.BotCallbackDataModel) {
	c.t.Helper()
	data, err := c.handler(context.Background(), m)
	require.NoError(c.t, err)
	require.Empty(c.t, data)
}

func (c *chat) text(staffID, text string) *chatbot.BotCallbackDataModel {
	return &chatbot.BotCallbackDataModel{
		MsgId: fmt.Sprintf("msg%d", c.seq.Add(1)), Msgtype: "text", Text: chatbot.BotCallbackDataTextModel{Content: text},
		SenderStaffId: staffID, SenderCorpId: testCorp, ConversationType: "1", ConversationId: "cid-" + staffID,
		ChatbotCorpId: testCorp, CreateAt: 1795766400000,
	}
}

// click does what DingTalk does when the button titled label on message s
// is tapped: a card callback for an interactive card, the click's text for
// an action card.
func (c *chat) click(staffID string, s sent, label string) {
	c.t.Helper()
	token, ok := buttons(c.t, s)[label]
	require.True(c.t, ok, "no button %q on %v %v", label, s.Param, s.Card)
	if s.Card != nil {
		c.tap(c.cardFrame(s.CardID, staffID, token))
		return
	}
	c.deliver(c.text(staffID, token))
}

func TestCheckinEndToEnd(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fake := newFake(t)
			f := enginetest.New(t, b)
			a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
			f.Engine.Register(a)
			mgr := f.Add("Wang Fang", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleManager, a.identity("mgr01"))
			emp := f.Add("Li Lei", bot.LocaleEN, "Asia/Shanghai", mgr.ID, bot.RoleEmployee, a.identity("emp01"))
			c := newChat(t, a, f.Engine)
			ctx := context.Background()

			_, err := f.Engine.Open(ctx, emp.ID, "2026-W48")
			require.NoError(t, err)
			last := func() sent {
				ms := fake.messages("emp01")
				require.NotEmpty(t, ms)
				return ms[len(ms)-1]
			}
			// clickCard taps label on the latest card and checks the card was
			// then updated in place: the choice shown, no buttons left.
			clickCard := func(label string) {
				t.Helper()
				card := last()
				require.Equal(t, cardSendPath, card.Path, "buttons come as an interactive card")
				c.click("emp01", card, label)
				now, updates := fake.card(card.CardID)
				require.Equal(t, 1, updates, "the clicked card %s is updated once", card.CardID)
				require.Empty(t, now.buttons(), "the updated card has no buttons")
				require.Contains(t, now.text(), label, "the updated card shows the choice")
			}
			clickCard("Start")
			for _, answer := range []string{"Shipped *v2* [link](http://x) @all", "None", "Docs"} {
				c.deliver(c.text("emp01", answer))
			}
			clickCard(buttonTitleWith(t, last(), "4 "))
			clickCard("Submit")

			r := f.Round(emp.ID, "2026-W48")
			require.Equal(t, store.StatusSubmitted, r.Status)
			require.Equal(t, 4, r.Mood)
			require.Equal(t, "Shipped *v2* [link](http://x) @all", r.Answer(store.QuestionDone))

			// The manager's summary is a card (it has a review button), user
			// text escaped in its markdown.
			ms := fake.messages("mgr01")
			require.Len(t, ms, 1)
			summary := ms[0]
			require.Equal(t, cardSendPath, summary.Path)
			require.Contains(t, summary.Card.text(), `Shipped \*v2\* \[link\](http://x) @`+"\u2060all")
			require.Contains(t, summary.Card.buttons(), "标记为已阅", "the manager's copy is in Chinese with its review button: %v", summary.Card)
		})
	}
}

// buttonTitleWith finds the title of the button starting with prefix.
func buttonTitleWith(t *testing.T, s sent, prefix string) string {
	t.Helper()
	for title := range buttons(t, s) {
		if strings.HasPrefix(title, prefix) {
			return title
		}
	}
	require.FailNow(t, "no button", "%q in %v", prefix, s.Param)
	return ""
}

func TestDuplicateMessageHandledOnce(t *testing.T) {
	fake := newFake(t)
	f := enginetest.New(t, enginetest.Embedded)
	a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	f.Engine.Register(a)
	f.Add("Li Lei", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, a.identity("emp01"))
	c := newChat(t, a, f.Engine)
	m := c.text("emp01", "help")
	// The same msgId delivered twice, as a retry or a second replica would.
	c.deliver(m)
	first := len(fake.messages("emp01"))
	require.NotZero(t, first)
	c.deliver(m)
	require.Len(t, fake.messages("emp01"), first, "the duplicate is not answered again")
	c.deliver(c.text("emp01", "help"))
	require.Equal(t, 2*first, len(fake.messages("emp01")), "a new msgId is answered, the duplicate was not")
}

func TestGroupMentionAnsweredInGroup(t *testing.T) {
	fake := newFake(t)
	f := enginetest.New(t, enginetest.Embedded)
	a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	f.Engine.Register(a)
	f.Add("Li Lei", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, a.identity("emp01"))
	c := newChat(t, a, f.Engine)
	m := c.text("emp01", "@perfbot checkin")
	m.ConversationType, m.ConversationId, m.IsInAtList = "2", "cidGroup42", true
	c.deliver(m)
	ms := fake.messages("cidGroup42")
	require.Len(t, ms, 1)
	require.Equal(t, "/v1.0/robot/groupMessages/send", ms[0].Path)
	require.Contains(t, ms[0].Param["text"], "direct message")
	require.Empty(t, fake.messages("emp01"))
}
