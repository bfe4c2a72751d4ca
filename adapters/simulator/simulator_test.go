package simulator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

func TestAdapterIsAnUpdatingMounter(t *testing.T) {
	var a any = simulator.New(simulator.Options{})
	require.Implements(t, (*bot.Adapter)(nil), a)
	require.Implements(t, (*bot.Updater)(nil), a)
	require.Implements(t, (*bot.Mounter)(nil), a)
	require.Equal(t, bot.Simulator, a.(bot.Adapter).Platform())
}

func TestSendStoresInTheRightConversation(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{})

	toAlice, err := a.Send(ctx, bot.Message{
		To:      dm("alice"),
		Title:   "Weekly check-in",
		Text:    "Hi Alice!\nReady?",
		Fields:  []bot.Field{{Label: "Week", Value: "W41"}},
		Buttons: []bot.Button{{Label: "Start", Value: "start", Style: bot.StylePrimary}},
	})
	require.NoError(t, err)
	toTeam, err := a.Send(ctx, bot.Message{To: channel("platform-team"), Text: "4 of 5 checked in"})
	require.NoError(t, err)
	require.NotEmpty(t, toAlice)
	require.NotEqual(t, toAlice, toTeam)

	got := a.DM("alice")
	require.Len(t, got, 1)
	require.Equal(t, toAlice, got[0].Ref)
	require.Equal(t, "dm:alice", got[0].Conversation)
	require.Equal(t, simulator.EntryMessage, got[0].Kind)
	require.Empty(t, got[0].From, "perfbot wrote it")
	require.Equal(t, "Weekly check-in", got[0].Title)
	require.Equal(t, "Hi Alice!\nReady?", got[0].Text)
	require.Equal(t, []bot.Field{{Label: "Week", Value: "W41"}}, got[0].Fields)
	require.Equal(t, []bot.Button{{Label: "Start", Value: "start", Style: bot.StylePrimary}}, got[0].Buttons)
	require.Equal(t, now, got[0].At)

	team := a.Channel("platform-team")
	require.Len(t, team, 1)
	require.Equal(t, toTeam, team[0].Ref)
	require.Equal(t, "4 of 5 checked in", team[0].Text)

	require.Empty(t, a.DM("wei"), "nothing leaks into someone else's conversation")
}

func TestSendRejectsOtherPlatformsAndEmptyAddresses(t *testing.T) {
	a := newAdapter(simulator.Options{})
	for name, to := range map[string]bot.Address{
		"slack":    {Identity: bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}},
		"tenant":   {Identity: bot.Identity{Platform: bot.Simulator, Tenant: "acme", UserID: "alice"}},
		"nobody":   {Identity: bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant}},
		"the void": {},
	} {
		_, err := a.Send(t.Context(), bot.Message{To: to, Text: "hi"})
		require.Error(t, err, name)
	}
}

func TestSendNeutralizesBroadcastMentions(t *testing.T) {
	a := newAdapter(simulator.Options{})
	_, err := a.Send(t.Context(), bot.Message{To: channel("all-hands"), Text: "Wei wrote: ping @all"})
	require.NoError(t, err)
	require.Equal(t, bot.Neutralize("Wei wrote: ping @all"), a.Channel("all-hands")[0].Text)
}

func TestUpdateReplacesInPlace(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{})
	first, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "Ready?", Buttons: []bot.Button{{Label: "Start", Value: "start"}}})
	require.NoError(t, err)
	_, err = a.Send(ctx, bot.Message{To: dm("alice"), Text: "second"})
	require.NoError(t, err)

	require.NoError(t, a.Update(ctx, first, bot.Message{To: dm("alice"), Text: "Started ✓"}))

	got := a.DM("alice")
	require.Len(t, got, 2)
	require.Equal(t, first, got[0].Ref, "keeps its position")
	require.Equal(t, "Started ✓", got[0].Text)
	require.Empty(t, got[0].Buttons, "the buttons are gone, so they cannot be clicked twice")
	require.Equal(t, "second", got[1].Text)

	err = a.Update(ctx, "msg-never-sent", bot.Message{Text: "x"})
	require.ErrorIs(t, err, simulator.ErrUnknownMessage)
}

func TestSendWithReplaceUpdates(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{})
	ref, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "v1"})
	require.NoError(t, err)

	again, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "v2", Replace: ref})
	require.NoError(t, err)
	require.Equal(t, ref, again)
	require.Len(t, a.DM("alice"), 1)
	require.Equal(t, "v2", a.DM("alice")[0].Text)

	// A message the simulator no longer holds is sent as a new one.
	fresh, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "v3", Replace: "msg-gone"})
	require.NoError(t, err)
	require.NotEqual(t, bot.MessageRef("msg-gone"), fresh)
	require.Len(t, a.DM("alice"), 2)
}

func TestHistoryIsCapped(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{History: 3})
	var refs []bot.MessageRef
	for i := range 5 {
		ref, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: fmt.Sprint(i)})
		require.NoError(t, err)
		refs = append(refs, ref)
	}
	got := a.DM("alice")
	require.Len(t, got, 3)
	require.Equal(t, []string{"2", "3", "4"}, []string{got[0].Text, got[1].Text, got[2].Text})

	// What fell out is forgotten, not kept in an index.
	require.ErrorIs(t, a.Update(ctx, refs[0], bot.Message{Text: "x"}), simulator.ErrUnknownMessage)
	require.NoError(t, a.Update(ctx, refs[4], bot.Message{Text: "x"}))
}

func TestSendRespectsContext(t *testing.T) {
	a := newAdapter(simulator.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := a.Send(ctx, bot.Message{To: dm("alice"), Text: "hi"})
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, a.DM("alice"))
}

func TestConcurrentUse(t *testing.T) {
	ctx := t.Context()
	a := newAdapter(simulator.Options{History: 50})
	srv := serve(t, a, bot.HandlerFunc(func(ctx context.Context, ev bot.Event) error {
		_, err := a.Send(ctx, bot.Message{To: bot.Address{Identity: ev.From}, Text: "ok"})
		return err
	}))
	events := stream(t, srv.URL+"/api/events")

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				ref, err := a.Send(ctx, bot.Message{To: channel("team"), Text: fmt.Sprint(i, j)})
				if err == nil {
					_ = a.Update(ctx, ref, bot.Message{Text: "edited"})
				}
				_ = a.DM("alice")
			}
		})
		wg.Go(func() {
			res, err := http.Post(srv.URL+"/api/conversations/alice/messages", "application/json", strings.NewReader(`{"text":"hi"}`))
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("status %d", res.StatusCode)
			}
		})
	}
	wg.Wait()
	require.Len(t, a.Channel("team"), 50)
	require.Len(t, a.DM("alice"), 16, "8 messages and 8 replies")
	// The stream was never read while all that happened: it was cut off
	// rather than holding Send up, and still delivered what it had.
	next(t, events)
}
