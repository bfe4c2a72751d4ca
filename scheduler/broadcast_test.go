package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/scheduler"
)

// sent is one message a fake platform delivered to one person.
type sent struct {
	To  bot.Identity
	Msg bot.Message
}

// recorder keeps what fake platforms delivered; it is safe for concurrent
// use, and shared by the platforms of several Broadcasters.
type recorder struct {
	mu   sync.Mutex
	sent []sent
}

func (r *recorder) add(to bot.Identity, m bot.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sent{to, m})
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.sent)
}

// to lists the messages user received.
func (r *recorder) to(user string) []bot.Message {
	var out []bot.Message
	for _, s := range r.all() {
		if s.To.UserID == user {
			out = append(out, s.Msg)
		}
	}
	return out
}

// multicaster is a fake platform that takes many recipients a call, like
// WeCom: refuse says who it refuses.
type multicaster struct {
	platform bot.Platform
	batch    int
	rec      *recorder
	mu       sync.Mutex
	calls    [][]bot.Identity
	refuse   map[string]bot.Refusal
	failNext int // calls to fail as a whole
}

func (m *multicaster) Platform() bot.Platform { return m.platform }
func (m *multicaster) BatchSize() int         { return m.batch }
func (m *multicaster) Send(context.Context, bot.Message) (bot.MessageRef, error) {
	return "", errors.New("multicaster: Send is not for broadcasts")
}

func (m *multicaster) SendMany(_ context.Context, to []bot.Identity, msg bot.Message) ([]bot.Refusal, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, slices.Clone(to))
	if m.failNext > 0 {
		m.failNext--
		return nil, errors.New("platform busy")
	}
	var refused []bot.Refusal
	for _, id := range to {
		if r, ok := m.refuse[id.UserID]; ok {
			r.Identity = id
			refused = append(refused, r)
			continue
		}
		m.rec.add(id, msg)
	}
	return refused, nil
}

func (m *multicaster) callSizes() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n []int
	for _, c := range m.calls {
		n = append(n, len(c))
	}
	return n
}

// single is a fake platform that sends one message a call, like Slack:
// fail says how many more sends to a user fail (-1: always); a user in
// closed is refused for good (bot.ErrPermanent).
type single struct {
	platform bot.Platform
	rec      *recorder
	mu       sync.Mutex
	fail     map[string]int
	closed   map[string]bool
	tries    map[string]int
}

func newSingle(p bot.Platform, rec *recorder) *single {
	return &single{platform: p, rec: rec, fail: map[string]int{}, closed: map[string]bool{}, tries: map[string]int{}}
}

func (s *single) Platform() bot.Platform { return s.platform }

func (s *single) Send(_ context.Context, m bot.Message) (bot.MessageRef, error) {
	s.mu.Lock()
	s.tries[m.To.UserID]++
	n, closed := s.fail[m.To.UserID], s.closed[m.To.UserID]
	if n != 0 {
		s.fail[m.To.UserID] = n - 1
	}
	s.mu.Unlock()
	if closed {
		return "", fmt.Errorf("messages_tab_disabled (%s): %w", m.To.UserID, bot.ErrPermanent)
	}
	if n != 0 {
		return "", fmt.Errorf("channel_not_found (%s)", m.To.UserID)
	}
	s.rec.add(m.To.Identity, m)
	return "ref", nil
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// bcWorld is a store with people on two fake platforms.
type bcWorld struct {
	t     *testing.T
	store store.Store
	clock *clock
	texts *i18n.Catalog
	rec   *recorder
	wecom *multicaster
	slack *single
}

func newBCWorld(t *testing.T, url string) *bcWorld {
	c := &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	st, err := sqlstore.Open(t.Context(), url, c.Now)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	rec := &recorder{}
	return &bcWorld{t: t, store: st, clock: c, texts: texts, rec: rec,
		wecom: &multicaster{platform: bot.WeCom, batch: 1000, rec: rec, refuse: map[string]bot.Refusal{}},
		slack: newSingle(bot.Slack, rec)}
}

func sqliteURL(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "perfbot.db") }

// person saves someone reached on platform as user ("" for nowhere).
func (w *bcWorld) person(user string, platform bot.Platform, locale string) int64 {
	w.t.Helper()
	p := bot.Person{Name: user, Locale: locale}
	if platform != "" {
		p.Identities = []bot.Identity{{Platform: platform, Tenant: "T", UserID: user}}
	}
	require.NoError(w.t, w.store.SavePerson(w.t.Context(), &p))
	return p.ID
}

func (w *bcWorld) broadcaster(o scheduler.BroadcasterOptions) *scheduler.Broadcaster {
	w.t.Helper()
	if o.Store == nil {
		o.Store = w.store
	}
	o.Texts, o.Clock = w.texts, w.clock.Now
	if o.Senders == nil {
		o.Senders = []scheduler.Sender{w.wecom, w.slack}
	}
	b, err := scheduler.NewBroadcaster(o)
	require.NoError(w.t, err)
	return b
}

func (w *bcWorld) create(b store.Broadcast, ids []int64) store.Broadcast {
	w.t.Helper()
	_, err := w.store.CreateBroadcast(w.t.Context(), &b, ids)
	require.NoError(w.t, err)
	return b
}

func (w *bcWorld) status(id int64) store.BroadcastStatus {
	w.t.Helper()
	s, err := w.store.BroadcastStatus(w.t.Context(), id)
	require.NoError(w.t, err)
	return s
}

func TestBroadcasterMulticastAndOneByOne(t *testing.T) {
	w := newBCWorld(t, sqliteURL(t))
	var ids []int64
	for i := range 5 {
		ids = append(ids, w.person(fmt.Sprintf("wc%d", i), bot.WeCom, bot.LocaleEN))
	}
	ids = append(ids, w.person("wczh", bot.WeCom, bot.LocaleZH))
	for i := range 3 {
		ids = append(ids, w.person(fmt.Sprintf("sl%d", i), bot.Slack, bot.LocaleEN))
	}
	nowhere := w.person("nowhere", "", bot.LocaleEN)
	ids = append(ids, nowhere)
	w.wecom.batch = 2
	b := w.create(store.Broadcast{Text: "Review cycle opens Monday @all", Ack: true}, ids)

	require.NoError(t, w.broadcaster(scheduler.BroadcasterOptions{}).Tick(t.Context()))

	// Five English WeCom recipients in calls of two, one Chinese one in its own.
	require.ElementsMatch(t, []int{2, 2, 1, 1}, w.wecom.callSizes())
	en, zh := w.rec.to("wc0"), w.rec.to("wczh")
	require.Len(t, en, 1)
	require.Len(t, zh, 1)
	require.Equal(t, "Announcement from HR", en[0].Title, "sent from the command line")
	require.Equal(t, "来自人力资源部的通知", zh[0].Title)
	require.Equal(t, "Review cycle opens Monday @\u2060all", en[0].Text, "neutralized")
	require.Equal(t, []bot.Button{{Label: "I've read it", Value: fmt.Sprintf("ack:%d:0", b.ID), Style: bot.StylePrimary}}, en[0].Buttons)
	require.Equal(t, "我已阅读", zh[0].Buttons[0].Label)
	for i := range 3 {
		got := w.rec.to(fmt.Sprintf("sl%d", i))
		require.Len(t, got, 1, "one by one on a platform without multicast")
		require.Equal(t, bot.Slack, got[0].To.Platform)
	}
	s := w.status(b.ID)
	require.Equal(t, 10, s.Total)
	require.Equal(t, 9, s.Sent)
	require.Equal(t, 1, s.Failed)
	require.Equal(t, []store.BroadcastFailure{{PersonID: nowhere, Name: "nowhere", Kind: store.BroadcastAnnounce,
		Reason: "unreachable: no identity on a connected platform"}}, s.Failures)
	require.Len(t, w.rec.all(), 9)
}

func TestBroadcasterRefusalsAndRetries(t *testing.T) {
	w := newBCWorld(t, sqliteURL(t))
	ok := w.person("ok", bot.WeCom, bot.LocaleEN)
	invalid := w.person("invalid", bot.WeCom, bot.LocaleEN)
	busy := w.person("busy", bot.WeCom, bot.LocaleEN)
	flaky := w.person("flaky", bot.Slack, bot.LocaleEN)
	gone := w.person("gone", bot.Slack, bot.LocaleEN)
	w.wecom.refuse["invalid"] = bot.Refusal{Reason: "invalid"}
	w.wecom.refuse["busy"] = bot.Refusal{Reason: "flow_controlled", Temporary: true}
	w.slack.fail["flaky"] = 1
	w.slack.fail["gone"] = -1
	b := w.create(store.Broadcast{Text: "Hello"}, []int64{ok, invalid, busy, flaky, gone})
	bc := w.broadcaster(scheduler.BroadcasterOptions{Tries: 3, Retry: time.Minute})

	require.NoError(t, bc.Tick(t.Context()))
	s := w.status(b.ID)
	require.Equal(t, 1, s.Sent)
	require.Equal(t, 1, s.Failed, "invalid is refused for good")
	require.Equal(t, 3, s.Pending, "the others wait for a retry")
	require.NoError(t, bc.Tick(t.Context()))
	require.Equal(t, 1, w.status(b.ID).Sent, "a retry waits its turn")

	delete(w.wecom.refuse, "busy")
	for range 5 {
		w.clock.Add(time.Hour)
		require.NoError(t, bc.Tick(t.Context()))
	}
	s = w.status(b.ID)
	require.Equal(t, 3, s.Sent, "ok, busy on its retry, flaky on its retry")
	require.Equal(t, 2, s.Failed)
	reasons := map[int64]string{}
	for _, f := range s.Failures {
		reasons[f.PersonID] = f.Reason
	}
	require.Equal(t, map[int64]string{invalid: "invalid", gone: "channel_not_found (gone)"}, reasons)
	require.Len(t, w.rec.to("flaky"), 1)
	require.Len(t, w.rec.to("busy"), 1)
	require.Empty(t, w.rec.to("gone"))

	// A refusal for good is recorded at once, not tried again.
	closed := w.person("closed", bot.Slack, bot.LocaleEN)
	w.slack.closed["closed"] = true
	shut := w.create(store.Broadcast{Text: "Closed"}, []int64{closed})
	require.NoError(t, bc.Tick(t.Context()))
	s = w.status(shut.ID)
	require.Equal(t, 1, s.Failed, "failed for good on the first try: %+v", s)
	require.Zero(t, s.Pending)
	require.Equal(t, "messages_tab_disabled (closed): permanent refusal", s.Failures[0].Reason)
	w.clock.Add(time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	w.slack.mu.Lock()
	require.Equal(t, 1, w.slack.tries["closed"], "sent once")
	w.slack.mu.Unlock()

	// A call that fails as a whole is retried as a whole.
	again := w.create(store.Broadcast{Text: "Again"}, []int64{ok, busy})
	w.wecom.failNext = 1
	require.NoError(t, bc.Tick(t.Context()))
	require.Equal(t, 2, w.status(again.ID).Pending)
	w.clock.Add(time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	require.Equal(t, 2, w.status(again.ID).Sent)
}

func TestBroadcasterRemindsNonAckersOnce(t *testing.T) {
	w := newBCWorld(t, sqliteURL(t))
	reader := w.person("reader", bot.WeCom, bot.LocaleEN)
	late := w.person("late", bot.Slack, bot.LocaleEN)
	zh := w.person("zh", bot.WeCom, bot.LocaleZH)
	author := w.person("Wang Fang", "", bot.LocaleZH)
	b := w.create(store.Broadcast{Text: "Policy", Ack: true, RemindAfter: 48 * time.Hour, AuthorID: author}, []int64{reader, late, zh})
	plain := w.create(store.Broadcast{Text: "FYI"}, []int64{reader, late})
	bc := w.broadcaster(scheduler.BroadcasterOptions{})
	require.NoError(t, bc.Tick(t.Context()))
	_, err := w.store.Ack(t.Context(), b.ID, reader, w.clock.Now())
	require.NoError(t, err)

	w.clock.Add(47 * time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.all(), 5, "no reminder before it is due")

	w.clock.Add(time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	w.clock.Add(100 * time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.to("reader"), 2, "the announcement and FYI: no reminder after reading")
	lateGot := w.rec.to("late")
	require.Len(t, lateGot, 3, "policy, FYI and one reminder")
	require.Equal(t, "Announcement from Wang Fang", lateGot[0].Title, "the card says who sent it")
	require.Equal(t, "Reminder: announcement from Wang Fang", lateGot[2].Title)
	require.Contains(t, lateGot[2].Text, "Policy")
	require.Equal(t, fmt.Sprintf("ack:%d:0", b.ID), lateGot[2].Buttons[0].Value)
	zhGot := w.rec.to("zh")
	require.Len(t, zhGot, 2)
	require.Equal(t, "来自Wang Fang的通知", zhGot[0].Title)
	require.Equal(t, "提醒：来自Wang Fang的通知", zhGot[1].Title)
	require.Equal(t, 2, w.status(b.ID).Reminded)
	require.Zero(t, w.status(plain.ID).Reminded)
}

// Two Broadcasters, as two replicas on one PostgreSQL database, split a
// 2,000-person broadcast: everyone gets it exactly once.
func TestBroadcastersShareOnePostgres(t *testing.T) {
	url := testdb.Postgres(t)
	w := newBCWorld(t, url)
	const n = 2000
	var ids []int64
	for i := range n {
		platform := bot.WeCom
		if i%2 == 1 {
			platform = bot.Slack
		}
		ids = append(ids, w.person(fmt.Sprintf("u%04d", i), platform, bot.LocaleEN))
	}
	w.wecom.batch = 50
	b := w.create(store.Broadcast{Text: "All hands", Ack: true}, ids)

	var (
		wg   sync.WaitGroup
		errs = make(chan error, 2)
	)
	for range 2 {
		// Each replica has its own connections.
		st, err := sqlstore.Open(t.Context(), url, w.clock.Now)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		bc := w.broadcaster(scheduler.BroadcasterOptions{Store: st, Batch: 100, Fanout: 16})
		wg.Go(func() { errs <- bc.Tick(t.Context()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	got := map[string]int{}
	for _, s := range w.rec.all() {
		got[s.To.UserID]++
	}
	require.Len(t, got, n)
	for user, times := range got {
		require.Equal(t, 1, times, "%s got it %d times", user, times)
	}
	s := w.status(b.ID)
	require.Equal(t, n, s.Sent)
	require.Zero(t, s.Reclaims)
}

// slow is a one-by-one platform where every send takes a minute on the
// test's clock, like Slack opening DMs for a cold workspace.
type slow struct {
	*single
	clock *clock
}

func (s *slow) Send(ctx context.Context, m bot.Message) (bot.MessageRef, error) {
	s.clock.Add(time.Minute)
	return s.single.Send(ctx, m)
}

// A batch that takes longer than its claim stops starting sends before the
// claim runs out and hands the rest back, so no other replica can take over
// a delivery this one is still about to send: nobody gets it twice.
func TestBroadcasterStopsBeforeItsClaimRunsOut(t *testing.T) {
	w := newBCWorld(t, sqliteURL(t))
	var ids []int64
	for i := range 10 {
		ids = append(ids, w.person(fmt.Sprintf("sl%d", i), bot.Slack, bot.LocaleEN))
	}
	b := w.create(store.Broadcast{Text: "Review cycle opens Monday"}, ids)
	sl := &slow{single: newSingle(bot.Slack, w.rec), clock: w.clock}
	bc := w.broadcaster(scheduler.BroadcasterOptions{Senders: []scheduler.Sender{sl}, Lease: 5 * time.Minute, Fanout: 1})

	n, err := bc.SendDue(t.Context())
	require.NoError(t, err)
	require.Equal(t, 10, n, "the whole batch was claimed")
	first := len(w.rec.all())
	// Sends start at 0:00 to 4:00; none at 5:00, past the cut-off at 4:30
	// (a tenth of the claim is kept as margin).
	require.Equal(t, 5, first, "sends stop before the 5-minute claim runs out")
	require.Equal(t, 10-first, w.status(b.ID).Pending, "the rest is handed back, not left claimed")

	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.all(), 10, "everyone, once")
	s := w.status(b.ID)
	require.Equal(t, 10, s.Sent)
	require.Zero(t, s.Reclaims)
}

// A reminder to read a broadcast keeps to each person's working hours and
// waits for someone away: New York is not reminded at 03:00, nor someone on
// leave before they are back.
func TestBroadcastRemindersKeepToHours(t *testing.T) {
	w := newBCWorld(t, sqliteURL(t))
	save := func(user, tz, away string) int64 {
		p := bot.Person{Name: user, Locale: bot.LocaleEN, TimeZone: tz, AwayUntil: away,
			Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T", UserID: user}}}
		require.NoError(t, w.store.SavePerson(t.Context(), &p))
		return p.ID
	}
	sh := save("sh", "Asia/Shanghai", "")
	ny := save("ny", "America/New_York", "")
	away := save("away", "Asia/Shanghai", "2026-12-03")
	// Friday 27 November 07:00 UTC: 15:00 in Shanghai, 02:00 in New York.
	w.clock.Add(-time.Hour)
	b := w.create(store.Broadcast{Text: "Policy", Ack: true, RemindAfter: 72 * time.Hour}, []int64{sh, ny, away})
	cal, err := calendar.Load("")
	require.NoError(t, err)
	bc := w.broadcaster(scheduler.BroadcasterOptions{Senders: []scheduler.Sender{w.slack},
		Planner: scheduler.NewPlanner(cal), TimeZone: time.UTC})
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.all(), 3, "the announcement goes out when HR sends it")

	// Monday 30 November 07:00 UTC: 15:00 in Shanghai, 02:00 in New York.
	w.clock.Add(72 * time.Hour)
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.to("sh"), 2, "reminded in Shanghai's afternoon")
	require.Len(t, w.rec.to("ny"), 1, "not at 02:00 in New York")
	require.Len(t, w.rec.to("away"), 1, "not while away")
	w.clock.Add(12 * time.Hour) // 09:00 in New York
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.to("ny"), 2)
	require.Len(t, w.rec.to("away"), 1)
	// Back on Thursday, they read it first thing, before their hours start.
	w.clock.Add(53 * time.Hour) // Thursday 3 December 00:00 UTC: 08:00 in Shanghai, before their hours
	_, err = w.store.Ack(t.Context(), b.ID, away, w.clock.Now())
	require.NoError(t, err)
	w.clock.Add(6 * time.Hour) // 14:00 in Shanghai
	require.NoError(t, bc.Tick(t.Context()))
	require.Len(t, w.rec.to("away"), 1, "read already: the waiting reminder is dropped")
	require.Equal(t, 2, w.status(b.ID).Reminded)
}
