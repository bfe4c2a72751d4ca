package dingtalk

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

func TestSendButtonsAsInteractiveCard(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	fake.rateLimit = 1
	ref, err := a.Send(context.Background(), bot.Message{
		To: to("u1"), Title: "Week 48 @all", Text: "*How* was it?", Fields: []bot.Field{{Label: "Mood", Value: "<4>"}},
		Buttons: []bot.Button{
			{Label: "Start", Value: "start:12:3", Style: bot.StylePrimary},
			{Label: "Skip [x]", Value: "skip:12:3", Style: bot.StyleDanger},
			{Label: "中文", Value: "中文:1"},
		},
	})
	require.NoError(t, err)
	ms := fake.messages("u1")
	require.Len(t, ms, 1, "sent once, after a rate-limited attempt, with the same cardBizId")
	m := ms[0]
	require.Equal(t, cardSendPath, m.Path)
	require.Equal(t, bot.MessageRef(m.CardID), ref, "the ref is the cardBizId")
	require.True(t, strings.HasPrefix(m.CardID, cardRefPrefix))
	require.LessOrEqual(t, len(m.CardID), 64)

	want := `{"config":{"autoLayout":true,"enableForward":false},` +
		`"header":{"title":{"type":"text","text":"Week 48 @` + "\u2060" + `all"}},` +
		`"contents":[{"type":"markdown","text":"\\*How\\* was it?\n\n**Mood**  \n\\<4\\>","id":"pb_text"},` +
		`{"type":"action","actions":[` +
		`{"type":"button","label":{"type":"text","text":"Start","id":"pb_73746172743a31323a33_label"},"actionType":"request","status":"primary","id":"pb_73746172743a31323a33"},` +
		`{"type":"button","label":{"type":"text","text":"Skip [x]","id":"pb_736b69703a31323a33_label"},"actionType":"request","status":"warning","id":"pb_736b69703a31323a33"},` +
		`{"type":"button","label":{"type":"text","text":"中文","id":"pb_e4b8ade696873a31_label"},"actionType":"request","status":"normal","id":"pb_e4b8ade696873a31"}` +
		`],"id":"pb_actions"}]}`
	require.JSONEq(t, want, renderCard(bot.Message{
		Title: "Week 48 @all", Text: "*How* was it?", Fields: []bot.Field{{Label: "Mood", Value: "<4>"}},
		Buttons: []bot.Button{
			{Label: "Start", Value: "start:12:3", Style: bot.StylePrimary},
			{Label: "Skip [x]", Value: "skip:12:3", Style: bot.StyleDanger},
			{Label: "中文", Value: "中文:1"},
		},
	}))
	require.Equal(t, map[string]string{"Start": buttonID("start:12:3"), "Skip [x]": buttonID("skip:12:3"), "中文": buttonID("中文:1")}, m.Card.buttons())

	fake.invalid = []string{"gone"}
	_, err = a.Send(context.Background(), bot.Message{To: to("gone"), Text: "x", Buttons: []bot.Button{{Label: "A", Value: "a"}}})
	var ae *APIError
	require.ErrorAs(t, err, &ae, "a refused card is an error with DingTalk's code")
	require.Equal(t, "param.invalid", ae.Code)
}

func TestSendBatchWithButtonsIsOneCardEach(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	res, err := a.SendBatch(context.Background(), []string{"u2", "u1", "u2"}, bot.Message{Text: "review", Buttons: []bot.Button{{Label: "OK", Value: "ok:1"}}})
	require.NoError(t, err)
	require.Len(t, res.Refs, 2)
	require.NotEqual(t, res.Refs[0], res.Refs[1], "each card has its own id")
	for _, u := range []string{"u1", "u2"} {
		require.Len(t, fake.messages(u), 1, u)
	}
}

func TestCardCallbackBecomesAction(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	rec := &recorder{}
	c := newChat(t, a, rec)
	ref, err := a.Send(context.Background(), bot.Message{To: to("emp01"), Text: "go?", Buttons: []bot.Button{{Label: "Go", Value: "start:7:1"}}})
	require.NoError(t, err)
	id := fake.messages("emp01")[0].Card.buttons()["Go"]

	c.tap(c.cardFrame(string(ref), "emp01", id))
	evs := rec.Events()
	require.Len(t, evs, 1)
	ev := evs[0]
	require.Equal(t, bot.KindAction, ev.Kind)
	require.Equal(t, "start:7:1", ev.Action)
	require.Equal(t, ref, ev.Ref)
	require.Equal(t, a.identity("emp01"), ev.From)
	require.Equal(t, "card:"+string(ref)+":start:7:1:emp01", ev.ID)

	// Redelivered (a new frame, the same click): the same event id, which the
	// engine dedupes.
	c.tap(c.cardFrame(string(ref), "emp01", id))
	require.Equal(t, ev.ID, rec.Events()[1].ID)

	// What is not a click on a perfbot card is acknowledged and dropped.
	other := c.cardFrame(string(ref), "emp01", id)
	other.Data = strings.Replace(other.Data, testCorp, "dingother", 1)
	for _, df := range []*payload.DataFrame{
		c.cardFrame("someone-elses-card", "emp01", id),
		c.cardFrame(string(ref), "emp01", "button_1646816888257"),
		c.cardFrame(string(ref), "", id),
		other,
	} {
		c.tap(df)
	}
	require.Len(t, rec.Events(), 2)
}

func TestUpdateReplacesCard(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	ctx := context.Background()
	ref, err := a.Send(ctx, bot.Message{To: to("u1"), Title: "Mood", Text: "How was it?", Buttons: []bot.Button{{Label: "4 🙂", Value: "mood:1:2:4"}}})
	require.NoError(t, err)

	require.NoError(t, a.Update(ctx, ref, bot.Message{To: to("u1"), Title: "Mood", Text: "How was it?\n\nChoice: 4 🙂 <b>"}))
	now, updates := fake.card(string(ref))
	require.Equal(t, 1, updates)
	require.Empty(t, now.buttons())
	require.Equal(t, "How was it?  \n  \nChoice: 4 🙂 \\<b\\>", now.text(), "escaped like everything else")
	require.Len(t, fake.messages("u1"), 1, "updated in place, nothing new sent")

	fake.rateLimit = 2
	require.NoError(t, a.Update(ctx, ref, bot.Message{To: to("u1"), Text: "again"}), "rate-limited updates are retried")
	require.Error(t, a.Update(ctx, "pbcardunknown", bot.Message{To: to("u1"), Text: "x"}))
}

func TestDuplicateCardClickHandledOnce(t *testing.T) {
	fake := newFake(t)
	f := enginetest.New(t, enginetest.Embedded)
	a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	f.Engine.Register(a)
	emp := f.Add("Li Lei", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, a.identity("emp01"))
	c := newChat(t, a, f.Engine)
	_, err := f.Engine.Open(context.Background(), emp.ID, "2026-W48")
	require.NoError(t, err)
	card := fake.messages("emp01")[0]
	frame := c.cardFrame(card.CardID, "emp01", card.Card.buttons()["Start"])

	c.tap(frame)
	sent := len(fake.messages("emp01"))
	_, updates := fake.card(card.CardID)
	require.Equal(t, 1, updates)
	c.tap(frame) // DingTalk redelivers, or another replica got it too
	c.tap(c.cardFrame(card.CardID, "emp01", card.Card.buttons()["Start"]))
	require.Len(t, fake.messages("emp01"), sent, "the duplicates are not answered again")
	_, updates = fake.card(card.CardID)
	require.Equal(t, 1, updates, "nor is the card updated again")
	require.Equal(t, store.StatusInProgress, f.Round(emp.ID, "2026-W48").Status)
}

// The card callback's answer is what the SDK sends back on the stream: a
// success whose data is the (empty) card response.
func TestCardCallbackAck(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	c := newChat(t, a, &recorder{})
	resp, err := c.cards(context.Background(), c.cardFrame("pbcardx", "emp01", buttonID("v")))
	require.NoError(t, err)
	require.Equal(t, payload.DataFrameResponseStatusCodeKOK, resp.Code)
	var body map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(resp.Data), &body))
	require.Contains(t, body, "response")
}
