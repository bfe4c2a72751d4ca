package conversations_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

func TestSBIStepByStepWithQualityCheck(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "feedback @sam")
	require.Contains(t, dump(o.last), "Feedback for Sam")
	require.Contains(t, dump(o.last), "(1/4) Situation")
	require.Equal(t, conversations.FlowFeedback, o.states[idAnna].Flow)

	o.say(idAnna, "skip")
	require.Contains(t, dump(o.last), "This part is needed", "situation can't be skipped")
	o.say(idAnna, "In Tuesday's sprint review with the payments team")
	require.Contains(t, dump(o.last), "(2/4) Behavior")
	o.say(idAnna, "You are always late and you are lazy")
	o.say(idAnna, "The demo started ten minutes late, so the client left early")
	o.say(idAnna, "skip")

	review := dump(o.last)
	require.Contains(t, review, "Your feedback for Sam")
	require.Contains(t, review, `Behavior: "always" judges or generalises`)
	require.Contains(t, review, "(Send anyway)")
	require.Contains(t, review, "(Cancel)", "Send / Edit / Cancel on the review")
	require.Equal(t, "In Tuesday's sprint review with the payments team", o.states[idAnna].Fb.Situation, "the draft is in the state")

	o.click(idAnna, "Edit Behavior")
	require.Contains(t, dump(o.last), "Now: You are always late and you are lazy")
	o.say(idAnna, "You joined the call at 10:10 and started the demo without the agenda slide")
	review = dump(o.last)
	require.Contains(t, review, "Looks specific and actionable")
	require.Contains(t, review, "(Send)")
	require.NotContains(t, review, "Suggestion:", "an empty optional part is left out")

	o.click(idAnna, "Send")
	require.Equal(t, conversations.State{}, o.states[idAnna])
	require.Len(t, o.feedback, 1)
	f := o.feedback[0]
	require.Equal(t, store.FeedbackSBI, f.Kind)
	require.Equal(t, int64(idAnna), f.GiverID)
	require.Equal(t, int64(idSam), f.RecipientID)
	require.Equal(t, "You joined the call at 10:10 and started the demo without the agenda slide", f.Behavior)
	require.False(t, f.Public)
	require.Contains(t, dump(o.last), "Sent to Sam.")

	card := o.lastTo(idSam)
	require.Equal(t, "Feedback from Anna", card.Title)
	require.Len(t, card.Buttons, 2)
	require.Equal(t, "fthx:1:0", card.Buttons[0].Value, "the placeholder became the saved id")

	o.click(idSam, "Let's talk")
	require.Equal(t, store.ReactionTalk, o.feedback[0].Reaction)
	require.Equal(t, now, o.feedback[0].ReactedAt)
	require.Contains(t, o.lastTo(idAnna).Text, "Sam would like to talk about the feedback you gave on 2026-11-27")

	o.click(idSam, "Thanks")
	require.Contains(t, dump(o.last), "already answered")
	require.Equal(t, store.ReactionTalk, o.feedback[0].Reaction, "a second reaction changes nothing")
}

func TestSBIInChineseWithForm(t *testing.T) {
	o := newOffice(t)
	o.forms = true
	o.say(idLi, "反馈 @张三")
	require.Contains(t, dump(o.last), "给 张三 的反馈")
	o.click(idLi, "用表单填写")
	var form *bot.Form
	for _, out := range o.last.Out {
		if out.Message.Form != nil {
			form = out.Message.Form
		}
	}
	require.NotNil(t, form)
	require.Len(t, form.Fields, 4)
	require.True(t, form.Fields[3].Optional)
	require.False(t, form.Fields[1].Optional)

	o.step(idLi, bot.Event{Kind: bot.KindAction, Action: form.Value, Values: map[string]string{
		"situation": "周三客户演示会上", "behavior": "你态度不好", "impact": "很好",
	}})
	review := dump(o.last)
	require.Contains(t, review, "行为：“你态度不好”是对这个人的评价")
	require.Contains(t, review, "影响太简短")
	require.Contains(t, review, "(仍然发送)")

	o.click(idLi, "修改行为")
	o.say(idLi, "你在客户提问时打断了对方两次，没有等他说完")
	o.click(idLi, "修改影响")
	o.say(idLi, "客户后来在邮件里说感觉没有被倾听，续约推迟了一周")
	require.Contains(t, dump(o.last), "内容具体、可执行")
	o.click(idLi, "发送")
	require.Len(t, o.feedback, 1)
	require.Equal(t, "来自 Li Wei 的反馈", o.lastTo(idZhang).Title)
	o.click(idZhang, "谢谢")
	require.Equal(t, store.ReactionThanks, o.feedback[0].Reaction)
}

func TestSBIRefusals(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "feedback @anna")
	require.Contains(t, dump(o.last), "Feedback is for someone else")
	o.say(idAnna, "feedback @nobody")
	require.Contains(t, dump(o.last), `couldn't find anyone called "nobody"`)
	o.say(idAnna, "feedback")
	require.Contains(t, dump(o.last), "Who is it for?")

	// Too long is kept and can be cut, not lost.
	o.say(idAnna, "feedback @sam")
	long := strings.Repeat("x", conversations.MaxPart+5)
	o.say(idAnna, long)
	require.Contains(t, dump(o.last), "1005 characters")
	require.Equal(t, long, o.states[idAnna].SBI.Draft)
	o.click(idAnna, "Use the first 1000 characters")
	require.Len(t, o.states[idAnna].Fb.Situation, conversations.MaxPart)
	require.Contains(t, dump(o.last), "(2/4) Behavior")

	// cancel discards the draft, and the old buttons go stale.
	o.say(idAnna, "cancel")
	require.Equal(t, conversations.State{}, o.states[idAnna])
	require.Contains(t, dump(o.last), "Discarded")
	require.Empty(t, o.feedback)
}

// A check-in prompt arriving mid-draft keeps the draft; "feedback" picks
// it up again.
func TestSBIDraftSurvivesACheckin(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "feedback @sam")
	o.say(idAnna, "At Monday's standup")
	st := o.states[idAnna]
	o.rounds[100] = store.Round{ID: 100, PersonID: idAnna, TeamID: 1, Period: "2026-W48", Status: store.StatusPending, Version: 1}
	r := o.rounds[100]
	in := conversations.Input{Now: now, Open: true, State: st, Person: o.person(idAnna), Round: &r, Period: "2026-W48", Today: "2026-11-27", Texts: o.cat}
	res := conversations.Step(in)
	require.Equal(t, conversations.FlowCheckin, res.State.Flow)
	require.Equal(t, "At Monday's standup", res.State.Fb.Situation)
	o.states[idAnna] = res.State

	o.say(idAnna, "feedback")
	require.Contains(t, dump(o.last), "Let's continue your feedback for Sam")
	require.Contains(t, dump(o.last), "(2/4) Behavior")

	// Feedback for someone else waits until this draft is sent or dropped.
	before := o.states[idAnna]
	o.say(idAnna, "feedback @li.wei")
	require.Contains(t, dump(o.last), "You have an unsent feedback draft")
	require.Equal(t, before, o.states[idAnna])
	o.say(idAnna, "cancel")
	o.say(idAnna, "feedback @li.wei")
	require.Contains(t, dump(o.last), "Feedback for Li Wei")
}

func TestKudosSeveralPeopleWithValue(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "kudos @sam @li.wei thanks for covering the release #teamwork")
	require.Len(t, o.feedback, 2)
	for i, want := range []int64{idSam, idLi} {
		f := o.feedback[i]
		require.Equal(t, store.FeedbackPraise, f.Kind)
		require.Equal(t, want, f.RecipientID)
		require.Equal(t, 1, f.Points)
		require.Equal(t, "thanks for covering the release", f.Text)
		require.Equal(t, "Teamwork / 团队合作", f.Value)
		require.True(t, f.Public)
	}
	require.Contains(t, dump(o.last), "Praise sent to Sam, Li Wei. Points left this month: 8.")
	require.Equal(t, "🎉 Anna praised you", o.lastTo(idSam).Title)
	require.Equal(t, "🎉 Anna 表扬了你", o.lastTo(idLi).Title)
	require.Equal(t, "fthx:2:0", o.lastTo(idLi).Buttons[0].Value)
	require.Len(t, o.channel, 1, "Li Wei's team has a channel; Sam's has none")
	require.Equal(t, "🎉 Anna 表扬了 Li Wei", o.channel[0].Message.Title)

	o.click(idSam, "Thanks")
	require.Equal(t, store.ReactionThanks, o.feedback[0].Reaction)
	require.Contains(t, o.lastTo(idAnna).Text, "Sam thanked you")
}

// A team's channel gets praise only when the team turned its feed on.
func TestPraiseFeedIsTheTeamsChoice(t *testing.T) {
	o := newOffice(t)
	team := o.teams[1]
	team.PraiseFeed = false
	o.teams[1] = team
	o.say(idAnna, "kudos @li.wei thanks for the review")
	require.Len(t, o.feedback, 1)
	require.True(t, o.feedback[0].Public, "still public praise")
	require.Empty(t, o.channel, "but not posted: the team's feed is off")
}

// Names of two words, typed after @, with "and" between them: the rest of
// each name is not taken for the note.
func TestKudosNamesOfSeveralWords(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "kudos @Li Wei and @Sam thanks for covering the release")
	require.Len(t, o.feedback, 2)
	require.Equal(t, int64(idLi), o.feedback[0].RecipientID)
	require.Equal(t, int64(idSam), o.feedback[1].RecipientID)
	require.Equal(t, "thanks for covering the release", o.feedback[0].Text)

	o = newOffice(t)
	o.say(idAnna, "kudos @Li Wei great review")
	require.Len(t, o.feedback, 1)
	require.Equal(t, "great review", o.feedback[0].Text, "Wei completed the name")
}

func TestKudosLimits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		given conversations.Given
		text  string
		want  string
		saved int
	}{
		{"self", conversations.Given{}, "kudos @anna I did great", "can't give kudos to yourself", 0},
		{"self among others", conversations.Given{}, "kudos @anna @sam well done", "left you out", 1},
		{"allowance", conversations.Given{Month: 9}, "kudos @sam @li.wei thanks", "You have 1 of your 10 points left", 0},
		{"allowance exact", conversations.Given{Month: 9}, "kudos @sam thanks", "Points left this month: 0.", 1},
		{"daily cap", conversations.Given{Month: 3, Today: 3}, "kudos @sam thanks", "at most 3 points a day", 0},
		{"chinese, unknown value kept in the note", conversations.Given{}, "表扬 @sam 谢谢帮忙 #加班", "Praise sent to Sam", 1},
		{"no one named", conversations.Given{}, "kudos", "Who is it for?", 0},
		{"too long", conversations.Given{}, "kudos @sam " + strings.Repeat("a", 501), "at most 500", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOffice(t)
			o.given[idAnna] = tc.given
			o.say(idAnna, tc.text)
			require.Contains(t, dump(o.last), tc.want)
			require.Len(t, o.feedback, tc.saved)
			if tc.saved == 0 && strings.Contains(dump(o.last), "Here is what you wrote") {
				require.Contains(t, dump(o.last), tc.text, "what was refused is given back")
			}
		})
	}
	o0 := newOffice(t)
	o0.given[idAnna] = conversations.Given{Month: 10}
	o0.say(idAnna, "kudos @sam thanks for the long night")
	require.Contains(t, dump(o0.last), "Here is what you wrote, to copy and send again:\nkudos @sam thanks for the long night")
	o := newOffice(t)
	o.say(idAnna, "表扬 @sam 谢谢帮忙 #加班")
	require.Equal(t, "谢谢帮忙 #加班", o.feedback[0].Text)
	require.Empty(t, o.feedback[0].Value)
}

// In WeCom and DingTalk app chats there is no mention syntax: a name is
// typed, and an unclear one is picked from a short list.
func TestKudosPickAName(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "kudos alex thanks for the quick fix #customerfirst")
	require.Contains(t, dump(o.last), `Several people match "alex"`)
	require.Contains(t, dump(o.last), "(Alex Chen · Sales) (Alex Wong · Support)")
	require.Empty(t, o.feedback)
	o.click(idAnna, "Alex Wong · Support")
	require.Len(t, o.feedback, 1)
	require.Equal(t, int64(idAlexW), o.feedback[0].RecipientID)
	require.Equal(t, "thanks for the quick fix", o.feedback[0].Text)
	require.Equal(t, "Customer first / 客户第一", o.feedback[0].Value)
	require.Equal(t, conversations.State{}, o.states[idAnna])

	o.click(idAnna, "Alex Chen · Sales")
	require.Contains(t, dump(o.last), "already been used", "a pick is used once")
	require.Len(t, o.feedback, 1)

	// A bare Chinese name, and a Slack mention.
	o.say(idLi, "表扬 张三 周报写得很清楚")
	require.Equal(t, int64(idZhang), o.feedback[1].RecipientID)
	o.step(idSam, bot.Event{Kind: bot.KindMessage, Text: "kudos <@U0ANNA|anna> great review", From: bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U0SAM"}})
	require.Equal(t, int64(idAnna), o.feedback[2].RecipientID)
}

func TestLeaderboard(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "表扬榜")
	require.Contains(t, dump(o.last), "Most praised · 2026-11  | 1. Anna: ★ 5 | 2. Sam: ★ 2")
}

// One tap on Praise under a check-in summary; then a value and a note.
func TestPraiseFromSummary(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.answerAll()
	res := w.click("Submit")
	var praise string
	for _, out := range res.Out {
		if out.PersonID == 3 {
			for _, b := range out.Message.Buttons {
				if b.Label == "表扬" {
					praise = b.Value
				}
			}
		}
		if out.Channel.IsChannel() {
			require.Empty(t, out.Message.Buttons)
		}
	}
	require.NotEmpty(t, praise, dump(res))
	require.Contains(t, dump(res), "(Ask my manager for feedback)")

	o := newOffice(t)
	o.rounds[100] = *w.round
	o.step(idLi, bot.Event{Kind: bot.KindAction, Action: praise})
	require.Len(t, o.feedback, 1)
	f := o.feedback[0]
	require.Equal(t, int64(idAnna), f.RecipientID)
	require.Equal(t, int64(100), f.RoundID)
	require.Equal(t, 1, f.Points)
	require.Contains(t, dump(o.last), "已表扬 Anna。你本月还剩 9 分。")
	require.Equal(t, "🎉 Li Wei praised you", o.lastTo(idAnna).Title)

	o.click(idLi, "#团队合作")
	require.Equal(t, "Teamwork / 团队合作", o.feedback[0].Value)
	require.Contains(t, o.lastTo(idAnna).Title, "Li Wei added to their praise")
	o.click(idLi, "添加留言")
	require.Equal(t, conversations.FlowPraiseNote, o.states[idLi].Flow)
	o.say(idLi, "The risk section was exactly what I needed")
	require.Equal(t, "The risk section was exactly what I needed", o.feedback[0].Text)
	require.Len(t, o.feedback, 1, "the same praise was amended")
	require.Equal(t, conversations.State{}, o.states[idLi])

	// A second tap on the same summary changes nothing.
	before := len(o.inbox[idAnna])
	res = o.step(idLi, bot.Event{Kind: bot.KindAction, Action: praise})
	require.Len(t, o.feedback, 1, "praised once")
	require.Empty(t, res.Effects, "nothing written")
	require.Len(t, o.inbox[idAnna], before, "no second card")
	require.Equal(t, "你已经为这次周报表扬过 Anna 了。", o.lastTo(idLi).Text)

	// Out of allowance, one tap (on another check-in) still praises,
	// without a point.
	o.rounds[101] = store.Round{ID: 101, PersonID: idAnna, Period: "2026-W47", Status: store.StatusSubmitted}
	o.given[idLi] = conversations.Given{Month: 10, Today: 0}
	o.step(idLi, bot.Event{Kind: bot.KindAction, Action: "praise:101:0"})
	require.Equal(t, 0, o.feedback[1].Points)
	require.Equal(t, int64(101), o.feedback[1].RoundID)
	require.Contains(t, dump(o.last), "没有加分")

	// Anna cannot praise herself from her own summary.
	o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: praise})
	require.Contains(t, dump(o.last), "can't give kudos to yourself")
	// Nor may Sam add a value to Li Wei's praise.
	o.step(idSam, bot.Event{Kind: bot.KindAction, Action: "pval:1:0:0"})
	require.Contains(t, dump(o.last), "can't find that feedback")
}

func TestFeedbackRequestAnswered(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "ask feedback @li.wei about my design review")
	require.Len(t, o.requests, 1)
	r := o.requests[0]
	require.Equal(t, "my design review", r.About)
	require.Equal(t, int64(idLi), r.AskedID)
	require.Contains(t, dump(o.last), "I've asked Li Wei for feedback")
	card := o.lastTo(idLi)
	require.Equal(t, "Anna 请你给反馈", card.Title)
	require.Equal(t, "rgive:1:0", card.Buttons[0].Value)

	// Sam got hold of the button: not his to answer.
	o.step(idSam, bot.Event{Kind: bot.KindAction, Action: card.Buttons[0].Value})
	require.Contains(t, dump(o.last), "Only the person who was asked")

	o.click(idLi, "给出反馈")
	st := o.states[idLi]
	require.Equal(t, int64(idAnna), st.Fb.To)
	require.Equal(t, int64(1), st.Fb.Request)
	o.say(idLi, "周二的设计评审会上")
	o.say(idLi, "你先用两分钟讲清了目标，再逐个回答了三个架构问题")
	o.say(idLi, "评审一次通过，团队节省了一轮返工")
	o.say(idLi, "下次可以提前一天把文档发给大家")
	o.click(idLi, "发送")
	require.Len(t, o.feedback, 1)
	require.Equal(t, int64(1), o.feedback[0].RequestID)
	r = o.requests[0]
	require.False(t, r.Open())
	require.Equal(t, int64(1), r.FeedbackID)
	require.Equal(t, now, r.AnsweredAt)
	require.Contains(t, o.lastTo(idAnna).Text, "You asked for this feedback about: my design review")

	o.click(idLi, "给出反馈")
	require.Contains(t, dump(o.last), "已经就这个请求给出了反馈")
}

func TestFeedbackRequestDeclinedAndAskManager(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "请 @li.wei 反馈 周五的演示")
	require.Equal(t, "周五的演示", o.requests[0].About)
	o.click(idLi, "婉拒")
	require.True(t, o.requests[0].Declined)
	require.Contains(t, o.lastTo(idAnna).Text, "Li Wei can't give feedback about 周五的演示 right now.")

	o.say(idSam, "ask @anna for feedback on the pricing page")
	require.Equal(t, "the pricing page", o.requests[1].About)

	o.rounds[100] = store.Round{ID: 100, PersonID: idAnna, Period: "2026-W48", Status: store.StatusSubmitted}
	o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: "askmgr:100:0"})
	require.Len(t, o.requests, 3)
	require.Equal(t, "2026-W48", o.requests[2].About, "the period, for each reader to read in their language")
	require.Contains(t, o.lastTo(idLi).Text, "2026-W48 的周报", "Li Wei reads it in Chinese")
	require.Equal(t, int64(idLi), o.requests[2].AskedID)
	require.Equal(t, int64(100), o.requests[2].RoundID)
	o.step(idSam, bot.Event{Kind: bot.KindAction, Action: "askmgr:100:0"})
	require.Len(t, o.requests, 3, "Sam can't ask about Anna's check-in")

	// A second tap while the request is open asks nobody again.
	before := len(o.inbox[idLi])
	res := o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: "askmgr:100:0"})
	require.Len(t, o.requests, 3)
	require.Empty(t, res.Effects, "nothing written")
	require.Len(t, o.inbox[idLi], before)
	require.Contains(t, dump(res), "You already asked Li Wei for feedback on this check-in.")
	// Once Li Wei declined, Anna may ask again.
	o.requests[2].Declined = true
	o.step(idAnna, bot.Event{Kind: bot.KindAction, Action: "askmgr:100:0"})
	require.Len(t, o.requests, 4)
}

func TestRequestReminderEscalationAndEvent(t *testing.T) {
	o := newOffice(t)
	r := store.FeedbackRequest{ID: 4, RequesterID: idAnna, AskedID: idSam, About: "the demo @all", CreatedAt: now}
	rem := conversations.RequestReminder(o.cat, r, o.person(idAnna), o.person(idSam))
	require.Equal(t, int64(idSam), rem.PersonID)
	require.Equal(t, "Reminder: Anna is waiting for your feedback", rem.Message.Title)
	require.Contains(t, rem.Message.Text, "@\u2060all", "user text can't ping a whole chat")
	require.Equal(t, "rgive:4:0", rem.Message.Buttons[0].Value)

	esc := conversations.RequestEscalation(o.cat, r, o.person(idAnna), o.person(idSam), o.person(idLi))
	require.Equal(t, int64(idLi), esc.PersonID)
	require.Contains(t, esc.Message.Text, "Anna 在 2026-11-27 请 Sam")
	require.NotEmpty(t, r.About)
	require.NotContains(t, esc.Message.Text, r.About, "the manager may not read what the request is about")
	require.Empty(t, esc.Message.Buttons)

	ev := conversations.BusinessEventCard(o.cat, o.person(idAnna), o.person(idLi), "deal_won", "ACME renewal", "https://crm.example.com/d/1")
	require.Equal(t, int64(idLi), ev.PersonID)
	require.Contains(t, ev.Message.Text, "Anna: 赢单 — ACME renewal\nhttps://crm.example.com/d/1", "a known kind in the manager's language")
	o.inbox[idLi] = append(o.inbox[idLi], ev)
	o.click(idLi, "表扬")
	require.Len(t, o.feedback, 1)
	require.Equal(t, "deal_won — ACME renewal", o.feedback[0].Source, "the record keeps the kind as sent")
	require.Equal(t, int64(idAnna), o.feedback[0].RecipientID)

	o.click(idLi, "给出反馈")
	require.Equal(t, "deal_won — ACME renewal", o.states[idLi].Fb.Source)
	require.Equal(t, int64(idAnna), o.states[idLi].Fb.To)
}

// Text that merely starts like a command is still a check-in answer.
func TestCheckinAnswerIsNotACommand(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	w.click("Start")
	w.say("feedback from the customer was great")
	require.Equal(t, "feedback from the customer was great", w.round.Answer(store.QuestionDone))
	w.say("praise for the on-call team")
	require.Equal(t, "praise for the on-call team", w.round.Answer(store.QuestionBlockers))
}

func TestBindLeavesOtherButtons(t *testing.T) {
	out := []conversations.Outbound{{Message: bot.Message{Buttons: []bot.Button{
		{Value: "fthx:-2:0"}, {Value: "rgive:-1:0"}, {Value: "start:5:3"}, {Value: "nonsense"},
	}}}}
	conversations.Bind(out, []int64{40, 41}, 9)
	var got []string
	for _, b := range out[0].Message.Buttons {
		got = append(got, b.Value)
	}
	require.Equal(t, []string{"fthx:41:0", "rgive:9:0", "start:5:3", "nonsense"}, got)
	require.Zero(t, conversations.RoundOf("fthx:41:0"), "feedback ids are not rounds")
	require.Equal(t, int64(5), conversations.RoundOf("praise:5:0"))
}

func TestSBICancelFromTheReview(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "feedback @sam")
	if strings.Contains(dump(o.last), "(Step by step)") {
		o.click(idAnna, "Step by step")
	}
	o.say(idAnna, "In Tuesday's sprint review with the payments team")
	o.say(idAnna, "You joined the call at 10:10 and started the demo without the agenda slide")
	o.say(idAnna, "The client left before the pricing part")
	o.say(idAnna, "skip")
	o.click(idAnna, "Cancel")
	require.Contains(t, dump(o.last), "Discarded. Nothing was sent.")
	require.Empty(t, o.feedback)
	require.Equal(t, conversations.State{}, o.states[idAnna])
}

// Praise under a check-in summary draws the card again, its Mark reviewed
// still there: a platform greys a card's buttons while a click is handled,
// and only the card drawn again gives them back.
func TestPraiseRedrawsTheSummary(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.answerAll()
	w.click("Submit")
	o := newOffice(t)
	o.rounds[100] = *w.round
	praise := "praise:100:0"

	for _, tap := range []string{"first", "again"} {
		res := o.step(idLi, bot.Event{Kind: bot.KindAction, Action: praise, Ref: "summary-1"})
		var redrawn *bot.Message
		for _, out := range res.Out {
			if out.Message.Replace == "summary-1" {
				redrawn = &out.Message
			}
		}
		require.NotNil(t, redrawn, "%s: %s", tap, dump(res))
		require.Contains(t, redrawn.Title, "Anna 的周报", tap)
		var labels []string
		for _, b := range redrawn.Buttons {
			labels = append(labels, b.Label)
		}
		require.Equal(t, []string{"标记为已阅", "表扬"}, labels, tap)
	}
	require.Len(t, o.feedback, 1, "praised once")

	// Once reviewed, the card drawn again says by whom and keeps Praise.
	r := o.rounds[100]
	r.ReviewedBy, r.ReviewedAt = idLi, now
	o.rounds[100] = r
	res := o.step(idLi, bot.Event{Kind: bot.KindAction, Action: praise, Ref: "summary-1"})
	require.Contains(t, dump(res), "[reply replaces summary-1] Anna 的周报 · 2026-W48 ✓ Li Wei 已阅 | ")
	require.Contains(t, dump(res), "(表扬)")
	require.NotContains(t, dump(res), "(标记为已阅)")
}

// The quality check's card makes fixing the primary button, and says for
// each part what would help in that part.
func TestSBIQualityCheckSuggestsEditing(t *testing.T) {
	o := newOffice(t)
	o.say(idAnna, "feedback @sam")
	o.say(idAnna, "In Tuesday's sprint review with the payments team")
	o.say(idAnna, "Always late")
	o.say(idAnna, "Bad")
	o.say(idAnna, "skip")

	styles := map[string]bot.ButtonStyle{}
	for _, b := range o.lastTo(idAnna).Buttons {
		styles[b.Label] = b.Style
	}
	require.Equal(t, bot.StyleDefault, styles["Send anyway"], "sending judgmental feedback is not the suggestion")
	require.Equal(t, bot.StylePrimary, styles["Edit Behavior"], "fixing the first problem is")
	require.Equal(t, bot.StyleDefault, styles["Edit Impact"])

	text := o.lastTo(idAnna).Text
	require.Contains(t, text, "• Impact is very short. Say what it led to, for you, the team or customers, and how much.")
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, "• ") {
			_, hint, _ := strings.Cut(l, ". ")
			require.NotContains(t, lines, hint, "each part gets its own advice: %s", text)
			lines = append(lines, hint)
		}
	}
	require.Len(t, lines, 3, text)

	// Good feedback: Send is the primary button.
	o.click(idAnna, "Edit Behavior")
	o.say(idAnna, "You joined the call at 10:10 and started the demo without the agenda slide")
	o.click(idAnna, "Edit Impact")
	o.say(idAnna, "The client left before the pricing part, so we need another meeting")
	for _, b := range o.lastTo(idAnna).Buttons {
		if b.Label == "Send" {
			require.Equal(t, bot.StylePrimary, b.Style)
			return
		}
	}
	require.FailNow(t, "no Send", o.dumpInbox(idAnna))
}
