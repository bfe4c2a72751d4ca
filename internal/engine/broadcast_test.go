package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// broadcasts lists the broadcasts, newest first.
func (f *fixture) broadcasts() []store.Broadcast {
	f.t.Helper()
	bs, err := f.Store.Broadcasts(f.t.Context(), 100)
	require.NoError(f.t, err)
	return bs
}

// sendBroadcasts runs a Broadcaster over the simulator until nothing is due.
func (f *fixture) sendBroadcasts() {
	f.t.Helper()
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(f.t, err)
	b, err := scheduler.NewBroadcaster(scheduler.BroadcasterOptions{
		Store: f.Store, Senders: []scheduler.Sender{f.Engine.Sealing(f.sim)}, Texts: texts, Clock: f.Clock.Now,
	})
	require.NoError(f.t, err)
	require.NoError(f.t, b.Tick(f.t.Context()))
}

func TestBroadcastRefusedWithoutHR(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("anna", "broadcast everyone: free pizza @all")
		require.Equal(t, "Sorry, only HR can send broadcasts. If you need something announced, please ask your HR team.", f.last("anna").Text)
		f.say("li.wei", "广播 状态")
		require.Contains(t, f.last("li.wei").Text, "只有 HR 可以发送广播", "refused in their language")
		require.Empty(t, f.broadcasts())

		log, err := f.Store.AuditLog(t.Context(), fmt.Sprintf("person:%d", f.people["anna"].ID), 10)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "broadcast.refused", log[0].Action)
		require.Equal(t, "broadcast everyone: free pizza @all", log[0].Detail)
		require.Equal(t, f.people["anna"].ID, log[0].ActorID)
	})
}

func TestBroadcastReviewSendAckStatus(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		f.say("mei", "广播 所有人 确认：下周一开始绩效评估 @all")
		card := f.last("mei")
		require.Equal(t, "确认广播内容", card.Title, f.transcript("mei"))
		require.Equal(t, "下周一开始绩效评估 @\u2060all", card.Text)
		require.Contains(t, fmt.Sprint(card.Fields), "4 人")
		require.Contains(t, fmt.Sprint(card.Fields), "{发送对象 所有人}", "the audience in the reader's language")
		require.Empty(t, f.broadcasts(), "nothing is created before Send")
		send := card.Buttons[0]
		require.Equal(t, "发送", send.Label)

		f.click("mei", "发送")
		require.Contains(t, f.last("mei").Text, "正在发送给 4 人", f.transcript("mei"))
		bs := f.broadcasts()
		require.Len(t, bs, 1)
		b := bs[0]
		require.Equal(t, "下周一开始绩效评估 @all", b.Text, "stored as typed")
		require.True(t, b.Ack)
		require.Equal(t, 48*time.Hour, b.RemindAfter)
		require.True(t, b.Audience.Everyone)
		require.Equal(t, f.people["mei"].ID, b.AuthorID)
		log, err := f.Store.AuditLog(ctx, fmt.Sprintf("broadcast:%d", b.ID), 10)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "broadcast.create", log[0].Action)

		// The card lost its buttons; a platform delivering the click again
		// under a new id finds it used.
		require.Empty(t, f.sim.DM("mei")[0].Buttons, f.transcript("mei"))
		require.NoError(t, f.Engine.Handle(ctx, f.event("mei", bot.Event{Kind: bot.KindAction, Action: send.Value})))
		require.Equal(t, "这个按钮已经用过了。", f.last("mei").Text, "a second Send creates nothing")
		require.Len(t, f.broadcasts(), 1)

		f.sendBroadcasts()
		got := f.last("anna")
		require.Equal(t, "Announcement from Mei", got.Title, "the card says who sent it")
		require.Equal(t, "下周一开始绩效评估 @\u2060all", got.Text)
		f.click("anna", "I've read it")
		require.Equal(t, "Thanks, noted.", f.last("anna").Text)
		f.click("anna", "I've read it")
		require.Equal(t, "Thanks, noted.", f.last("anna").Text, "clicking twice is harmless")

		// An acknowledgment of a broadcast that does not exist says so, in
		// the reader's language, and records nothing.
		for who, want := range map[string]string{"anna": "Sorry, there's no such announcement, so there is nothing to confirm.", "li.wei": "抱歉，没有找到这条通知，无需确认。"} {
			ack := f.event(who, bot.Event{Kind: bot.KindAction})
			// Sealed as perfbot seals what it sends: only the broadcast is missing.
			ack.Action = f.Buttons.Sign(seal.Person(ack.From), fmt.Sprintf("ack:%d:0", b.ID+1))
			require.NoError(t, f.Engine.Handle(ctx, ack))
			require.Equal(t, want, f.last(who).Text)
		}

		f.say("mei", "broadcast status")
		status := f.last("mei")
		require.Equal(t, fmt.Sprintf("广播 %d · 2026-11-27", b.ID), status.Title)
		require.Contains(t, status.Text, "已发送 4/4")
		require.Contains(t, status.Text, "已读：1/4（25.0%）")
		f.say("mei", fmt.Sprintf("broadcast status %d", b.ID+1))
		require.Equal(t, fmt.Sprintf("没有第 %d 号广播。", b.ID+1), f.last("mei").Text)

		s, err := f.Store.BroadcastStatus(ctx, b.ID)
		require.NoError(t, err)
		require.Equal(t, 1, s.Acked)
	})
}

func TestBroadcastCancelAndBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.say("mei", "broadcast team Nope: hello")
		require.Equal(t, "没有人符合这个发送对象，因此不会发送。未找到：team Nope", f.last("mei").Text)
		f.say("mei", "broadcast role boss: hello")
		require.Contains(t, f.last("mei").Text, "没有“boss”这个角色")
		f.say("mei", "broadcast everyone")
		require.Contains(t, f.last("mei").Text, "请在冒号前写明发送对象")
		f.say("mei", "broadcast")
		require.Contains(t, f.last("mei").Text, "广播 所有人：")

		f.say("mei", "broadcast role manager, anna@example.com: 1:1s this week")
		card := f.last("mei")
		require.Contains(t, fmt.Sprint(card.Fields), "2 人", f.transcript("mei"))
		f.click("mei", "取消")
		require.Equal(t, "已取消，没有发送。", f.last("mei").Text)
		require.Empty(t, f.broadcasts())
	})
}
