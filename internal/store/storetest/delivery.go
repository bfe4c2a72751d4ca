package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var deliveryTests = []suiteTest{
	{"DeliveryFailedRetried", testDeliveryFailedRetried},
	{"DeliveryClaimOnce", testDeliveryClaimOnce},
	{"DeliveryStaleClaim", testDeliveryStaleClaim},
	{"DeliveryClaimConcurrent", testDeliveryClaimConcurrent},
}

func delivery(key string, personID int64, at time.Time) store.Delivery {
	return store.Delivery{Key: key, Kind: "nudge", PersonID: personID, Subject: "round:1",
		ClaimedAt: at, ClaimUntil: at.Add(10 * time.Minute)}
}

func testDeliveryClaimOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

	ok, err := s.ClaimDelivery(ctx, delivery("nudge:1:1", ada.ID, at))
	require.NoError(t, err)
	require.True(t, ok, "a new key is claimed")
	ok, err = s.ClaimDelivery(ctx, delivery("nudge:1:1", ada.ID, at.Add(time.Minute)))
	require.NoError(t, err)
	require.False(t, ok, "a key claimed by someone else, within their claim, is not")

	require.NoError(t, s.FinishDelivery(ctx, "nudge:1:1", store.DeliverySent, "", at.Add(time.Second)))
	ok, err = s.ClaimDelivery(ctx, delivery("nudge:1:1", ada.ID, at.Add(time.Hour)))
	require.NoError(t, err)
	require.False(t, ok, "a sent key is never claimed again, even long after")

	ok, err = s.ClaimDelivery(ctx, delivery("digest:2:2026-W47", bob.ID, at.Add(2*time.Hour)))
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.FinishDelivery(ctx, "digest:2:2026-W47", store.DeliveryFailed, "no adapter", at.Add(2*time.Hour)))
	ok, err = s.ClaimDelivery(ctx, delivery("digest:2:2026-W47", bob.ID, at.Add(2*time.Hour+5*time.Minute)))
	require.NoError(t, err)
	require.False(t, ok, "a failed key waits a lease before it is tried again")

	all, err := s.Deliveries(ctx, store.DeliveryFilter{})
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, "digest:2:2026-W47", all[0].Key, "newest first")
	require.Equal(t, store.DeliveryFailed, all[0].Status)
	require.Equal(t, "no adapter", all[0].Reason)
	require.Equal(t, store.Delivery{
		Key: "nudge:1:1", Kind: "nudge", PersonID: ada.ID, Subject: "round:1", Status: store.DeliverySent,
		Attempts: 1, ClaimedAt: at, ClaimUntil: at.Add(10 * time.Minute), DoneAt: at.Add(time.Second),
	}, all[1])

	mine, err := s.Deliveries(ctx, store.DeliveryFilter{PersonID: bob.ID})
	require.NoError(t, err)
	require.Len(t, mine, 1)
	late, err := s.Deliveries(ctx, store.DeliveryFilter{Since: at.Add(time.Hour)})
	require.NoError(t, err)
	require.Len(t, late, 1)
	require.Equal(t, bob.ID, late[0].PersonID)
	nudges, err := s.Deliveries(ctx, store.DeliveryFilter{Kind: "nudge", Limit: 5})
	require.NoError(t, err)
	require.Len(t, nudges, 2, "both were claimed as nudges")

	require.ErrorIs(t, s.FinishDelivery(ctx, "never-claimed", store.DeliverySent, "", at), store.ErrNotFound)
}

// testDeliveryStaleClaim: a replica that died holding a claim does not keep
// it: once the claim runs out, another takes it over, and the attempt is
// counted, so possible duplicates can be told.
func testDeliveryStaleClaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	ok, err := s.ClaimDelivery(ctx, delivery("review:7", ada.ID, at))
	require.NoError(t, err)
	require.True(t, ok)

	ok, err = s.ClaimDelivery(ctx, delivery("review:7", ada.ID, at.Add(9*time.Minute)))
	require.NoError(t, err)
	require.False(t, ok, "still within the first claim")
	ok, err = s.ClaimDelivery(ctx, delivery("review:7", ada.ID, at.Add(11*time.Minute)))
	require.NoError(t, err)
	require.True(t, ok, "the first claim ran out")

	ds, err := s.Deliveries(ctx, store.DeliveryFilter{PersonID: ada.ID})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, 2, ds[0].Attempts)
	require.Equal(t, at.Add(11*time.Minute), ds[0].ClaimedAt)
}

func testDeliveryClaimConcurrent(t *testing.T, s store.Store) {
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for range n {
		wg.Go(func() {
			ok, err := s.ClaimDelivery(t.Context(), delivery("escalate:9", ada.ID, at))
			require.NoError(t, err)
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Equal(t, 1, wins, "one claimer of one key")
}

// A failed delivery is tried again once a lease has passed, DeliveryTries
// times in all; then its failure is final.
func testDeliveryFailedRetried(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for try := 1; try <= store.DeliveryTries; try++ {
		ok, err := s.ClaimDelivery(ctx, delivery("nudge:3:1", ada.ID, at))
		require.NoError(t, err)
		require.True(t, ok, "try %d", try)
		require.NoError(t, s.FinishDelivery(ctx, "nudge:3:1", store.DeliveryFailed, "timeout", at.Add(time.Second)))
		at = at.Add(11 * time.Minute)
	}
	ok, err := s.ClaimDelivery(ctx, delivery("nudge:3:1", ada.ID, at.Add(time.Hour)))
	require.NoError(t, err)
	require.False(t, ok, "the last failure is final")
	ds, err := s.Deliveries(ctx, store.DeliveryFilter{PersonID: ada.ID})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, store.DeliveryTries, ds[0].Attempts)
	require.Equal(t, store.DeliveryFailed, ds[0].Status)
	require.Equal(t, "timeout", ds[0].Reason)

	// A delivery that succeeded on a retry ends sent.
	ok, err = s.ClaimDelivery(ctx, delivery("nudge:3:2", ada.ID, at))
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.FinishDelivery(ctx, "nudge:3:2", store.DeliveryFailed, "timeout", at))
	ok, err = s.ClaimDelivery(ctx, delivery("nudge:3:2", ada.ID, at.Add(11*time.Minute)))
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, s.FinishDelivery(ctx, "nudge:3:2", store.DeliverySent, "", at.Add(11*time.Minute)))
	ok, err = s.ClaimDelivery(ctx, delivery("nudge:3:2", ada.ID, at.Add(time.Hour)))
	require.NoError(t, err)
	require.False(t, ok)
}
