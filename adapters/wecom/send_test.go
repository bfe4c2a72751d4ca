package wecom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/pace"
)

func TestTokenIsCachedAndRefreshedOnce(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	clock := &enginetest.Clock{}
	clock.Set(enginetest.Start)
	a := newAdapter(t, fake, nil, &sleeps{}, clock.Now)

	for range 3 {
		_, err := a.Send(ctx, bot.Message{To: to("LiWei"), Text: "hi"})
		require.NoError(t, err)
	}
	require.Equal(t, 1, fake.Tokens(), "cached")

	// WeCom says invalid (40014) once: refreshed, and the call retried.
	fake.failNext(40014)
	_, err := a.Send(ctx, bot.Message{To: to("LiWei"), Text: "after 40014"})
	require.NoError(t, err)
	require.Equal(t, 2, fake.Tokens())

	// Expired (42001): the same.
	fake.expireToken()
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "after 42001"})
	require.NoError(t, err)
	require.Equal(t, 3, fake.Tokens())

	// Refused twice in a row: refreshed once only, then the error.
	fake.failNext(40014, 40014)
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "lost"})
	var ae *wecom.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 40014, ae.Code)
	require.Equal(t, 4, fake.Tokens())

	// Before it expires, the token is refreshed without an error first.
	clock.Set(enginetest.Start.Add(2 * time.Hour))
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "later"})
	require.NoError(t, err)
	require.Equal(t, 5, fake.Tokens())
	require.Len(t, fake.SendsTo("LiWei"), 6)
}

func TestRateLimitsAreWaitedOutNotDropped(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	sl := &sleeps{}
	a := newAdapter(t, fake, nil, sl, time.Now)
	fake.failNext(45009, 45033, 45009)
	_, err := a.Send(ctx, bot.Message{To: to("LiWei"), Text: "eventually"})
	require.NoError(t, err)
	require.Len(t, fake.SendsTo("LiWei"), 1, "delivered once")
	require.Equal(t, []time.Duration{5 * time.Second, 400 * time.Millisecond, 20 * time.Second}, sl.Backoffs())

	fake.failNext(45009, 45009, 45009, 45009, 45009, 45009, 45009)
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "gives up"})
	var ae *wecom.APIError
	require.ErrorAs(t, err, &ae, "after the retries, the error is the caller's to log")
	require.Equal(t, 45009, ae.Code)
}

// A message WeCom shows in two parts (the text that does not fit a card,
// then the card) that fails after its text went out says how far it got;
// sent again from there, the text does not go twice.
func TestPartlySentMessageResumes(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)
	msg := bot.Message{To: to("LiWei"), Title: "Check-in from Wang Fang", Text: strings.Repeat("Shipped the billing export. ", 20),
		Buttons: []bot.Button{{Label: "Praise", Value: "praise:1"}}}

	fake.outageAfter(1, 1)
	_, err := a.Send(ctx, msg)
	partial, ok := errors.AsType[*bot.PartialError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, 1, partial.Sent)
	require.ErrorIs(t, err, bot.ErrTemporary, "still says why")
	require.Len(t, fake.SendsTo("LiWei"), 1, "the text")

	msg.Sent = partial.Sent
	ref, err := a.Send(ctx, msg)
	require.NoError(t, err)
	require.NotEmpty(t, ref)
	sends := fake.SendsTo("LiWei")
	require.Len(t, sends, 2, "the card, and the text not again")
	require.Equal(t, "text", sends[0].MsgType)
	require.Equal(t, "template_card", sends[1].MsgType)

	// A failure before anything is shown is a plain one: all is sent again.
	fake.outage(1)
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "hi"})
	_, ok = errors.AsType[*bot.PartialError](err)
	require.False(t, ok)
	require.ErrorIs(t, err, bot.ErrTemporary)
}

func TestPerMemberLimit(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	clock := &enginetest.Clock{}
	clock.Set(enginetest.Start)
	var waited time.Duration
	a, err := wecom.New(testConfig(fake.URL()), wecom.Options{
		Dialog: memory.New(clock.Now), Clock: clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error { waited += d; clock.Set(clock.Now().Add(d)); return nil },
	})
	require.NoError(t, err)
	for i := range wecom.MemberLimit {
		_, err := a.Send(ctx, bot.Message{To: to("LiWei"), Text: fmt.Sprint(i)})
		require.NoError(t, err)
	}
	// Only paced at the corp's rate, 6 ms apart.
	require.Less(t, waited, time.Second, "30 a minute go at once")
	_, err = a.Send(ctx, bot.Message{To: to("WangFang"), Text: "someone else"})
	require.NoError(t, err)
	require.Less(t, waited, time.Second, "the limit is per member")
	_, err = a.Send(ctx, bot.Message{To: to("LiWei"), Text: "31st"})
	require.NoError(t, err)
	require.GreaterOrEqual(t, waited, time.Minute, "the 31st waits for the minute to pass instead of being dropped by WeCom")
	require.Less(t, waited, time.Minute+time.Second)
}

func TestInvalidUsersAreRecorded(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	fake.invalid["Gone"] = true
	fake.invalid["Left"] = true
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)

	_, err := a.Send(ctx, bot.Message{To: to("Gone"), Text: "hello?"})
	require.ErrorIs(t, err, wecom.ErrInvalidUser)

	users := []string{"Left", "Gone"}
	for i := range 2500 {
		users = append(users, fmt.Sprintf("u%04d", i))
	}
	users = append(users, "u0001") // duplicates are sent once
	res, err := a.BatchSend(ctx, users, bot.Message{Title: "Cycle opens", Text: "Self-reviews are due on Friday."})
	require.NoError(t, err)
	require.Equal(t, 3, res.Calls, "1000 members per call")
	require.Equal(t, []string{"gone", "left"}, res.Invalid)
	var total int
	for _, s := range fake.Sends() {
		n := len(strings.Split(s.ToUser, "|"))
		require.LessOrEqual(t, n, wecom.MaxBatch)
		total += n
	}
	require.Equal(t, 2502, total)
}

func TestUpdateShowsTheChoiceOrSendsAnew(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)
	chosen := bot.Message{To: to("LiWei"), Title: "Weekly check-in · 2026-W48", Text: "Hi Li Wei! Ready?\n\n› Start"}
	require.NoError(t, a.Update(ctx, "click-code", chosen))
	u := fake.Updates()
	require.Len(t, u, 1)
	require.Equal(t, []string{"LiWei"}, u[0].UserIDs)
	require.EqualValues(t, agent, u[0].AgentID)
	require.Equal(t, "› Start", u[0].TemplateCard.ReplaceText)
	require.Equal(t, "Weekly check-in · 2026-W48", u[0].TemplateCard.MainTitle.Title)

	// A used response code cannot update: the person still sees the state.
	require.NoError(t, a.Update(ctx, "click-code", chosen))
	require.Len(t, fake.Updates(), 1)
	require.Contains(t, fake.SendsTo("LiWei")[0].content(), "› Start")
}

func TestRendering(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)

	// Text: tags, entities and id translation broken, broadcast mentions
	// defused; it reads the same.
	_, err := a.Send(ctx, bot.Message{To: to("u1"), Title: "Li Wei · 2026-W48", Text: "<b>hi</b> @all **x** &lt; $userName=WangFang$",
		Fields: []bot.Field{{Label: "Done", Value: "the importer"}, {Label: "Next", Value: "line 1\nline 2"}}})
	require.NoError(t, err)
	got := fake.SendsTo("u1")
	require.Len(t, got, 1)
	require.Equal(t, "text", got[0].MsgType)
	require.Equal(t, "Li Wei · 2026-W48\n\n<\u2060b>hi<\u2060/b> @\u2060all **x** &\u2060lt; $\u2060userName=WangFang$\n\nDone: the importer\nNext:\nline 1\nline 2", got[0].Text.Content)

	// Long text is split below 2048 bytes, at line breaks, losing nothing.
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("第%d行 line %d", i, i))
	}
	long := strings.Join(lines, "\n")
	_, err = a.Send(ctx, bot.Message{To: to("u2"), Text: long})
	require.NoError(t, err)
	parts := fake.SendsTo("u2")
	require.Greater(t, len(parts), 1)
	var joined []string
	for _, p := range parts {
		require.LessOrEqual(t, len(p.Text.Content), 2048)
		joined = append(joined, p.Text.Content)
	}
	require.Equal(t, long, strings.Join(joined, "\n"))

	// Buttons make a card; what a card cannot show goes first as text.
	_, err = a.Send(ctx, bot.Message{To: to("u3"), Title: "Li Wei's check-in · 2026-W48",
		Fields:  []bot.Field{{Label: "What did you get done?", Value: "the importer @all"}},
		Buttons: []bot.Button{{Label: "Mark reviewed", Value: "review:9:0", Style: bot.StylePrimary}}})
	require.NoError(t, err)
	got = fake.SendsTo("u3")
	require.Len(t, got, 2)
	require.Equal(t, "text", got[0].MsgType)
	require.Contains(t, got[0].Text.Content, "What did you get done?: the importer @\u2060all")
	c := got[1].TemplateCard
	require.Equal(t, "button_interaction", c.CardType)
	require.Equal(t, "review:9:0", c.Buttons[0].Key, "the key is the button's value")
	require.Regexp(t, `^[0-9A-Za-z_\-@]{1,128}$`, c.TaskID)

	// A title too long for a card loses its last parts before it is cut,
	// so two people's cards do not read alike.
	for _, who := range []string{"Alexandra Johnson-Smith", "Alexandra Johnson-Smyth"} {
		_, err = a.Send(ctx, bot.Message{To: to("u5"), Title: "Check-in from " + who + " · 2026-W48",
			Buttons: []bot.Button{{Label: "Mark reviewed", Value: "review:9:0"}}})
		require.NoError(t, err)
	}
	got = fake.SendsTo("u5")
	require.Len(t, got, 4, "each: the whole title as text, then the card")
	require.Equal(t, "Check-in from Alexandra Johnson-Smith · 2026-W48", got[0].Text.Content)
	require.Equal(t, "Check-in from Alexandra J…", got[1].TemplateCard.MainTitle.Title, "cut when no part is left to drop")
	_, err = a.Send(ctx, bot.Message{To: to("u6"), Title: "Check-in from Li Wei · 2026-W48 · Platform",
		Buttons: []bot.Button{{Label: "Mark reviewed", Value: "review:9:0"}}})
	require.NoError(t, err)
	got = fake.SendsTo("u6")
	require.Equal(t, "Check-in from Li Wei", got[len(got)-1].TemplateCard.MainTitle.Title)

	// A card that fits is sent alone, with unique task ids.
	ref, err := a.Send(ctx, bot.Message{To: to("u4"), Text: "(4/4) How do you feel?",
		Buttons: []bot.Button{{Label: "1", Value: "m:1"}, {Label: "2", Value: "m:2"}}})
	require.NoError(t, err)
	require.Len(t, fake.SendsTo("u4"), 1)
	require.NotEqual(t, c.TaskID, fake.SendsTo("u4")[0].TemplateCard.TaskID)
	require.NotEmpty(t, ref)

	_, err = a.Send(ctx, bot.Message{To: bot.Address{Identity: bot.Identity{Platform: bot.Slack, UserID: "U1"}}, Text: "x"})
	require.ErrorIs(t, err, wecom.ErrNotOurs)
}

func TestCallsArePacedUnderTheCorpLimit(t *testing.T) {
	ctx := t.Context()
	fake := newFakeWeCom(t)
	clock := &enginetest.Clock{}
	clock.Set(enginetest.Start)
	var waited time.Duration
	cfg := testConfig(fake.URL())
	cfg.CallsPerMinute = 600 // 10 a second
	a, err := wecom.New(cfg, wecom.Options{
		Dialog: memory.New(clock.Now), Clock: clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error { waited += d; clock.Set(clock.Now().Add(d)); return nil },
	})
	require.NoError(t, err)
	for i := range 31 {
		_, err := a.Send(ctx, bot.Message{To: to(fmt.Sprintf("u%02d", i)), Text: "hi"})
		require.NoError(t, err)
	}
	require.Equal(t, 3*time.Second, waited, "the first at once, then one every tenth of a second")

	// A caller that cannot wait for the next slot is told when it comes,
	// and nothing reaches WeCom.
	sent := len(fake.Sends())
	short, cancel := context.WithTimeout(ctx, pace.CallRoom+50*time.Millisecond)
	defer cancel()
	_, err = a.Send(short, bot.Message{To: to("LiWei"), Text: "in a hurry"})
	busy, ok := errors.AsType[*bot.BusyError](err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, clock.Now().Add(100*time.Millisecond), busy.At)
	require.ErrorIs(t, err, bot.ErrTemporary)
	require.Len(t, fake.Sends(), sent)
}
