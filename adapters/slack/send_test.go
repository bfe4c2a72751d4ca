package slack_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// fakeTime is a clock that moves only when the adapter sleeps, so pacing
// is measured without waiting.
type fakeTime struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeTime) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeTime) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeTime) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func sender(t *testing.T, fake *fakeSlack, clock *fakeTime, logs *bytes.Buffer) (*slack.Adapter, *prometheus.Registry) {
	reg := prometheus.NewRegistry()
	log := slog.New(slog.DiscardHandler)
	if logs != nil {
		log = slog.New(slog.NewJSONHandler(logs, nil))
	}
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: fake.GetAPIURL()},
		Clock:  clock.Now, Sleep: clock.Sleep, Registerer: reg, Logger: log,
	})
	require.NoError(t, err)
	return ad, reg
}

func toUser(id string) bot.Message {
	return bot.Message{To: bot.Address{Identity: user(id)}, Text: "hello"}
}

// A 429 waits for Retry-After and goes again: the message arrives once.
func TestRateLimitedSendWaitsAndRetries(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	ad, reg := sender(t, fake, clock, nil)
	fake.refuse("chat.postMessage", 2)

	ref, err := ad.Send(t.Context(), toUser("UANNA"))
	require.NoError(t, err)
	require.Equal(t, bot.MessageRef("DUANNA/1795766400.000001"), ref)
	require.Len(t, fake.messages("DUANNA"), 1, "delivered once")
	require.Equal(t, 3, fake.called("chat.postMessage"))
	require.Contains(t, clock.slept(), 3*time.Second, "waited for Retry-After")
	require.Equal(t, 2.0, counter(t, reg, "perfbot_slack_api_retries_total", "chat.postMessage", "rate_limited"))
}

// counter reads one labelled counter from reg; 0 when it has no such series.
func counter(t *testing.T, reg *prometheus.Registry, name, method, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["method"] == method && labels["reason"] == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// A call Slack refuses for good is logged with the channel and the reason,
// and counted.
func TestFailedSendIsLoggedAndCounted(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	var logs bytes.Buffer
	ad, reg := sender(t, fake, clock, &logs)
	fake.fail("chat.postMessage", "is_archived")

	_, err := ad.Send(t.Context(), bot.Message{To: bot.Address{Identity: user(""), Channel: "C0ARCHIVED"}, Text: "hi"})
	require.Error(t, err)
	require.Equal(t, 1, fake.called("chat.postMessage"), "not worth a retry")
	require.Equal(t, 1.0, counter(t, reg, "perfbot_slack_api_failures_total", "chat.postMessage", "is_archived"))
	require.Contains(t, logs.String(), `"channel":"C0ARCHIVED"`)
	require.Contains(t, logs.String(), `"reason":"is_archived"`)
	require.NotContains(t, logs.String(), "xoxb-test", "the token never reaches the log")
}

// Messages to one channel go about one a second after a short burst, and
// none is dropped; the first names the user, the others the channel Slack
// answered with.
func TestSendsArePacedPerChannel(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	ad, _ := sender(t, fake, clock, nil)
	start := clock.Now()
	for range 8 {
		_, err := ad.Send(t.Context(), toUser("UANNA"))
		require.NoError(t, err)
	}
	require.Len(t, fake.messages("DUANNA"), 8)
	require.Zero(t, fake.called("conversations.open"))
	require.Equal(t, []string{"UANNA", "DUANNA"}, fake.asked("chat.postMessage")[:2])
	// A burst of 3, then one a second: the 8th goes 5 s after the first.
	require.Equal(t, 5*time.Second, clock.Now().Sub(start), "slept %v", clock.slept())

	// Another channel is not held up by the first.
	before := clock.Now()
	_, err := ad.Send(t.Context(), toUser("UBEN"))
	require.NoError(t, err)
	require.Equal(t, before, clock.Now())
}

// A message that cannot be updated any more (Slack lost it) is not an
// Update the engine can use; a ref from elsewhere is refused outright.
func TestUpdate(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	ad, _ := sender(t, fake, clock, nil)
	ref, err := ad.Send(t.Context(), bot.Message{To: bot.Address{Identity: user("UANNA")}, Text: "pick",
		Buttons: []bot.Button{{Label: "A", Value: "a:1:1"}}})
	require.NoError(t, err)
	require.NoError(t, ad.Update(t.Context(), ref, bot.Message{Text: "› A"}))
	got := fake.last(t, "DUANNA")
	require.Equal(t, "chat.update", got.Method)
	require.Empty(t, got.buttons(t))
	require.Contains(t, got.blocks(t), "› A")

	require.ErrorIs(t, ad.Update(t.Context(), "not-a-ref", bot.Message{Text: "x"}), slack.ErrBadRef)
	require.Error(t, ad.Update(t.Context(), "DUANNA/1.000000", bot.Message{Text: "x"}))
}

// Slash commands become the text a person would type, in their DM.
func TestSlashCommands(t *testing.T) {
	h := newHarness(t, enginetest.Embedded)
	h.f.Add("Sam", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, user("USAM"))
	require.Equal(t, http.StatusOK, h.command("USAM", "/checkin", ""))
	require.Contains(t, h.fake.last(t, "DUSAM").blocks(t), "(1/4) What did you get done this week?")
	before := len(h.fake.messages("DUSAM"))
	require.Equal(t, http.StatusOK, h.command("USAM", "/checkin", "help"))
	msgs := h.fake.messages("DUSAM")
	require.Greater(t, len(msgs), before)
	require.Contains(t, msgs[before].blocks(t), "help: this message")
	require.Empty(t, h.fake.messages("C0GENERAL"), "answers go to the DM, not the channel it was typed in")
}

// An event the handler could not take in is not acknowledged, so Slack
// delivers it again; the redelivery is the same event, and is taken.
func TestEventNotTakenInIsRefused(t *testing.T) {
	now := enginetest.Start
	clock := &fakeTime{now: now}
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: "http://127.0.0.1:1/"},
		Clock:  clock.Now, Sleep: clock.Sleep,
	})
	require.NoError(t, err)
	var (
		mu  sync.Mutex
		ids []string
	)
	mux := http.NewServeMux()
	ad.Mount(mux, bot.HandlerFunc(func(_ context.Context, ev bot.Event) error {
		mu.Lock()
		defer mu.Unlock()
		ids = append(ids, ev.ID)
		if len(ids) == 1 {
			return errors.New("database is restarting")
		}
		return nil
	}))
	srv := newServer(t, mux)
	body := `{"type":"event_callback","team_id":"T1","event_id":"Ev9","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"hi","ts":"1.1"}}`
	ts := unix(now)
	require.Equal(t, http.StatusInternalServerError, postRaw(t, ad, srv.URL+"/slack/events", ts, slack.Sign(secret, ts, []byte(body)), body))
	require.Equal(t, http.StatusOK, postRaw(t, ad, srv.URL+"/slack/events", ts, slack.Sign(secret, ts, []byte(body)), body))
	require.Equal(t, []string{"Ev9", "Ev9"}, ids, "the redelivery is the same event")
	require.Empty(t, clock.slept(), "the adapter itself waits for nothing")
}

// A direct message names the user: Slack opens the conversation, and its
// D... id is kept, for the next message and for another replica sharing the
// dialog store. No conversations.open is needed.
func TestDirectMessageByUserID(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	ds := memory.New(clock.Now)
	t.Cleanup(func() { ds.Close() })
	replica := func() *slack.Adapter {
		ad, err := slack.New(slack.Options{Config: slack.Config{BotToken: "xoxb-test", APIURL: fake.GetAPIURL()},
			Clock: clock.Now, Sleep: clock.Sleep, Dialog: ds})
		require.NoError(t, err)
		return ad
	}
	first, second := replica(), replica()

	ref, err := first.Send(t.Context(), toUser("UANNA"))
	require.NoError(t, err)
	require.Equal(t, bot.MessageRef("DUANNA/1795766400.000001"), ref, "the ref names the D... channel, for chat.update")
	require.NoError(t, first.Update(t.Context(), ref, bot.Message{Text: "updated"}))
	_, err = second.Send(t.Context(), toUser("UANNA"))
	require.NoError(t, err)

	require.Equal(t, []string{"UANNA", "DUANNA"}, fake.asked("chat.postMessage"), "the other replica used the kept channel")
	require.Equal(t, []string{"DUANNA"}, fake.asked("chat.update"))
	require.Zero(t, fake.called("conversations.open"))
	require.Len(t, fake.messages("DUANNA"), 2)
}

// Where the workspace refuses a user id as the channel, the conversation is
// opened with conversations.open; once one person showed it, the others are
// opened first, without a refused post each.
func TestDirectMessageFallsBackToOpen(t *testing.T) {
	fake := newFakeSlack(t)
	fake.byUserID = false
	clock := &fakeTime{now: enginetest.Start}
	ad, _ := sender(t, fake, clock, nil)

	for _, u := range []string{"UANNA", "UBEN", "UANNA"} {
		ref, err := ad.Send(t.Context(), toUser(u))
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(ref), "D"+u+"/"), "%s", ref)
	}
	require.Equal(t, []string{"UANNA", "DUANNA", "DUBEN", "DUANNA"}, fake.asked("chat.postMessage"))
	require.Equal(t, 2, fake.called("conversations.open"), "once per person")
	require.Len(t, fake.messages("DUANNA"), 2)
	require.Len(t, fake.messages("DUBEN"), 1)
}

// A person who disabled the app's Messages tab cannot be written to: a
// permanent refusal at once, not a retry loop nor a conversations.open.
func TestMessagesTabDisabledIsPermanent(t *testing.T) {
	fake := newFakeSlack(t)
	fake.tabOff["UANNA"] = true
	clock := &fakeTime{now: enginetest.Start}
	ad, reg := sender(t, fake, clock, nil)

	_, err := ad.Send(t.Context(), toUser("UANNA"))
	require.ErrorIs(t, err, bot.ErrPermanent)
	require.NotErrorIs(t, err, bot.ErrTemporary)
	require.Equal(t, 1, fake.called("chat.postMessage"))
	require.Zero(t, fake.called("conversations.open"))
	require.Empty(t, clock.slept(), "nothing waited for")
	require.Equal(t, 1.0, counter(t, reg, "perfbot_slack_api_failures_total", "chat.postMessage", "messages_tab_disabled"))

	// A user who does not exist is refused for good too, after the one
	// conversations.open that tells.
	fake.gone["UNOBODY"] = true
	_, err = ad.Send(t.Context(), toUser("UNOBODY"))
	require.ErrorIs(t, err, bot.ErrPermanent)
	require.Equal(t, 1, fake.called("conversations.open"))
	require.Empty(t, fake.messages("DUNOBODY"))
}
