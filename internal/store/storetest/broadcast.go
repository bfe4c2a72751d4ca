package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var broadcastTests = []suiteTest{
	{"BroadcastCreate", testBroadcastCreate},
	{"BroadcastClaimConcurrent", testBroadcastClaimConcurrent},
	{"BroadcastReclaim", testBroadcastReclaim},
	{"BroadcastRetryAndFail", testBroadcastRetryAndFail},
	{"BroadcastAck", testBroadcastAck},
	{"BroadcastRemindersOnce", testBroadcastRemindersOnce},
	{"BroadcastStatus", testBroadcastStatus},
	{"PeopleByID", testPeopleByID},
}

// bcAt is when the broadcast tests claim, independent of the store's clock.
var bcAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// people saves n people and returns their ids.
func people(t *testing.T, s store.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = savePerson(t, s, bot.Person{Name: fmt.Sprintf("P%04d", i)}).ID
	}
	return ids
}

func createBroadcast(t *testing.T, s store.Store, b store.Broadcast, recipients []int64) store.Broadcast {
	t.Helper()
	created, err := s.CreateBroadcast(t.Context(), &b, recipients)
	require.NoError(t, err)
	require.True(t, created)
	require.NotZero(t, b.ID)
	return b
}

// claimAll claims every due delivery at now, in batches of limit.
func claimAll(t *testing.T, s store.Store, now time.Time, limit int) []store.BroadcastDelivery {
	t.Helper()
	var all []store.BroadcastDelivery
	for {
		ds, err := s.ClaimDeliveries(t.Context(), now, time.Minute, limit)
		require.NoError(t, err)
		if len(ds) == 0 {
			return all
		}
		all = append(all, ds...)
	}
}

func testBroadcastCreate(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 3)
	b := createBroadcast(t, s, store.Broadcast{
		AuthorID: ids[0], Key: "chat:1:7", Text: "Review cycle opens Monday", Ack: true, RemindAfter: 48 * time.Hour,
		Audience: store.Audience{Teams: []string{"Platform"}, Roles: []bot.Role{bot.RoleManager}},
	}, append(ids, ids[1])) // a recipient named twice gets one delivery
	require.False(t, b.CreatedAt.IsZero())

	got, err := s.Broadcast(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, b, got)

	// The same key creates nothing more.
	again := store.Broadcast{Key: "chat:1:7", Text: "something else"}
	created, err := s.CreateBroadcast(ctx, &again, ids)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, b, again)

	other := createBroadcast(t, s, store.Broadcast{Text: "Second", Audience: store.Audience{Everyone: true}}, ids[:1])
	list, err := s.Broadcasts(ctx, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{other.ID, b.ID}, []int64{list[0].ID, list[1].ID}, "newest first")
	require.Len(t, list, 2)

	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, 3, st.Total)
	require.Equal(t, 3, st.Pending)

	_, err = s.Broadcast(ctx, other.ID+100)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.BroadcastStatus(ctx, other.ID+100)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// Claimers racing for one broadcast's deliveries split them: none is claimed
// twice, none is left.
func testBroadcastClaimConcurrent(t *testing.T, s store.Store) {
	ids := people(t, s, 300)
	createBroadcast(t, s, store.Broadcast{Text: "Hello"}, ids)
	const claimers = 8
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
	)
	for range claimers {
		wg.Go(func() {
			for {
				ds, err := s.ClaimDeliveries(t.Context(), bcAt, time.Hour, 7)
				if !assertNoError(t, err) || len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					claimed[d.PersonID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Len(t, claimed, len(ids), "every delivery was claimed")
	for person, n := range claimed {
		require.Equal(t, 1, n, "person %d claimed %d times", person, n)
	}
}

// assertNoError reports err from a goroutine, where require may not stop the
// test.
func assertNoError(t *testing.T, err error) bool {
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		return false
	}
	return true
}

// A claim left to run out (its sender died) is taken over and counted.
func testBroadcastReclaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 2)
	b := createBroadcast(t, s, store.Broadcast{Text: "Hello"}, ids)

	first, err := s.ClaimDeliveries(ctx, bcAt, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, first, 2)
	for _, d := range first {
		require.Equal(t, store.BroadcastClaimed, d.State)
		require.Equal(t, 1, d.Attempts)
		require.Zero(t, d.Reclaims)
		require.Equal(t, store.BroadcastAnnounce, d.Kind)
		require.Equal(t, b.ID, d.BroadcastID)
		require.True(t, d.ClaimUntil.Equal(bcAt.Add(time.Minute)), "claim_until %v", d.ClaimUntil)
	}
	none, err := s.ClaimDeliveries(ctx, bcAt.Add(59*time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Empty(t, none, "a live claim is not taken")

	// One was sent before the sender died; the other's claim runs out.
	require.NoError(t, s.MarkSent(ctx, first[:1], bcAt.Add(time.Second)))
	again, err := s.ClaimDeliveries(ctx, bcAt.Add(2*time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, again, 1)
	require.Equal(t, first[1].ID, again[0].ID)
	require.Equal(t, 2, again[0].Attempts)
	require.Equal(t, 1, again[0].Reclaims)

	// The first sender, waking up late under its lapsed claim, can change
	// nothing the second now holds, before or after the second finishes.
	require.NoError(t, s.RetryDeliveries(ctx, first[1:2], bcAt.Add(2*time.Minute), "woke up late"))
	held, err := s.ClaimDeliveries(ctx, bcAt.Add(2*time.Minute+time.Second), time.Minute, 10)
	require.NoError(t, err)
	require.Empty(t, held, "still the second sender's: not put back by the first")
	require.NoError(t, s.MarkSent(ctx, again[:1], bcAt.Add(2*time.Minute)))
	require.NoError(t, s.MarkFailed(ctx, first[1:2], "too late"))
	require.NoError(t, s.MarkFailed(ctx, again[:1], "too late"), "nor can the second, once it is sent")
	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, 2, st.Sent)
	require.Zero(t, st.Failed)
	require.Equal(t, 1, st.Reclaims)
}

func testBroadcastRetryAndFail(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 2)
	b := createBroadcast(t, s, store.Broadcast{Text: "Hello"}, ids)
	ds := claimAll(t, s, bcAt, 10)
	require.Len(t, ds, 2)
	require.NoError(t, s.RetryDeliveries(ctx, ds[:1], bcAt.Add(5*time.Minute), "rate limited"))
	require.NoError(t, s.MarkFailed(ctx, ds[1:2], "invalid"))

	require.Empty(t, claimAll(t, s, bcAt.Add(4*time.Minute), 10), "a retry waits until it is due")
	retried := claimAll(t, s, bcAt.Add(5*time.Minute), 10)
	require.Len(t, retried, 1)
	require.Equal(t, ds[0].ID, retried[0].ID)
	require.Equal(t, 2, retried[0].Attempts)
	require.Zero(t, retried[0].Reclaims, "a retry is no reclaim")
	require.Equal(t, "rate limited", retried[0].Reason)

	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, 1, st.Failed)
	require.Equal(t, 1, st.Pending)
	require.Equal(t, []store.BroadcastFailure{{PersonID: ds[1].PersonID, Name: "P0001", Kind: store.BroadcastAnnounce, Reason: "invalid"}}, st.Failures)
}

func testBroadcastAck(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 3)
	b := createBroadcast(t, s, store.Broadcast{Text: "Read me", Ack: true}, ids[:2])
	first, err := s.Ack(ctx, b.ID, ids[0], bcAt)
	require.NoError(t, err)
	require.True(t, first)
	first, err = s.Ack(ctx, b.ID, ids[0], bcAt.Add(time.Hour))
	require.NoError(t, err)
	require.False(t, first, "a second click changes nothing")
	_, err = s.Ack(ctx, b.ID, ids[2], bcAt)
	require.ErrorIs(t, err, store.ErrNotFound, "only recipients acknowledge")
	_, err = s.Ack(ctx, b.ID+100, ids[0], bcAt)
	require.ErrorIs(t, err, store.ErrNotFound)

	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, 1, st.Acked)
}

// Reminders go once, to recipients sent the announcement RemindAfter ago who
// have not acknowledged it; never for broadcasts without acknowledgment.
func testBroadcastRemindersOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 4)
	b := createBroadcast(t, s, store.Broadcast{Text: "Read me", Ack: true, RemindAfter: 48 * time.Hour}, ids)
	plain := createBroadcast(t, s, store.Broadcast{Text: "FYI", RemindAfter: time.Hour}, ids[:1])
	ds := claimAll(t, s, bcAt, 100)
	require.Len(t, ds, 5)
	var sent []store.BroadcastDelivery
	for _, d := range ds {
		if d.PersonID == ids[3] && d.BroadcastID == b.ID {
			require.NoError(t, s.MarkFailed(ctx, []store.BroadcastDelivery{d}, "invalid"))
			continue
		}
		sent = append(sent, d)
	}
	require.NoError(t, s.MarkSent(ctx, sent, bcAt))
	_, err := s.Ack(ctx, b.ID, ids[0], bcAt.Add(time.Hour))
	require.NoError(t, err)

	n, err := s.EnqueueReminders(ctx, bcAt.Add(47*time.Hour))
	require.NoError(t, err)
	require.Zero(t, n, "not due yet")
	n, err = s.EnqueueReminders(ctx, bcAt.Add(48*time.Hour))
	require.NoError(t, err)
	require.Equal(t, 2, n, "ids[1] and ids[2]: ids[0] acknowledged, ids[3] was never reached")
	n, err = s.EnqueueReminders(ctx, bcAt.Add(96*time.Hour))
	require.NoError(t, err)
	require.Zero(t, n, "one reminder per person")

	reminders := claimAll(t, s, bcAt.Add(48*time.Hour), 100)
	require.Len(t, reminders, 2)
	var who []int64
	for _, d := range reminders {
		require.Equal(t, store.BroadcastReminder, d.Kind)
		require.Equal(t, b.ID, d.BroadcastID)
		who = append(who, d.PersonID)
	}
	slices.Sort(who)
	require.Equal(t, []int64{ids[1], ids[2]}, who)
	require.NoError(t, s.MarkSent(ctx, reminders, bcAt.Add(48*time.Hour)))
	n, err = s.EnqueueReminders(ctx, bcAt.Add(200*time.Hour))
	require.NoError(t, err)
	require.Zero(t, n, "a sent reminder is not followed by another")

	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, 2, st.Reminded)
	require.Equal(t, 4, st.Total, "reminders are not recipients")
	st, err = s.BroadcastStatus(ctx, plain.ID)
	require.NoError(t, err)
	require.Zero(t, st.Reminded)
}

func testBroadcastStatus(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := people(t, s, 5)
	b := createBroadcast(t, s, store.Broadcast{Text: "Read me", Ack: true}, ids)
	ds := claimAll(t, s, bcAt, 3) // three batches: 3, 2
	require.Len(t, ds, 5)
	require.NoError(t, s.MarkSent(ctx, ds[:3], bcAt))
	require.NoError(t, s.MarkFailed(ctx, ds[3:4], "user left the company"))
	for _, p := range ids[:2] {
		_, err := s.Ack(ctx, b.ID, p, bcAt)
		require.NoError(t, err)
	}
	st, err := s.BroadcastStatus(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, b, st.Broadcast)
	require.Equal(t, store.BroadcastStatus{Broadcast: b, Total: 5, Sent: 3, Failed: 1, Pending: 1, Acked: 2,
		Failures: []store.BroadcastFailure{{PersonID: ds[3].PersonID, Name: "P0003", Kind: store.BroadcastAnnounce, Reason: "user left the company"}},
	}, st)
	require.InDelta(t, 2.0/3.0, st.ReadRate(), 1e-9)
}

func testPeopleByID(t *testing.T, s store.Store) {
	ids := people(t, s, 3)
	got, err := s.PeopleByID(t.Context(), []int64{ids[2], ids[0], ids[2], ids[2] + 100})
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, ids[0], got[0].ID)
	require.Equal(t, ids[2], got[1].ID)
	require.Equal(t, "P0002", got[1].Name)
}
