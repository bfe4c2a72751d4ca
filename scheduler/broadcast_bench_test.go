package scheduler_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/platformtest"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/scheduler"
)

// benchPeople is the size of a benchmarked broadcast.
const benchPeople = 10000

// bench is a 10,000-person broadcast through one real adapter to a fake
// platform that enforces the platform's limits.
type bench struct {
	st      store.Store
	ids     []int64
	texts   *i18n.Catalog
	sender  scheduler.Sender
	rec     *platformtest.Received
	allowed float64            // recipients a second the platform allows
	now     func() time.Time   // the platform's clock
	reset   func(b *testing.B) // called before each broadcast, untimed
	check   func(b *testing.B) // called after each, untimed
}

// newBench seeds a SQLite store with benchPeople people reached as
// identity(i) says.
func newBench(b *testing.B, identity func(i int) bot.Identity) *bench {
	b.Helper()
	st, err := sqlstore.Open(b.Context(), "sqlite:"+filepath.Join(b.TempDir(), "perfbot.db"), time.Now)
	require.NoError(b, err)
	b.Cleanup(func() { st.Close() })
	require.NoError(b, st.Migrate(b.Context()))
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(b, err)
	ids := make([]int64, benchPeople)
	for i := range ids {
		p := bot.Person{Name: fmt.Sprintf("Person %d", i), Locale: bot.LocaleEN, Identities: []bot.Identity{identity(i)}}
		require.NoError(b, st.SavePerson(b.Context(), &p))
		ids[i] = p.ID
	}
	return &bench{st: st, ids: ids, texts: texts, now: time.Now}
}

// run sends b.N broadcasts, each to everyone, and reports the rate achieved
// on the platform's clock, the rate allowed, their ratio, and the answers
// refusing a call for going over a limit.
func (x *bench) run(b *testing.B) {
	var (
		took    time.Duration
		limited = x.rec.Limited()
		got     = x.rec.Total()
	)
	b.ResetTimer()
	for op := range b.N {
		b.StopTimer()
		if x.reset != nil {
			x.reset(b)
		}
		bc, err := scheduler.NewBroadcaster(scheduler.BroadcasterOptions{Store: x.st, Senders: []scheduler.Sender{x.sender}, Texts: x.texts})
		require.NoError(b, err)
		bcast := store.Broadcast{Text: fmt.Sprintf("Broadcast %d", op)}
		_, err = x.st.CreateBroadcast(b.Context(), &bcast, x.ids)
		require.NoError(b, err)
		b.StartTimer()
		start := x.now()
		require.NoError(b, bc.Tick(b.Context()))
		took += x.now().Sub(start)
		b.StopTimer()
		s, err := x.st.BroadcastStatus(b.Context(), bcast.ID)
		require.NoError(b, err)
		require.Equal(b, benchPeople, s.Sent, "everyone was sent it: %+v", s.Failures)
		if x.check != nil {
			x.check(b)
		}
		b.StartTimer()
	}
	b.StopTimer()
	require.Equal(b, got+b.N*benchPeople, x.rec.Total(), "each person got each broadcast once")
	rate := float64(b.N*benchPeople) / took.Seconds()
	b.ReportMetric(rate, "recipients/s")
	b.ReportMetric(x.allowed, "allowed/s")
	b.ReportMetric(rate/x.allowed, "share")
	b.ReportMetric(float64(x.rec.Limited()-limited)/float64(b.N), "limit-answers/op")
}

// WeCom: message/send to up to 1,000 members a call, 10,000 calls a minute
// per corp (enforced as its per-second rate), 45009 when over.
func BenchmarkBroadcastWeCom(b *testing.B) {
	fake := platformtest.NewWeCom(platformtest.Options{})
	b.Cleanup(fake.Close)
	x := newBench(b, func(i int) bot.Identity {
		return bot.Identity{Platform: bot.WeCom, Tenant: platformtest.WeComCorp, UserID: fmt.Sprintf("u%05d", i)}
	})
	ds := memory.New(time.Now)
	b.Cleanup(func() { ds.Close() })
	a, err := wecom.New(wecom.Config{CorpID: platformtest.WeComCorp, AgentID: platformtest.WeComAgent,
		Secret: platformtest.WeComSecret, Token: platformtest.WeComToken,
		EncodingAESKey: platformtest.WeComEncodingAESKey, APIBase: fake.URL()}, wecom.Options{Dialog: ds})
	require.NoError(b, err)
	x.sender, x.rec, x.allowed = a, fake.Received(), fake.AllowedPerSecond()
	x.run(b)
}

// DingTalk: batchSend to up to 20 users a call, 20 calls a second, HTTP
// 429 when over.
func BenchmarkBroadcastDingTalk(b *testing.B) {
	fake := platformtest.NewDingTalk(platformtest.Options{})
	b.Cleanup(fake.Close)
	x := newBench(b, func(i int) bot.Identity {
		return bot.Identity{Platform: bot.DingTalk, Tenant: platformtest.DingTalkCorp, UserID: fmt.Sprintf("u%05d", i)}
	})
	ds := memory.New(time.Now)
	b.Cleanup(func() { ds.Close() })
	a, err := dingtalk.New(dingtalk.Config{ClientID: platformtest.DingTalkClient, ClientSecret: platformtest.DingTalkSecret,
		RobotCode: platformtest.DingTalkClient, Mode: dingtalk.ModeStream, Buttons: dingtalk.ButtonsCard,
		APIBase: fake.URL(), OAPIBase: fake.URL(), CorpID: platformtest.DingTalkCorp}, dingtalk.Options{Dialog: ds})
	require.NoError(b, err)
	x.sender, x.rec, x.allowed = a, fake.Received(), fake.AllowedPerSecond()
	x.run(b)
}

// slackScale is how much faster than real time the Slack benchmarks run:
// Slack's limits are per minute, and a 10,000-person broadcast takes over
// half an hour at them. The adapter and the fake share the scaled clock;
// the store and HTTP are not scaled, so the larger the scale the more their
// real time weighs on the share. Cold and warm run at the same scale, so
// their figures compare.
const slackScale = 100

// Slack: one chat.postMessage per person; 300 a minute per workspace in
// bursts of 20, about one a second per channel, and conversations.open
// (Tier 3) 50 a minute; 429 and Retry-After when over. Cold, nobody's
// direct-message channel is known yet: the message names the user, and
// Slack opens the channel (no conversations.open); warm, all are known.
func BenchmarkBroadcastSlack(b *testing.B) {
	for _, cold := range []bool{true, false} {
		name := map[bool]string{true: "cold", false: "warm"}[cold]
		b.Run(name, func(b *testing.B) {
			clock := platformtest.NewScaled(slackScale)
			fake := platformtest.NewSlack(platformtest.Options{Now: clock.Now})
			b.Cleanup(fake.Close)
			user := func(i int) string { return fmt.Sprintf("U%05d", i) }
			x := newBench(b, func(i int) bot.Identity {
				return bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: user(i)}
			})
			x.rec, x.allowed, x.now = fake.Received(), fake.AllowedPerSecond(), clock.Now
			x.reset = func(b *testing.B) {
				// A new adapter each time: its limiter and its memory of
				// channels start afresh.
				ds := memory.New(time.Now) // its entries outlive the scaled hours
				b.Cleanup(func() { ds.Close() })
				if !cold {
					for i := range benchPeople {
						// The adapter's shared cache of direct-message channels.
						_, err := ds.Set(b.Context(), "slack:dm:T1:"+user(i), 0, []byte("D"+user(i)), 24*time.Hour)
						require.NoError(b, err)
					}
				}
				a, err := slack.New(slack.Options{Config: slack.Config{BotToken: "xoxb-bench", APIURL: fake.URL()},
					Clock: clock.Now, Sleep: clock.Sleep, Dialog: ds})
				require.NoError(b, err)
				x.sender = a
			}
			x.check = func(b *testing.B) {
				require.Zero(b, fake.Opened(), "no conversations.open: chat.postMessage opens the channel")
			}
			x.run(b)
		})
	}
}
