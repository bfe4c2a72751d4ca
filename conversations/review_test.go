package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

// reviewing runs Anna's check-in to the end and returns the manager's view
// of it and the Mark reviewed button's value.
func reviewing(t *testing.T) (*world, string) {
	w := newWorld(t, bot.LocaleEN)
	w.answerAll()
	res := w.click("Submit")
	var value string
	for _, o := range res.Out {
		if o.PersonID == 3 {
			value = o.Message.Buttons[0].Value
		}
	}
	require.NotEmpty(t, value)
	return w, value
}

func (w *world) reviewAs(p bot.Person, value string, reviewer *bot.Person) conversations.Result {
	owner := w.person
	r := *w.round
	in := conversations.Input{
		Now: now, Event: bot.Event{Kind: bot.KindAction, Action: value, Ref: "summary-1"},
		Person: p, Round: &r, Owner: &owner, Reviewer: reviewer, Period: w.period, Texts: w.cat,
	}
	res := conversations.Step(in)
	w.saved = written(w.t, &res)
	if w.saved.Round != nil {
		cp := *w.saved.Round
		cp.Version++
		w.round = &cp
	}
	return res
}

func TestMarkReviewed(t *testing.T) {
	w, value := reviewing(t)
	res := w.reviewAs(w.manager, value, nil)
	require.Equal(t, int64(3), w.round.ReviewedBy)
	require.Equal(t, now, w.round.ReviewedAt)
	require.Equal(t, conversations.State{}, res.State, "the manager's own dialog is untouched")
	out := dump(res)
	require.Contains(t, out, "[reply replaces summary-1] Anna 的周报 · 2026-W48 ✓ Li Wei 已阅")
	require.NotContains(t, out, "(标记为已阅)", "the reviewed card has no button left")
	require.Contains(t, out, "[person 7]  Li Wei has reviewed your check-in for 2026-W48.")
	require.Equal(t, "checkin.review", w.saved.Audits[0].Action)

	// The same button again: nothing changes, and it says who reviewed it.
	mgr := w.manager
	res = w.reviewAs(w.manager, value, &mgr)
	require.Nil(t, w.saved.Round)
	require.Contains(t, dump(res), "这份周报已由 Li Wei 审阅。")
}

func TestMarkReviewedRefused(t *testing.T) {
	for name, c := range map[string]struct {
		who  func(w *world) bot.Person
		want string
	}{
		"a peer":        {func(w *world) bot.Person { return bot.Person{ID: 8, Name: "Sam", Locale: "en"} }, "Only Anna's manager can mark"},
		"the owner":     {func(w *world) bot.Person { return w.person }, "You can't review your own check-in."},
		"no such round": {func(w *world) bot.Person { w.round.ID = 555; return w.manager }, "找不到这份周报"},
	} {
		t.Run(name, func(t *testing.T) {
			w, value := reviewing(t)
			res := w.reviewAs(c.who(w), value, nil)
			require.Nil(t, w.saved.Round)
			require.Contains(t, dump(res), c.want)
		})
	}

	t.Run("HR may", func(t *testing.T) {
		w, value := reviewing(t)
		w.reviewAs(bot.Person{ID: 1, Name: "Mei", Locale: "en", Roles: []bot.Role{bot.RoleHR}}, value, nil)
		require.NotNil(t, w.saved.Round)
		require.Equal(t, int64(1), w.round.ReviewedBy)
	})

	t.Run("while the employee edits", func(t *testing.T) {
		w, value := reviewing(t)
		w.round.Status = store.StatusInProgress
		res := w.reviewAs(w.manager, value, nil)
		require.Nil(t, w.saved.Round)
		require.Contains(t, dump(res), "Anna 正在修改这份周报")
	})
}

func TestTeamChannel(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.team.Channel = bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: "demo"}, Channel: "platform"}
	w.answerAll()
	res := w.click("Submit")
	out := dump(res)
	require.Contains(t, out, "[channel platform] Check-in from Anna · 2026-W48")
	require.Contains(t, out, "[person 3] Anna 的周报")
	channel, manager := sentTo(res)
	require.Contains(t, dump(conversations.Result{Out: manager}), "心情: 4 🙂", "the manager reads the mood")
	require.NotContains(t, dump(conversations.Result{Out: channel}), "Mood", "the channel gets the summary: no mood")
	require.Contains(t, dump(conversations.Result{Out: channel}), "Done this week: Shipped the importer")

	// A team may post whole check-ins.
	w = newWorld(t, bot.LocaleEN)
	w.team.Channel = bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: "demo"}, Channel: "platform"}
	w.team.ChannelPosts = store.ChannelFull
	w.answerAll()
	channel, _ = sentTo(w.click("Submit"))
	require.Contains(t, dump(conversations.Result{Out: channel}), "Mood: 4 🙂")
}

// sentTo splits what a step sent to channels from what it sent the manager
// (person 3).
func sentTo(res conversations.Result) (channel, manager []conversations.Outbound) {
	for _, o := range res.Out {
		switch {
		case o.Channel.IsChannel():
			channel = append(channel, o)
		case o.PersonID == 3:
			manager = append(manager, o)
		}
	}
	return channel, manager
}
