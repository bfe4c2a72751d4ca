package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// envelopeOf wraps an Events API callback for Socket Mode.
func envelopeOf(t *testing.T, id string, retry int, eventID, userID, text string) string {
	payload := map[string]any{
		"type": "event_callback", "team_id": team, "event_id": eventID,
		"event": map[string]any{"type": "message", "channel_type": "im", "channel": "D" + userID,
			"user": userID, "text": text, "ts": "1795766400.000100"},
	}
	b, err := json.Marshal(map[string]any{"type": "events_api", "envelope_id": id, "payload": payload,
		"accepts_response_payload": false, "retry_attempt": retry, "retry_reason": "timeout"})
	require.NoError(t, err)
	return string(b)
}

// Over Socket Mode every envelope is acknowledged, and a redelivered one
// (retry_attempt 1, same event) is handled once.
func TestSocketMode(t *testing.T) {
	fake := newFakeSlack(t)
	f := enginetest.New(t, enginetest.Embedded)
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: fake.GetAPIURL()},
		Clock:  f.Clock.Now, Sleep: func(context.Context, time.Duration) error { return nil },
	})
	require.NoError(t, err)
	f.Engine.Register(ad)
	sam := f.Add("Sam", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, user("USAM"))

	ctx, cancel := context.WithCancel(context.Background())
	received := make(chan error, 1)
	go func() { received <- ad.Receive(ctx, f.Engine) }()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-received, context.Canceled)
	})

	acked := func(id string) {
		t.Helper()
		select {
		case got := <-fake.acks:
			require.Equal(t, id, got)
		case <-time.After(10 * time.Second):
			require.FailNow(t, "envelope not acknowledged", id)
		}
	}
	fake.envelopes <- envelopeOf(t, "env-1", 0, "Ev1", "USAM", "checkin")
	acked("env-1")
	// Events of one person may be handled in any order, as over HTTP: wait
	// for the first question before answering it.
	require.Eventually(t, func() bool { return len(fake.messages("DUSAM")) == 1 }, 10*time.Second, 10*time.Millisecond)
	fake.envelopes <- envelopeOf(t, "env-2", 1, "Ev1", "USAM", "checkin")
	acked("env-2")
	fake.envelopes <- envelopeOf(t, "env-3", 0, "Ev2", "USAM", "Shipped it")
	acked("env-3")
	// Envelopes are taken in order, so every one is being handled by now.
	require.Eventually(t, func() bool {
		r, err := f.Store.RoundByPeriod(context.Background(), store.System, sam.ID, "2026-W48")
		return err == nil && r.Answer(store.QuestionDone) != ""
	}, 10*time.Second, 10*time.Millisecond)

	r := f.Round(sam.ID, "2026-W48")
	require.Equal(t, "Shipped it", r.Answer(store.QuestionDone))
	msgs := fake.messages("DUSAM")
	require.Len(t, msgs, 2, "one question per event, the redelivery answered nothing: %v", texts(msgs))
	require.Contains(t, msgs[1].Text, "(2/4)")
}

func texts(ps []post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %q", p.Method, p.Text))
	}
	return out
}
