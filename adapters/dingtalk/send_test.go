package dingtalk

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/seal"
)

func to(userID string) bot.Address {
	return bot.Address{Identity: bot.Identity{Platform: bot.DingTalk, Tenant: testCorp, UserID: userID}}
}

func TestSendRendersMarkdownAndCards(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	ctx := context.Background()

	ref, err := a.Send(ctx, bot.Message{To: to("u1"), Title: "Hi @all", Text: "- item\n1. *bold* <b>", Fields: []bot.Field{{Label: "Mood", Value: "4"}}})
	require.NoError(t, err)
	require.Equal(t, bot.MessageRef("pqk1"), ref)
	m := fake.messages("u1")[0]
	require.Equal(t, "sampleMarkdown", m.MsgKey)
	require.Equal(t, "Hi @\u2060all", m.Param["title"])
	require.Equal(t, "#### Hi @\u2060all\n\n\\- item  \n1\\. \\*bold\\* \\<b\\>\n\n**Mood**  \n4", m.Param["text"])

	_, err = a.Send(ctx, bot.Message{To: bot.Address{Identity: bot.Identity{Platform: bot.DingTalk, Tenant: "dingother", UserID: "u1"}}, Text: "x"})
	require.Error(t, err, "another corp's user is not ours to message")
}

// The fallback for HTTP mode (or DINGTALK_BUTTONS=actioncard): action cards
// whose links send the value back as text.
func TestSendButtonsAsActionCards(t *testing.T) {
	fake := newFake(t)
	cfg := fake.config()
	cfg.Buttons = ButtonsActionCard
	a := fake.adapter(cfg, nil, nil)
	var bs []bot.Button
	for i := range 7 {
		bs = append(bs, bot.Button{Label: fmt.Sprintf("B%d", i), Value: fmt.Sprintf("v:%d:[x]", i)})
	}
	_, err := a.Send(context.Background(), bot.Message{To: to("u1"), Text: "choose", Buttons: bs})
	require.NoError(t, err)
	m := fake.messages("u1")[0]
	require.Equal(t, "sampleActionCard5", m.MsgKey)
	got := buttons(t, m)
	require.Len(t, got, 7, "five on the card, two as links: %v", m.Param)
	for _, b := range bs {
		v, ok := clickValue(got[b.Label])
		require.True(t, ok)
		require.Equal(t, b.Value, v, "a click gives the value back exactly")
	}
	require.NoError(t, a.Update(context.Background(), "pqk1", bot.Message{To: to("u1"), Text: "chosen"}))
	require.Len(t, fake.messages("u1"), 2, "an action card cannot be edited: the replacement is sent anew")
}

func TestClickTextRoundTrip(t *testing.T) {
	// The longest value perfbot sends: a business event's, its title cut
	// at 80 characters, sealed.
	k, err := seal.NewKey('1', seal.NewSecret())
	require.NoError(t, err)
	r, err := seal.NewRing(time.Hour, time.Now, k)
	require.NoError(t, err)
	longest := r.Sign(seal.Person(bot.Identity{Platform: bot.DingTalk, Tenant: testCorp, UserID: "manager01"}),
		"bpraise:123456:0:"+string([]rune("deal_won — " + strings.Repeat("续", 80))[:79])+"…")
	for _, v := range []string{"start:12:3", "mood:1:2:5", "x", "中文:1:2", "a]b[#pb.c]", longest} {
		got, ok := clickValue(clickText(bot.Button{Label: "标签 Label", Value: v}))
		require.True(t, ok)
		require.Equal(t, v, got)
	}
	for _, text := range []string{"hello", "Start [#pb.]", "Start [#pb.!!]", "[#pb.c3RhcnQ] trailing"} {
		_, ok := clickValue(text)
		require.False(t, ok, text)
	}
}

func TestRateLimitedSendIsRetried(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	fake.rateLimit = 2
	_, err := a.Send(context.Background(), bot.Message{To: to("u1"), Text: "hello"})
	require.NoError(t, err)
	require.Len(t, fake.messages("u1"), 1, "sent once, after two refusals")
	require.Equal(t, 2.0, count(a.metrics.retries.WithLabelValues("rate_limit")))

	fake.rateLimit = 100
	_, err = a.Send(context.Background(), bot.Message{To: to("u1"), Text: "hello"})
	require.ErrorIs(t, err, ErrRateLimited, "gives up after its attempts, with the reason")
}

func TestSendBatchByLimits(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	var ids []string
	for i := range 45 {
		ids = append(ids, fmt.Sprintf("u%02d", i))
	}
	fake.invalid = []string{"u03", "u30"}
	fake.flowControl = []string{"u07", "u41"}
	fake.rateLimit = 1
	res, err := a.SendBatch(context.Background(), append(ids, "u01"), bot.Message{Text: "broadcast"})
	require.NoError(t, err)
	require.Equal(t, []int{20, 1, 20, 5, 1}, fake.batchSizes, "20 a call, each flow-controlled recipient retried")
	require.ElementsMatch(t, []Failure{{"u03", "invalid"}, {"u30", "invalid"}}, res.Failed)
	for _, id := range ids {
		if id == "u03" || id == "u30" {
			require.Empty(t, fake.messages(id))
			continue
		}
		require.Len(t, fake.messages(id), 1, id)
	}
	require.Equal(t, 2.0, count(a.metrics.failed.WithLabelValues("invalid")))

	_, err = a.Send(context.Background(), bot.Message{To: to("u03"), Text: "x"})
	require.ErrorIs(t, err, ErrRecipient)
}

func TestTokenCachedSharedAndRefreshed(t *testing.T) {
	fake := newFake(t)
	f := enginetest.New(t, enginetest.Scaled) // the token lives in Redis
	a1 := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	a2 := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	ctx := context.Background()
	for _, a := range []*Adapter{a1, a2, a1} {
		_, err := a.Send(ctx, bot.Message{To: to("u1"), Text: "x"})
		require.NoError(t, err)
	}
	require.Equal(t, 1, fake.tokens, "one token shared by both replicas")

	f.Clock.Set(f.Clock.Now().Add(7200*time.Second - refreshBefore + time.Second))
	_, err := a2.Send(ctx, bot.Message{To: to("u1"), Text: "x"})
	require.NoError(t, err)
	require.Equal(t, 2, fake.tokens, "refreshed before it expires")

	fake.revoke = true
	_, err = a1.Send(ctx, bot.Message{To: to("u1"), Text: "x"})
	require.NoError(t, err)
	require.Equal(t, 3, fake.tokens, "a refused token is replaced and the call retried")
	require.Len(t, fake.messages("u1"), 5)
}

func TestVoiceNoteDownloaded(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	rec := &recorder{}
	c := newChat(t, a, rec)
	for _, code := range []string{"code-ok", "code-expired"} {
		m := c.text("emp01", "")
		m.Msgtype, m.Content = "audio", map[string]any{"duration": 4200, "downloadCode": code, "recognition": "本周完成了发布"}
		c.deliver(m)
	}
	evs := rec.Events()
	require.Len(t, evs, 2)
	v := evs[0].Voice
	require.Equal(t, bot.KindVoice, evs[0].Kind)
	require.Equal(t, 4200*time.Millisecond, v.Duration)
	require.Equal(t, "本周完成了发布", v.Transcript)
	require.Equal(t, "code-ok", v.MediaID)
	require.Nil(t, evs[0].Voice.Audio, "handed on before the download")
	require.NoError(t, a.FetchVoice(t.Context(), &evs[0]))
	v = evs[0].Voice
	require.Equal(t, "#!AMR\nfake-audio", string(v.Audio))
	require.Equal(t, "amr", v.Format)
	require.Error(t, a.FetchVoice(t.Context(), &evs[1]))
	require.Nil(t, evs[1].Voice.Audio, "a failed download still leaves the note")
	require.Equal(t, "本周完成了发布", evs[1].Voice.Transcript)
}

func TestOtherMessagesUnsupported(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	rec := &recorder{}
	c := newChat(t, a, rec)
	m := c.text("emp01", "")
	m.Msgtype, m.Content = "picture", map[string]any{"downloadCode": "x"}
	c.deliver(m)
	ev := rec.Events()[0]
	require.Equal(t, bot.KindUnsupported, ev.Kind)
	require.Equal(t, bot.Identity{Platform: bot.DingTalk, Tenant: testCorp, UserID: "emp01"}, ev.From)
	require.Equal(t, m.MsgId, ev.ID)
}

// A message the handler could not take in is refused, so DingTalk
// delivers it again; counted.
func TestFailedHandleIsRefused(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	rec := failingFirst(1)
	c := newChat(t, a, rec)
	m := c.text("emp01", "hello")
	_, err := c.handler(context.Background(), m)
	require.Error(t, err, "not acknowledged")
	require.Equal(t, 1.0, count(a.metrics.refused))
	c.deliver(m)
	require.Len(t, rec.Events(), 2, "the redelivery is taken")
	require.Equal(t, rec.Events()[0].ID, rec.Events()[1].ID)
}

// count reads a counter.
func count(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}

// stepClock is a clock that moves only when the adapter sleeps, so pacing
// is measured without waiting.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *stepClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return nil
}

// A broadcast is paced on the client to DingTalk's per-API limit: evenly,
// DINGTALK_QPS calls a second, so it runs at the limit without refusals.
func TestSendBatchIsPacedToTheLimit(t *testing.T) {
	for _, qps := range []int{0, 40} {
		t.Run(fmt.Sprint(qps), func(t *testing.T) {
			fake := newFake(t)
			clock := &stepClock{now: enginetest.Start}
			cfg := fake.config()
			cfg.QPS = qps
			ds := memory.New(clock.Now)
			t.Cleanup(func() { ds.Close() })
			a, err := New(cfg, Options{Dialog: ds, Clock: clock.Now, Sleep: clock.Sleep, retry: fastRetry})
			require.NoError(t, err)
			users := make([]string, 20*maxBatch)
			for i := range users {
				users[i] = fmt.Sprintf("u%03d", i)
			}
			start := clock.Now()
			res, err := a.SendBatch(t.Context(), users, bot.Message{Text: "hello"})
			require.NoError(t, err)
			require.Empty(t, res.Failed)
			require.Len(t, res.Refs, 20)
			// 20 calls, the first at once, then one every 1/qps seconds.
			every := time.Second / time.Duration(cmp.Or(qps, DefaultQPS))
			require.Equal(t, 19*every, clock.Now().Sub(start))
		})
	}
}
