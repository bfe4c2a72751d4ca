package scheduler_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/platformtest"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/scheduler"
)

// benchPeople is the size of a benchmarked broadcast: 100,000 people, the
// proof under load (issue 17). A quick run takes fewer:
//
//	go test -run '^$' -bench Broadcast -benchtime 1x ./scheduler/ -broadcast.people=10000
var benchPeople = flag.Int("broadcast.people", 100_000, "people each broadcast benchmark sends to")

// heapShares are the shares of a broadcast's recipients at which the heap
// is sampled.
var heapShares = []float64{0.1, 0.5, 1}

// bench is a broadcast to people through one real adapter to a fake
// platform that enforces the platform's limits.
type bench struct {
	st      store.Store
	ids     []int64
	texts   *i18n.Catalog
	sender  scheduler.Sender
	rec     *platformtest.Received
	heap    *heapSampler
	batch   int                // the Broadcaster's Batch; 0 is its default
	allowed float64            // recipients a second the platform allows
	now     func() time.Time   // the platform's clock
	reset   func(b *testing.B) // called before each broadcast, untimed
	check   func(b *testing.B) // called after each, untimed
}

// newBench seeds a SQLite store with people reached as identity(i) says.
func newBench(tb testing.TB, people int, identity func(i int) bot.Identity) *bench {
	tb.Helper()
	st, err := sqlstore.Open(tb.Context(), "sqlite:"+filepath.Join(tb.TempDir(), "perfbot.db"), time.Now)
	require.NoError(tb, err)
	tb.Cleanup(func() { st.Close() })
	require.NoError(tb, st.Migrate(tb.Context()))
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(tb, err)
	ids := make([]int64, people)
	for i := range ids {
		p := bot.Person{Name: fmt.Sprintf("Person %d", i), Locale: bot.LocaleEN, Identities: []bot.Identity{identity(i)}}
		require.NoError(tb, st.SavePerson(tb.Context(), &p))
		ids[i] = p.ID
	}
	return &bench{st: st, ids: ids, texts: texts, now: time.Now, heap: &heapSampler{}}
}

// broadcast queues one broadcast to the people of ids and sends it with a
// new Broadcaster, timed on the platform's clock from the first claim to
// the last record; the heap is sampled as it goes. It checks everyone was
// sent it.
func (x *bench) broadcast(tb testing.TB, text string, ids []int64, timing func(start bool)) time.Duration {
	tb.Helper()
	bc, err := scheduler.NewBroadcaster(scheduler.BroadcasterOptions{Store: sampledStore{x.st, x.heap, x.rec},
		Senders: []scheduler.Sender{x.sender}, Texts: x.texts, Batch: x.batch})
	require.NoError(tb, err)
	bcast := store.Broadcast{Text: text}
	_, err = x.st.CreateBroadcast(tb.Context(), &bcast, ids)
	require.NoError(tb, err)
	x.heap.begin(x.rec.Total(), len(ids))
	timing(true)
	start := x.now()
	require.NoError(tb, bc.Tick(tb.Context()))
	took := x.now().Sub(start)
	timing(false)
	s, err := x.st.BroadcastStatus(tb.Context(), bcast.ID)
	require.NoError(tb, err)
	require.Equal(tb, len(ids), s.Sent, "everyone was sent it: %+v", s.Failures)
	return took
}

// run sends b.N broadcasts, each to everyone, and reports the rate achieved
// on the platform's clock, the rate allowed, their ratio, the answers
// refusing a call for going over a limit, and the heap (HeapInuse after a
// full GC) at 10 %, 50 % and 100 % of the last broadcast's recipients, and
// its growth per recipient from 10 % to 100 %. What is bounded fills in the
// first few thousand recipients (the Slack adapter's 1,024 direct-message
// channels and its limiter's 4,096 channels), so with 10,000 people it
// still shows in the growth (about 70 B a recipient on Slack), with
// 100,000 no longer.
func (x *bench) run(b *testing.B) {
	var (
		took    time.Duration
		limited = x.rec.Limited()
		got     = x.rec.Total()
	)
	timing := func(start bool) {
		if start {
			b.StartTimer()
		} else {
			b.StopTimer()
		}
	}
	b.ResetTimer()
	b.StopTimer()
	for op := range b.N {
		if x.reset != nil {
			x.reset(b)
		}
		took += x.broadcast(b, fmt.Sprintf("Broadcast %d", op), x.ids, timing)
		if x.check != nil {
			x.check(b)
		}
	}
	people := len(x.ids)
	require.Equal(b, got+b.N*people, x.rec.Total(), "each person got each broadcast once")
	rate := float64(b.N*people) / took.Seconds()
	b.ReportMetric(rate, "recipients/s")
	b.ReportMetric(x.allowed, "allowed/s")
	b.ReportMetric(rate/x.allowed, "share")
	b.ReportMetric(float64(x.rec.Limited()-limited)/float64(b.N), "limit-answers/op")
	inuse := x.heap.samples(b)
	for i, share := range heapShares {
		b.ReportMetric(float64(inuse[i])/(1<<20), fmt.Sprintf("heap-MB@%d%%", int(share*100)))
	}
	b.ReportMetric(x.heap.growth(b), "heap-B/recipient")
}

// heapSampler samples the heap while a broadcast is under way: after a
// full GC, once heapShares of its recipients are delivered, when the
// Broadcaster next claims a batch. Then the batch before is all sent and
// recorded, and no call is in flight, holding its buffers: what is left is
// what the Broadcaster, the adapter and the fake keep. The GC delays that
// claim by a few milliseconds, three times a broadcast.
type heapSampler struct {
	mu     sync.Mutex
	base   int // the fake's total when the broadcast began
	people int
	inuse  []uint64 // HeapInuse at each share reached so far
	live   []uint64 // and HeapAlloc: the bytes of live objects
}

// sampledStore is the store, sampling the heap before each claim.
type sampledStore struct {
	store.Store
	heap *heapSampler
	rec  *platformtest.Received
}

func (s sampledStore) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.BroadcastDelivery, error) {
	s.heap.sample(s.rec.Total())
	return s.Store.ClaimDeliveries(ctx, now, lease, limit)
}

// begin starts sampling a broadcast to people, the fake having delivered
// base messages before it.
func (h *heapSampler) begin(base, people int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.base, h.people, h.inuse, h.live = base, people, h.inuse[:0], h.live[:0]
}

// sample samples the heap if total, the fake's, reaches the next share.
func (h *heapSampler) sample(total int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := total - h.base
	for len(h.inuse) < len(heapShares) && float64(got) >= heapShares[len(h.inuse)]*float64(h.people) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.inuse, h.live = append(h.inuse, m.HeapInuse), append(h.live, m.HeapAlloc)
	}
}

// samples is HeapInuse at each of heapShares.
func (h *heapSampler) samples(tb testing.TB) []uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Len(tb, h.inuse, len(heapShares), "the heap was sampled at each share")
	return append([]uint64(nil), h.inuse...)
}

// growth is how many bytes the heap in use grew per recipient from the
// first sample to the last (negative when it shrank).
func (h *heapSampler) growth(tb testing.TB) float64 {
	return h.perRecipient(h.samples(tb))
}

// liveGrowth is growth of the live objects (HeapAlloc after the GC), which
// a leak grows byte for byte; the heap in use moves by whole spans too.
func (h *heapSampler) liveGrowth(tb testing.TB) float64 {
	h.samples(tb)
	h.mu.Lock()
	live := append([]uint64(nil), h.live...)
	h.mu.Unlock()
	return h.perRecipient(live)
}

func (h *heapSampler) perRecipient(s []uint64) float64 {
	first, last := heapShares[0], heapShares[len(heapShares)-1]
	return (float64(s[len(s)-1]) - float64(s[0])) / ((last - first) * float64(h.people))
}

// fakeOptions are the options of a fake a benchmark uses: it keeps only
// totals, so the heap sampled is the sender's.
func (x *bench) fakeOptions(now func() time.Time) platformtest.Options {
	return platformtest.Options{Now: now, TotalOnly: true}
}

// weCom sets x up to send on WeCom: message/send to up to 1,000 members a
// call, 10,000 calls a minute per corp (enforced as its per-second rate),
// 45009 when over. With clock, the adapter and the fake run on it; nil is
// real time.
func (x *bench) weCom(tb testing.TB, clock *platformtest.Scaled) {
	now, o := time.Now, wecom.Options{}
	if clock != nil {
		now, o.Clock, o.Sleep = clock.Now, clock.Now, clock.Sleep
	}
	fake := platformtest.NewWeCom(x.fakeOptions(now))
	tb.Cleanup(fake.Close)
	ds := memory.New(time.Now)
	tb.Cleanup(func() { ds.Close() })
	o.Dialog = ds
	a, err := wecom.New(wecom.Config{CorpID: platformtest.WeComCorp, AgentID: platformtest.WeComAgent,
		Secret: platformtest.WeComSecret, Token: platformtest.WeComToken,
		EncodingAESKey: platformtest.WeComEncodingAESKey, APIBase: fake.URL()}, o)
	require.NoError(tb, err)
	x.sender, x.rec, x.allowed, x.now = a, fake.Received(), fake.AllowedPerSecond(), now
}

func weComPerson(i int) bot.Identity {
	return bot.Identity{Platform: bot.WeCom, Tenant: platformtest.WeComCorp, UserID: fmt.Sprintf("u%06d", i)}
}

// dingTalk sets x up to send on DingTalk: batchSend to up to 20 users a
// call, 20 calls a second, HTTP 429 when over. With clock, the adapter's
// pacer and the fake's limit run on it; nil is real time.
func (x *bench) dingTalk(tb testing.TB, clock *platformtest.Scaled) {
	o := x.fakeOptions(time.Now)
	if clock != nil {
		o.Now = clock.Now
	}
	fake := platformtest.NewDingTalk(o)
	tb.Cleanup(fake.Close)
	x.dingTalkOn(tb, fake, clock)
}

// dingTalkOn sets x up to send to fake, started on clock (nil: real time).
func (x *bench) dingTalkOn(tb testing.TB, fake *platformtest.DingTalk, clock *platformtest.Scaled) {
	now, o := time.Now, dingtalk.Options{}
	if clock != nil {
		now, o.Clock, o.Sleep = clock.Now, clock.Now, clock.Sleep
	}
	ds := memory.New(time.Now)
	tb.Cleanup(func() { ds.Close() })
	o.Dialog = ds
	a, err := dingtalk.New(dingtalk.Config{ClientID: platformtest.DingTalkClient, ClientSecret: platformtest.DingTalkSecret,
		RobotCode: platformtest.DingTalkClient, Mode: dingtalk.ModeStream, Buttons: dingtalk.ButtonsCard,
		APIBase: fake.URL(), OAPIBase: fake.URL(), CorpID: platformtest.DingTalkCorp}, o)
	require.NoError(tb, err)
	x.sender, x.rec, x.allowed, x.now = a, fake.Received(), fake.AllowedPerSecond(), now
}

func dingTalkPerson(i int) bot.Identity {
	return bot.Identity{Platform: bot.DingTalk, Tenant: platformtest.DingTalkCorp, UserID: fmt.Sprintf("u%06d", i)}
}

// slackFake starts a fake Slack on clock for x.
func (x *bench) slackFake(tb testing.TB, clock *platformtest.Scaled) *platformtest.Slack {
	fake := platformtest.NewSlack(x.fakeOptions(clock.Now))
	tb.Cleanup(fake.Close)
	x.rec, x.allowed, x.now = fake.Received(), fake.AllowedPerSecond(), clock.Now
	return fake
}

// slackAdapter is a new Slack adapter on clock, sharing direct-message
// channels through ds (nil: none shared).
func slackAdapter(tb testing.TB, fake *platformtest.Slack, clock *platformtest.Scaled, ds dialog.Store) *slack.Adapter {
	a, err := slack.New(slack.Options{Config: slack.Config{BotToken: "xoxb-bench", APIURL: fake.URL()},
		Clock: clock.Now, Sleep: clock.Sleep, Dialog: ds})
	require.NoError(tb, err)
	return a
}

func slackUser(i int) string { return fmt.Sprintf("U%06d", i) }

func slackPerson(i int) bot.Identity {
	return bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: slackUser(i)}
}

func BenchmarkBroadcastWeCom(b *testing.B) {
	x := newBench(b, *benchPeople, weComPerson)
	x.weCom(b, nil)
	x.run(b)
}

func BenchmarkBroadcastDingTalk(b *testing.B) {
	x := newBench(b, *benchPeople, dingTalkPerson)
	x.dingTalk(b, nil) // real time: 100,000 people take 250 s
	x.run(b)
}

// slackScale is how much faster than real time the Slack benchmarks run.
// Slack's limit on chat.postMessage is per workspace, about 300 a minute
// (the fake: one every 200 ms, bursts of 20); its other limit, about one a
// second per channel, does not bind a broadcast, which writes once to each
// person's own direct-message channel. At 5 a second 100,000 people take
// 5.6 hours of real time, so the adapter and the fake share a clock 100
// times faster (the clock and sleep the adapter accepts for this): the
// figures are on that clock, and the run takes 200 s. The store and HTTP
// are not scaled, so the larger the scale the more their real time weighs
// on the share. Cold and warm run at the same scale, so their figures
// compare.
const slackScale = 100

// Slack: one chat.postMessage per person; 300 a minute per workspace in
// bursts of 20, about one a second per channel, and conversations.open
// (Tier 3) 50 a minute; 429 and Retry-After when over. Cold, nobody's
// direct-message channel is known yet: the message names the user, and
// Slack opens the channel (no conversations.open); warm, all are known, in
// the store replicas share. Cold shares none: in production that store is
// Redis or the database, outside the heap sampled, and an in-memory one
// would count 100,000 channels it learns as perfbot's.
func BenchmarkBroadcastSlack(b *testing.B) {
	for _, cold := range []bool{true, false} {
		name := map[bool]string{true: "cold", false: "warm"}[cold]
		b.Run(name, func(b *testing.B) {
			clock := platformtest.NewScaled(slackScale)
			x := newBench(b, *benchPeople, slackPerson)
			fake := x.slackFake(b, clock)
			x.reset = func(b *testing.B) {
				// A new adapter each time: its limiter and its memory of
				// channels start afresh.
				if cold {
					x.sender = slackAdapter(b, fake, clock, nil)
					return
				}
				ds := memory.New(time.Now) // its entries outlive the scaled hours
				b.Cleanup(func() { ds.Close() })
				for i := range len(x.ids) {
					// The adapter's shared cache of direct-message channels.
					_, err := ds.Set(b.Context(), "slack:dm:T1:"+slackUser(i), 0, []byte("D"+slackUser(i)), 24*time.Hour)
					require.NoError(b, err)
				}
				x.sender = slackAdapter(b, fake, clock, ds)
			}
			x.check = func(b *testing.B) {
				require.Zero(b, fake.Opened(), "no conversations.open: chat.postMessage opens the channel")
			}
			x.run(b)
		})
	}
}
