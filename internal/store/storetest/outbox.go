package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var outboxTests = []suiteTest{
	{"OutboxKeptWhole", testOutboxKeptWhole},
	{"OutboxLaneOrder", testOutboxLaneOrder},
	{"OutboxRetryHoldsLane", testOutboxRetryHoldsLane},
	{"OutboxEnqueueConcurrent", testOutboxEnqueueConcurrent},
	{"OutboxFenced", testOutboxFenced},
	{"OutboxInTx", testOutboxInTx},
	{"OutboxClaimConcurrent", testOutboxClaimConcurrent},
	{"OutboxPurge", testOutboxPurge},
	{"OutboxStats", testOutboxStats},
}

// outgoing is a message to user on Slack answering a click, with all a
// message can carry.
func outgoing(user, text string) store.Outgoing {
	from := bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: user}
	return store.Outgoing{
		Message: bot.Message{
			To: bot.Address{Identity: from}, Title: "Check-in", Text: text,
			Fields:  []bot.Field{{Label: "Done", Value: "40 <b>"}},
			Buttons: []bot.Button{{Label: "Skip", Value: "skip:1", Style: bot.StylePrimary}},
			Replace: "C1/1700000000.000100",
			Form: &bot.Form{Title: "Check-in", Submit: "Send", Value: "form:1",
				Fields: []bot.FormField{{Key: "done", Label: "Done", Multiline: true, MaxLength: 300,
					Choices: []bot.Choice{{Label: "A", Value: "a"}}}}},
		},
		InReplyTo: bot.Event{ID: "ev-" + text, From: from, Kind: bot.KindAction, Ref: "C1/1700000000.000100",
			Channel: "C1", At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)},
	}
}

// claimOutbox claims what is due at now, for a minute.
func claimOutbox(t *testing.T, s store.Store, now time.Time) []store.Outgoing {
	t.Helper()
	ms, err := s.ClaimOutbox(t.Context(), now, now.Add(time.Minute), 10)
	require.NoError(t, err)
	return ms
}

func outboxIDs(ms []store.Outgoing) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// Messages kept claimed are not claimed again while the claim lives; when it
// runs out (the sender died) they are taken over, and come back whole.
func testOutboxKeptWhole(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	ms := []store.Outgoing{outgoing("U1", "one"), outgoing("U2", "two")}
	ms[1].Message.To = bot.Address{Identity: bot.Identity{Platform: bot.Slack, Tenant: "T1"}, Channel: "C9"}
	want := []store.Outgoing{ms[0], ms[1]}
	until := now.Add(time.Minute)
	require.NoError(t, s.EnqueueOutbox(ctx, ms, until))
	require.NotZero(t, ms[0].ID)
	require.Less(t, ms[0].ID, ms[1].ID, "kept in order")
	for _, m := range ms {
		require.Equal(t, 1, m.Attempts, "kept claimed: the first attempt")
		require.Equal(t, until.UTC().Truncate(time.Microsecond), m.ClaimUntil)
		require.False(t, m.CreatedAt.IsZero())
		require.Zero(t, m.After, "nothing before it to its address")
	}

	require.Empty(t, claimOutbox(t, s, now), "a live claim is not taken")
	got := claimOutbox(t, s, now.Add(2*time.Minute))
	require.Equal(t, outboxIDs(ms), outboxIDs(got), "claims that ran out are taken over")
	for i, m := range got {
		require.Equal(t, want[i].Message, m.Message, "the message comes back whole")
		require.Equal(t, want[i].InReplyTo, m.InReplyTo, "with the event it answers")
		require.Equal(t, 2, m.Attempts)
		require.Zero(t, m.After)
	}
}

// The messages to one address are claimed one at a time, in the order they
// were kept; a message given up on no longer holds up those after it.
func testOutboxLaneOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	ms := []store.Outgoing{outgoing("ada", "a1"), outgoing("bob", "b1"), outgoing("ada", "a2")}
	require.NoError(t, s.EnqueueOutbox(ctx, ms, time.Time{}))
	a1, b1, a2 := ms[0], ms[1], ms[2]
	require.Zero(t, a1.Attempts, "kept due, unclaimed")
	require.Zero(t, a1.After)
	require.Zero(t, b1.After)
	require.Equal(t, a1.ID, a2.After, "a2 goes after a1")
	later := []store.Outgoing{outgoing("ada", "a3")}
	require.NoError(t, s.EnqueueOutbox(ctx, later, time.Time{}))
	a3 := later[0]
	require.Equal(t, a2.ID, a3.After, "kept later, a3 goes after a2")

	got := claimOutbox(t, s, now)
	require.Equal(t, []int64{a1.ID, b1.ID}, outboxIDs(got), "the first of each address")
	require.Equal(t, 1, got[0].Attempts)
	require.Empty(t, claimOutbox(t, s, now), "a2 waits while a1 is being sent")
	require.NoError(t, s.OutboxSent(ctx, got[0]))
	next := claimOutbox(t, s, now)
	require.Equal(t, []int64{a2.ID}, outboxIDs(next))
	require.NoError(t, s.FailOutbox(ctx, next[0], "refused"))
	next = claimOutbox(t, s, now)
	require.Equal(t, []int64{a3.ID}, outboxIDs(next), "a failed message holds up nothing")
	require.NoError(t, s.OutboxSent(ctx, next[0]))
	require.NoError(t, s.OutboxSent(ctx, got[1]))
	require.Empty(t, claimOutbox(t, s, now.Add(time.Hour)), "sent and failed messages are never claimed again")

	// Nothing before it unsent, a new message is free to go.
	fresh := []store.Outgoing{outgoing("ada", "a4")}
	require.NoError(t, s.EnqueueOutbox(ctx, fresh, now.Add(time.Minute)))
	require.Zero(t, fresh[0].After)
}

// Two steps keeping messages to one address at once, each in its own
// transaction: the later waits behind the earlier (After) however their
// transactions overlap. Found by internal/loadgen, where two check-ins for
// one manager went out at once: text, text, card, card.
func testOutboxEnqueueConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	until := time.Now().Add(time.Minute)
	first, second := []store.Outgoing{outgoing("ada", "first")}, []store.Outgoing{outgoing("ada", "second")}
	kept, commit := make(chan struct{}), make(chan struct{})
	firstDone, secondDone := make(chan error, 1), make(chan error, 1)
	go func() {
		firstDone <- s.InTx(ctx, func(tx store.Store) error {
			if err := tx.EnqueueOutbox(ctx, first, until); err != nil {
				return err
			}
			close(kept)
			<-commit
			return nil
		})
	}()
	select {
	case <-kept:
	case err := <-firstDone:
		require.NoError(t, err)
	}
	go func() {
		secondDone <- s.InTx(ctx, func(tx store.Store) error { return tx.EnqueueOutbox(ctx, second, until) })
	}()
	time.Sleep(50 * time.Millisecond) // the second is under way while the first is not committed
	close(commit)
	require.NoError(t, <-firstDone)
	require.NoError(t, <-secondDone)
	require.Equal(t, first[0].ID, second[0].After, "the second waits for the first")
}

// A retry waits until it is due, and so do the messages after it to the
// same address.
func testOutboxRetryHoldsLane(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	ms := []store.Outgoing{outgoing("ada", "a1"), outgoing("ada", "a2")}
	require.NoError(t, s.EnqueueOutbox(ctx, ms, now.Add(time.Minute)))
	require.Equal(t, ms[0].ID, ms[1].After)
	ms[0].Message.Sent = 1 // its first part went out before the platform went down
	require.NoError(t, s.RetryOutbox(ctx, ms[0], now.Add(time.Hour), "platform down"))
	require.NoError(t, s.RetryOutbox(ctx, ms[1], now, "waits for a1"))

	require.Empty(t, claimOutbox(t, s, now.Add(time.Minute)), "a1 is not due, and a2 waits for it")
	got := claimOutbox(t, s, now.Add(2*time.Hour))
	require.Equal(t, []int64{ms[0].ID}, outboxIDs(got))
	require.Equal(t, 2, got[0].Attempts, "each claim counts")
	require.Equal(t, ms[0].Message, got[0].Message, "kept with the parts already delivered")
	require.NoError(t, s.OutboxSent(ctx, got[0]))
	got = claimOutbox(t, s, now.Add(2*time.Hour))
	require.Equal(t, []int64{ms[1].ID}, outboxIDs(got))
	require.Equal(t, ms[1].Message, got[0].Message)

	// An attempt that never reached the platform (paced out) is given back.
	got[0].Attempts--
	require.NoError(t, s.RetryOutbox(ctx, got[0], now, "paced"))
	again := claimOutbox(t, s, now.Add(2*time.Hour))
	require.Equal(t, []int64{ms[1].ID}, outboxIDs(again))
	require.Equal(t, got[0].Attempts+1, again[0].Attempts, "the given-back attempt is not counted")
}

// A sender whose claim was taken over settles nothing.
func testOutboxFenced(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	ms := []store.Outgoing{outgoing("ada", "fenced")}
	require.NoError(t, s.EnqueueOutbox(ctx, ms, now.Add(time.Second)))
	first := ms[0]
	got := claimOutbox(t, s, now.Add(time.Minute))
	require.Len(t, got, 1)
	second := got[0]

	for _, settle := range []func() error{
		func() error { return s.OutboxSent(ctx, first) },
		func() error { return s.RetryOutbox(ctx, first, now, "x") },
		func() error { return s.FailOutbox(ctx, first, "x") },
	} {
		require.ErrorIs(t, settle(), store.ErrClaimLost)
	}
	require.NoError(t, s.OutboxSent(ctx, second))
	require.ErrorIs(t, s.OutboxSent(ctx, second), store.ErrClaimLost, "sent once")
}

// Kept in a transaction that rolls back, a message is not kept at all.
func testOutboxInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Store) error {
		require.NoError(t, tx.EnqueueOutbox(ctx, []store.Outgoing{outgoing("ada", "rolled back")}, time.Time{}))
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Empty(t, claimOutbox(t, s, now))

	ms := []store.Outgoing{outgoing("ada", "kept")}
	require.NoError(t, s.InTx(ctx, func(tx store.Store) error { return tx.EnqueueOutbox(ctx, ms, time.Time{}) }))
	got := claimOutbox(t, s, now)
	require.Equal(t, outboxIDs(ms), outboxIDs(got))
	require.Equal(t, "kept", got[0].Message.Text)
}

// Claimers at once never hold two messages to one address, and together
// send every message once, each address's in order.
func testOutboxClaimConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	const lanes, each = 8, 4
	var ms []store.Outgoing
	for i := range lanes * each {
		ms = append(ms, outgoing(fmt.Sprint("u", i%lanes), fmt.Sprint(i)))
	}
	require.NoError(t, s.EnqueueOutbox(ctx, ms, time.Time{}))
	var (
		mu      sync.Mutex
		holding = map[string]bool{}
		order   = map[string][]int64{}
		wg      sync.WaitGroup
		errs    = make(chan error, 4)
	)
	for range 4 {
		wg.Go(func() {
			for idle := 0; idle < 3; {
				now := time.Now()
				got, err := s.ClaimOutbox(ctx, now, now.Add(time.Minute), 3)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					idle++ // the others may be about to free a lane
					time.Sleep(5 * time.Millisecond)
					continue
				}
				idle = 0
				for _, m := range got {
					to := m.Message.To.UserID
					mu.Lock()
					if holding[to] {
						mu.Unlock()
						errs <- fmt.Errorf("two messages to %s claimed at once", to)
						return
					}
					holding[to] = true
					order[to] = append(order[to], m.ID)
					mu.Unlock()
				}
				for _, m := range got {
					// Let go first: until it is marked sent, nobody can
					// claim the next message to the same address anyway.
					mu.Lock()
					holding[m.Message.To.UserID] = false
					mu.Unlock()
					if err := s.OutboxSent(ctx, m); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, order, lanes)
	for to, ids := range order {
		require.Len(t, ids, each, "every message to %s sent once", to)
		require.IsIncreasing(t, ids, "in the order kept")
	}
}

// Sent messages are purged after a while; the others are kept.
func testOutboxPurge(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	ms := []store.Outgoing{outgoing("ada", "sent"), outgoing("bob", "failed"), outgoing("cy", "waiting")}
	require.NoError(t, s.EnqueueOutbox(ctx, ms, now.Add(time.Minute)))
	require.NoError(t, s.OutboxSent(ctx, ms[0]))
	require.NoError(t, s.FailOutbox(ctx, ms[1], "refused"))
	require.NoError(t, s.RetryOutbox(ctx, ms[2], now, "platform down"))

	// The store's clock need not be the wall clock: go far either way.
	n, err := s.PurgeOutbox(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Zero(t, n, "too recent")
	n, err = s.PurgeOutbox(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, []int64{ms[2].ID}, outboxIDs(claimOutbox(t, s, now)), "what waits is never purged")
}

// The outbox's depth counts what is still to be sent, claimed or waiting,
// and its age is the oldest of those.
func testOutboxStats(t *testing.T, s store.Store) {
	ctx := t.Context()
	depth, oldest, err := s.OutboxStats(ctx)
	require.NoError(t, err)
	require.Zero(t, depth)
	require.True(t, oldest.IsZero(), "nothing waits")

	now := time.Now()
	ms := []store.Outgoing{outgoing("ada", "sent"), outgoing("bob", "failed"), outgoing("cy", "claimed"), outgoing("dee", "due")}
	require.NoError(t, s.EnqueueOutbox(ctx, ms[:3], now.Add(time.Minute)))
	require.NoError(t, s.EnqueueOutbox(ctx, ms[3:], time.Time{}))
	require.NoError(t, s.OutboxSent(ctx, ms[0]))
	require.NoError(t, s.FailOutbox(ctx, ms[1], "refused"))

	depth, oldest, err = s.OutboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, depth, "the claimed one and the due one")
	require.WithinDuration(t, ms[2].CreatedAt, oldest, time.Second)
}
