package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// feedbackTo lists what who received, as perfbot sees it.
func (f *fixture) feedbackTo(who string) []store.Feedback {
	f.t.Helper()
	fs, err := f.Store.Feedbacks(context.Background(), store.System, store.FeedbackFilter{RecipientID: f.people[who].ID})
	require.NoError(f.t, err)
	return fs
}

// submitCheckin runs Anna's check-in to the end.
func (f *fixture) submitCheckin() {
	f.t.Helper()
	_, err := f.Engine.Open(context.Background(), f.people["anna"].ID, "")
	require.NoError(f.t, err)
	f.click("anna", "Start")
	for _, a := range []string{"Shipped the importer", "none", "Exporter", "4"} {
		f.say("anna", a)
	}
	f.click("anna", "Submit")
}

func TestManagerPraisesFromSummary(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.submitCheckin()
		f.click("li.wei", "表扬")
		got := f.feedbackTo("anna")
		require.Len(t, got, 1, f.transcript("li.wei"))
		require.Equal(t, store.FeedbackPraise, got[0].Kind)
		require.Equal(t, f.people["li.wei"].ID, got[0].GiverID)
		require.Equal(t, f.round("anna").ID, got[0].RoundID)
		require.Equal(t, 1, got[0].Points)
		require.Equal(t, "🎉 Li Wei praised you", f.last("anna").Title)
		require.Contains(t, f.last("li.wei").Text, "已表扬 Anna。你本月还剩 9 分。")

		f.click("li.wei", "#客户第一")
		f.click("li.wei", "添加留言")
		f.say("li.wei", "Clear risks section, thank you")
		got = f.feedbackTo("anna")
		require.Len(t, got, 1)
		require.Equal(t, "Customer first / 客户第一", got[0].Value)
		require.Equal(t, "Clear risks section, thank you", got[0].Text)
		f.click("anna", "Thanks")
		require.Equal(t, store.ReactionThanks, f.feedbackTo("anna")[0].Reaction)
		require.Contains(t, f.last("li.wei").Text, "Anna 感谢你", f.transcript("li.wei"))
	})
}

func TestKudosAllowanceAndDailyCap(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			cfg := conversations.DefaultFeedbackConfig()
			cfg.Allowance, cfg.DailyCap = 4, 3
			f := newFixture(t, b, func(o *engine.Options) { o.Feedback = &cfg })
			ctx := context.Background()

			f.say("anna", "kudos @anna I was great")
			require.Contains(t, f.last("anna").Text, "can't give kudos to yourself")

			f.say("anna", "kudos @sam @li.wei thanks for the release #teamwork")
			require.Contains(t, f.last("anna").Text, "Praise sent to Sam, Li Wei. Points left this month: 2.", f.transcript("anna"))
			require.Equal(t, "🎉 Anna praised you", f.last("sam").Title)
			require.Equal(t, "🎉 Anna 表扬了你", f.last("li.wei").Title)
			require.Len(t, f.feedbackTo("sam"), 1)
			require.Equal(t, "Teamwork / 团队合作", f.feedbackTo("sam")[0].Value)

			f.say("anna", "kudos @sam again")
			f.say("anna", "kudos @sam and again")
			require.Contains(t, f.last("anna").Text, "at most 3 points a day")
			require.Len(t, f.feedbackTo("sam"), 2)

			f.Clock.Set(enginetest.Start.Add(24 * time.Hour))
			f.say("anna", "kudos @sam @li.wei next day")
			require.Contains(t, f.last("anna").Text, "You have 1 of your 4 points left")
			f.say("anna", "kudos @sam next day")
			require.Len(t, f.feedbackTo("sam"), 3)

			given, err := f.Store.PointsGiven(ctx, f.people["anna"].ID, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			require.Equal(t, 4, given)

			f.say("mei", "表扬榜")
			board := f.last("mei")
			require.Equal(t, "表扬榜 · 2026-11", board.Title, f.transcript("mei"))
			require.Equal(t, "1. Sam", board.Fields[0].Label)
			require.Equal(t, "3 分", board.Fields[0].Value)
			require.Equal(t, "2. Li Wei", board.Fields[1].Label)
		})
	}
}

func TestSBIFeedbackStepByStep(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("anna", "feedback @sam")
		// The simulator shows forms: the form opens at once, and typing
		// goes on in chat all the same.
		form := f.last("anna")
		require.Equal(t, simulator.EntryForm, form.Kind, f.transcript("anna"))
		require.Equal(t, "Feedback for Sam", form.Form.Title)
		f.say("anna", "In Tuesday's sprint review with the payments team")
		f.say("anna", "You never prepare and you are lazy")
		f.say("anna", "ok")
		f.say("anna", "skip")
		review := f.last("anna")
		require.Equal(t, "Your feedback for Sam", review.Title, f.transcript("anna"))
		require.Contains(t, review.Text, `Behavior: "never" judges or generalises`)
		require.Contains(t, review.Text, "Impact is very short")
		f.click("anna", "Edit Behavior")
		f.say("anna", "You started the demo without the test data we had agreed on")
		f.click("anna", "Edit Impact")
		f.say("anna", "The client saw two errors and asked for a second session")
		require.Contains(t, f.last("anna").Text, "Looks specific and actionable", f.transcript("anna"))
		f.click("anna", "Send")

		got := f.feedbackTo("sam")
		require.Len(t, got, 1)
		require.Equal(t, store.FeedbackSBI, got[0].Kind)
		require.Equal(t, "You started the demo without the test data we had agreed on", got[0].Behavior)
		require.False(t, got[0].Public)
		require.Equal(t, "Feedback from Anna", f.last("sam").Title)

		f.click("sam", "Let's talk")
		require.Equal(t, store.ReactionTalk, f.feedbackTo("sam")[0].Reaction)
		require.Contains(t, f.last("anna").Text, "Sam would like to talk about the feedback you gave on 2026-11-27")
	})
}

// A person who may not see feedback cannot act on its buttons; one who may
// see it but did not receive it cannot answer it either.
func TestOthersCannotReactToFeedback(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("li.wei", "反馈 @anna") // the form opens; typing goes on in chat
		for _, a := range []string{"周三的客户演示会上", "你在客户提问时打断了对方两次", "客户后来说感觉没有被倾听，续约推迟了一周", "跳过"} {
			f.say("li.wei", a)
		}
		f.click("li.wei", "发送")
		require.Len(t, f.feedbackTo("anna"), 1, f.transcript("li.wei"))
		thanks := f.last("anna").Buttons[0].Value

		// Past the seal on the button, which is Anna's alone.
		as := func(who string) string { return f.Reseal(thanks, f.identity("anna"), f.identity(who)) }
		require.NoError(t, f.Engine.Handle(context.Background(), f.event("sam", bot.Event{Kind: bot.KindAction, Action: as("sam")})))
		require.Contains(t, f.last("sam").Text, "can't find that feedback")
		require.NoError(t, f.Engine.Handle(context.Background(), f.event("mei", bot.Event{Kind: bot.KindAction, Action: as("mei")})))
		require.Contains(t, f.last("mei").Text, "只有收到这条反馈的人可以回应")
		require.Equal(t, store.ReactionNone, f.feedbackTo("anna")[0].Reaction)
	})
}

func TestFeedbackRequestRemindEscalateAnswer(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.say("anna", "ask feedback @li.wei about my design review")
		require.Contains(t, f.last("anna").Text, "I've asked Li Wei for feedback")
		require.Equal(t, "Anna 请你给反馈", f.last("li.wei").Title)
		reqs, err := f.Store.FeedbackRequests(ctx, store.System, store.RequestFilter{AskedID: f.people["li.wei"].ID})
		require.NoError(t, err)
		require.Len(t, reqs, 1)
		id := reqs[0].ID

		require.NoError(t, f.Engine.RemindRequest(ctx, id))
		require.Equal(t, "提醒：Anna 在等你的反馈", f.last("li.wei").Title)
		require.NoError(t, f.Engine.EscalateRequest(ctx, id))
		require.Contains(t, f.last("mei").Text, "Anna 在 2026-11-27 请 Li Wei")

		f.click("li.wei", "给出反馈") // from the reminder; the form opens, typing goes on in chat
		for _, a := range []string{"周二的设计评审会上", "你先用两分钟讲清了目标，再逐个回答了三个架构问题", "评审一次通过，团队节省了一轮返工", "跳过"} {
			f.say("li.wei", a)
		}
		f.click("li.wei", "发送")
		r, err := f.Store.FeedbackRequest(ctx, store.System, id)
		require.NoError(t, err)
		require.False(t, r.Open(), f.transcript("li.wei"))
		got := f.feedbackTo("anna")
		require.Len(t, got, 1)
		require.Equal(t, got[0].ID, r.FeedbackID)
		require.Equal(t, id, got[0].RequestID)

		before := len(f.sim.DM("li.wei"))
		require.NoError(t, f.Engine.RemindRequest(ctx, id))
		require.Len(t, f.sim.DM("li.wei"), before, "an answered request is not reminded")
	})
}

func TestAskManagerFromCheckin(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.submitCheckin()
		f.click("anna", "Ask my manager for feedback")
		require.Equal(t, "Anna 请你给反馈", f.last("li.wei").Title, f.transcript("li.wei"))
		require.Contains(t, f.last("li.wei").Text, "我 2026-W48 的周报", "in the manager's language")
		f.click("li.wei", "婉拒")
		require.Contains(t, f.last("anna").Text, "Li Wei can't give feedback about my check-in for 2026-W48 right now.")
	})
}

func TestBusinessEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		require.NoError(t, f.Engine.BusinessEvent(ctx, f.people["anna"].ID, "deal_won", "ACME renewal", "https://crm.example.com/d/1"))
		card := f.last("li.wei")
		require.Equal(t, "认可 Anna？", card.Title)
		require.Contains(t, card.Text, "Anna: 赢单 — ACME renewal")
		f.click("li.wei", "表扬")
		got := f.feedbackTo("anna")
		require.Len(t, got, 1)
		require.Equal(t, "deal_won — ACME renewal", got[0].Source)

		err := f.Engine.BusinessEvent(ctx, f.people["mei"].ID, "deal_won", "x", "")
		require.True(t, errors.Is(err, engine.ErrNoManager), "%v", err)
	})
}
