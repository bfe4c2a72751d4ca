package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/platformtest"
	"github.com/perfbot/perfbot/scheduler"
)

// heapPeople is the size of the broadcasts TestBroadcastHeapIsFlat sends:
// small enough for a test under -race on a shared machine, large enough
// that the heap's noise between two samples is small beside a leak of
// heapBound bytes for each of the 4,500 recipients between them. The noise
// is mostly the batch in flight at a sample (its deliveries and people),
// which heapBatch keeps to tens of kilobytes.
const (
	heapPeople = 5000
	heapBatch  = 100
)

// heapBound is the most the live heap may grow per recipient, between 10 %
// and 100 % of a broadcast, in bytes. Nothing should be kept per
// recipient: the outbox rows are in the database, and what a batch holds is
// let go when the next one is claimed. The bound is half the smallest leak
// worth the name, keeping each recipient's bot.Identity (three string
// headers, 48 bytes, before the strings' bytes), which leakySender shows
// the check catches.
const heapBound = 24.0

// heapPlatforms sets a broadcast up on each platform, on clocks fast enough
// that the test is bound by perfbot, not by the platforms' limits. WeCom's
// clock matters for more than speed: its adapter keeps each member's sends
// of the last minute, to keep to WeCom's per-member limit (adapters/wecom
// memberLimiter), about 125 bytes a member until a sweep a minute later
// forgets them. That is memory held for a minute, not a leak, and on a
// clock 10,000 times as fast the minute is 6 ms; in real time a broadcast
// (10,000 members a second) holds all its members that long, and
// BenchmarkBroadcastWeCom's heap-B/recipient shows it.
var heapPlatforms = []struct {
	name     string
	identity func(int) bot.Identity
	setup    func(t *testing.T, x *bench)
}{
	{"WeCom", weComPerson, func(t *testing.T, x *bench) { x.weCom(t, platformtest.NewScaled(10_000)) }},
	{"DingTalk", dingTalkPerson, func(t *testing.T, x *bench) { x.dingTalk(t, platformtest.NewScaled(200)) }},
	{"Slack", slackPerson, func(t *testing.T, x *bench) {
		clock := platformtest.NewScaled(1000)
		x.sender = slackAdapter(t, x.slackFake(t, clock), clock, nil)
	}},
}

// The heap stays flat while a broadcast goes out on each platform: its live
// objects do not grow with the recipients sent beyond heapBound bytes each.
// A first broadcast to everyone fills what is bounded but not small (the
// Slack adapter's 1,024 direct-message channels, and its per-channel
// limiter, which forgets channels at rest once it holds 4,096); the second
// is measured. Last, on WeCom, a sender that keeps each recipient's
// identity fails the same check.
func TestBroadcastHeapIsFlat(t *testing.T) {
	for _, p := range heapPlatforms {
		t.Run(p.name, func(t *testing.T) {
			x := newBench(t, heapPeople, p.identity)
			x.batch = heapBatch
			p.setup(t, x)
			x.broadcast(t, "Open enrolment starts Monday", x.ids, func(bool) {})
			x.broadcast(t, "Open enrolment starts today", x.ids, func(bool) {})
			growth := x.heap.liveGrowth(t)
			t.Logf("%s: heap in use %v MB at 10/50/100 %%, %.1f B a recipient; live objects %.1f B a recipient",
				p.name, mb(x.heap.samples(t)), x.heap.growth(t), growth)
			require.Less(t, growth, heapBound, "the heap grows with the recipients sent")
			if p.name != "WeCom" {
				return
			}

			// The check catches a leak: the same broadcast again, through a
			// sender that keeps every recipient's identity.
			leak := leakyMulticaster{&leakySender{Sender: x.sender}, x.sender.(bot.Multicaster)}
			x.sender = leak
			x.broadcast(t, "Open enrolment starts today, again", x.ids, func(bool) {})
			leaked := x.heap.liveGrowth(t)
			t.Logf("%s, leaking: %.1f B a recipient", p.name, leaked)
			require.Greater(t, leaked, heapBound, "a sender keeping each recipient is caught")
			require.Len(t, leak.identities(), heapPeople)
		})
	}
}

func mb(inuse []uint64) []float64 {
	out := make([]float64, len(inuse))
	for i, n := range inuse {
		out[i] = float64(n*10/(1<<20)) / 10
	}
	return out
}

// leakySender keeps every recipient it sends to: a per-recipient leak.
type leakySender struct {
	scheduler.Sender
	mu   sync.Mutex
	kept []bot.Identity
}

func (l *leakySender) keep(ids ...bot.Identity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kept = append(l.kept, ids...)
}

func (l *leakySender) identities() []bot.Identity {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.kept
}

func (l *leakySender) Send(ctx context.Context, msg bot.Message) (bot.MessageRef, error) {
	l.keep(msg.To.Identity)
	return l.Sender.Send(ctx, msg)
}

// leakyMulticaster is leakySender for a platform that takes many
// recipients a call.
type leakyMulticaster struct {
	*leakySender
	m bot.Multicaster
}

func (l leakyMulticaster) BatchSize() int { return l.m.BatchSize() }

func (l leakyMulticaster) SendMany(ctx context.Context, to []bot.Identity, msg bot.Message) ([]bot.Refusal, error) {
	l.keep(to...)
	return l.m.SendMany(ctx, to, msg)
}

// A DingTalk broadcast keeps near DingTalk's rate even when each call takes
// three times the 50 ms between calls to be answered, as from far away:
// the calls are in flight together. One after another, each waiting for
// the answer and the record of the one before, they would reach a third.
// What is still lost is at the end of each claimed batch (500 people, 25
// calls): the next claim waits for the batch's last answers, and the pacer
// has no call for those slots (0.91 of the rate measured here, 0.80 under
// -race on a loaded machine).
func TestDingTalkBroadcastKeepsPaceWithSlowAnswers(t *testing.T) {
	const people = 1000 // 50 calls: 2.5 s at 20 a second
	x := newBench(t, people, dingTalkPerson)
	o := x.fakeOptions(time.Now)
	o.Delay = 150 * time.Millisecond
	fake := platformtest.NewDingTalk(o)
	t.Cleanup(fake.Close)
	x.dingTalkOn(t, fake, nil)
	took := x.broadcast(t, "Open enrolment starts today", x.ids, func(bool) {})
	share := float64(people) / took.Seconds() / x.allowed
	t.Logf("%d people in %v: %.2f of the allowed rate, %d limit answers", people, took, share, x.rec.Limited())
	require.Equal(t, people, x.rec.Total())
	require.Zero(t, x.rec.Limited(), "the pacer kept the calls under the limit")
	require.Greater(t, share, 0.6, "calls wait for one another")
}
