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

var inboxTests = []suiteTest{
	{"InboxKeepOnce", testInboxKeepOnce},
	{"InboxTakeDue", testInboxTakeDue},
	{"InboxFenced", testInboxFenced},
	{"InboxDoneInTx", testInboxDoneInTx},
	{"InboxTakeConcurrent", testInboxTakeConcurrent},
	{"InboxSenderOrder", testInboxSenderOrder},
	{"InboxKeepConcurrent", testInboxKeepConcurrent},
	{"InboxKeepBatch", testInboxKeepBatch},
	{"InboxKeepBatchConcurrent", testInboxKeepBatchConcurrent},
	{"InboxTakeInTurn", testInboxTakeInTurn},
	{"InboxTakeBeyondFront", testInboxTakeBeyondFront},
	{"InboxPurge", testInboxPurge},
	{"InboxDoneInBatches", testInboxDoneInBatches},
	{"InboxFailedEvents", testInboxFailedEvents},
}

func inboxEvent(id string) bot.Event {
	return bot.Event{
		ID: id, Kind: bot.KindMessage, Text: "40 <b>", At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC),
		From:  bot.Identity{Platform: "slack", Tenant: "T1", UserID: "U1"},
		Voice: &bot.Voice{MediaID: "m1", Format: "amr", Audio: []byte{0, 1, 2}},
	}
}

// A redelivered event (same key) is not kept twice; the one kept comes
// back whole when taken.
func testInboxKeepOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	ev := inboxEvent("e1")
	env, kept, err := s.KeepEvent(ctx, ev, time.Time{})
	require.NoError(t, err)
	require.True(t, kept)
	require.NotZero(t, env.ID)
	require.Zero(t, env.Attempts, "kept unclaimed")

	_, kept, err = s.KeepEvent(ctx, ev, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.False(t, kept, "a redelivery is recognised")

	// Events without an id are never taken for redeliveries.
	for i := range 2 {
		anon := inboxEvent("")
		anon.From.UserID = fmt.Sprint("U-anon", i) // taken at once, beside the first
		_, kept, err = s.KeepEvent(ctx, anon, time.Time{})
		require.NoError(t, err)
		require.True(t, kept)
	}
	depth, oldest, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, depth)
	require.False(t, oldest.IsZero())

	envs, err := s.TakeEvents(ctx, time.Now(), time.Now().Add(time.Minute), 10)
	require.NoError(t, err)
	require.Len(t, envs, 3)
	require.Equal(t, env.ID, envs[0].ID, "oldest first")
	require.Equal(t, ev, envs[0].Event, "the event comes back whole")
	require.Equal(t, 1, envs[0].Attempts)
}

// Taking claims only due events and those whose claim ran out.
func testInboxTakeDue(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	claimed, kept, err := s.KeepEvent(ctx, inboxEvent("claimed"), now.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, kept)
	require.Equal(t, 1, claimed.Attempts)

	envs, err := s.TakeEvents(ctx, now, now.Add(time.Minute), 10)
	require.NoError(t, err)
	require.Empty(t, envs, "a live claim is not taken")

	// Its worker died: after the claim runs out it is taken again.
	later := now.Add(2 * time.Minute)
	envs, err = s.TakeEvents(ctx, later, later.Add(time.Minute), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, 2, envs[0].Attempts)

	// A retry waits until it is due.
	require.NoError(t, s.RetryEvent(ctx, envs[0], later.Add(time.Hour), "boom"))
	envs, err = s.TakeEvents(ctx, later.Add(time.Minute), later.Add(2*time.Minute), 10)
	require.NoError(t, err)
	require.Empty(t, envs)
	envs, err = s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, 3, envs[0].Attempts)

	require.NoError(t, s.FailEvent(ctx, envs[0], "gave up"))
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Zero(t, depth, "a failed event no longer waits")
	envs, err = s.TakeEvents(ctx, later.Add(5*time.Hour), later.Add(6*time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, envs, "nor is it taken again")
}

// A worker whose claim was taken over settles nothing.
func testInboxFenced(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	first, _, err := s.KeepEvent(ctx, inboxEvent("fenced"), now.Add(time.Second))
	require.NoError(t, err)
	later := now.Add(time.Minute)
	envs, err := s.TakeEvents(ctx, later, later.Add(time.Minute), 1)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	second := envs[0]

	for _, settle := range []func() error{
		func() error { return s.EventDone(ctx, first) },
		func() error { return s.RetryEvent(ctx, first, later, "x") },
		func() error { return s.FailEvent(ctx, first, "x") },
	} {
		require.ErrorIs(t, settle(), bot.ErrClaimLost)
	}
	require.NoError(t, s.EventDone(ctx, second))
	require.ErrorIs(t, s.EventDone(ctx, second), bot.ErrClaimLost, "done once")
}

// Marked done in a transaction that rolls back, the event is still
// claimed; committed, it is done.
func testInboxDoneInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	env, _, err := s.KeepEvent(ctx, inboxEvent("tx"), now.Add(time.Second))
	require.NoError(t, err)
	boom := errors.New("boom")
	err = s.InTx(ctx, func(tx store.Store) error {
		require.NoError(t, tx.EventDone(ctx, env))
		return boom
	})
	require.ErrorIs(t, err, boom)
	later := now.Add(time.Minute)
	envs, err := s.TakeEvents(ctx, later, later.Add(time.Minute), 1)
	require.NoError(t, err)
	require.Len(t, envs, 1, "the rolled back step left the event to do")

	require.NoError(t, s.InTx(ctx, func(tx store.Store) error { return tx.EventDone(ctx, envs[0]) }))
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Zero(t, depth)
}

// Takers at once each get different events, and together all of them.
func testInboxTakeConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 40
	for i := range n {
		ev := inboxEvent(fmt.Sprint("c", i))
		ev.From.UserID = fmt.Sprint("U", i) // one sender's events are taken in turn
		_, _, err := s.KeepEvent(ctx, ev, time.Time{})
		require.NoError(t, err)
	}
	var (
		mu   sync.Mutex
		seen = map[int64]int{}
		wg   sync.WaitGroup
		errs = make(chan error, 4)
	)
	for range 4 {
		wg.Go(func() {
			for {
				now := time.Now()
				envs, err := s.TakeEvents(ctx, now, now.Add(time.Minute), 3)
				if err != nil {
					errs <- err
					return
				}
				if len(envs) == 0 {
					return
				}
				mu.Lock()
				for _, e := range envs {
					seen[e.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, seen, n)
	for id, c := range seen {
		require.Equal(t, 1, c, "event %d taken twice", id)
	}
}

// A sender's event is not taken while an earlier one of theirs is claimed
// or waits for its retry, so their messages are stepped in order even when
// the worker holding the first died: found by internal/faulttest, where the
// answer after a kill -9 was saved to the question before it.
func testInboxSenderOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	first, _, err := s.KeepEvent(ctx, inboxEvent("o1"), now.Add(time.Minute)) // its worker dies
	require.NoError(t, err)
	// Kept to be handled at once, it still waits behind the first.
	second, _, err := s.KeepEvent(ctx, inboxEvent("o2"), now.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, second.ClaimUntil.IsZero(), "kept as due, not claimed")
	require.Zero(t, second.Attempts)
	other := inboxEvent("o3")
	other.From.UserID = "U2"
	_, _, err = s.KeepEvent(ctx, other, time.Time{})
	require.NoError(t, err)

	envs, err := s.TakeEvents(ctx, now, now.Add(time.Minute), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1, "only the other sender's event")
	require.Equal(t, "o3", envs[0].Event.ID)
	require.NoError(t, s.EventDone(ctx, envs[0]))

	// The claim runs out: the first is taken again, and the second still
	// waits for it.
	later := now.Add(2 * time.Minute)
	envs, err = s.TakeEvents(ctx, later, later.Add(time.Minute), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, first.ID, envs[0].ID)

	// The first waits for a retry: the second waits with it.
	require.NoError(t, s.RetryEvent(ctx, envs[0], later.Add(time.Hour), "boom"))
	envs, err = s.TakeEvents(ctx, later.Add(time.Minute), later.Add(2*time.Minute), 10)
	require.NoError(t, err)
	require.Empty(t, envs)
	envs, err = s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, first.ID, envs[0].ID)
	require.NoError(t, s.EventDone(ctx, envs[0]))

	// Returned untried, an event keeps its count of attempts.
	envs, err = s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, second.ID, envs[0].ID)
	require.NoError(t, s.ReturnEvent(ctx, envs[0]))
	require.ErrorIs(t, s.ReturnEvent(ctx, envs[0]), bot.ErrClaimLost, "returned once")
	back, err := s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, back, 1)
	require.Equal(t, envs[0].Attempts, back[0].Attempts)

	// Done, it no longer holds the next up.
	third, _, err := s.KeepEvent(ctx, inboxEvent("o4"), time.Time{})
	require.NoError(t, err)
	envs, err = s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Empty(t, envs, "the second is still claimed")
	require.NoError(t, s.EventDone(ctx, back[0]))
	envs, err = s.TakeEvents(ctx, later.Add(2*time.Hour), later.Add(3*time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, third.ID, envs[0].ID)
}

// A take looks at the oldest open events first; when one sender's line
// fills all of them, waiting behind an event being stepped, the heads of
// other senders further on are still found, and the line keeps its order.
func testInboxTakeBeyondFront(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var line []bot.Envelope
	for i := range 300 {
		env, _, err := s.KeepEvent(ctx, inboxEvent(fmt.Sprint("f", i)), time.Time{})
		require.NoError(t, err)
		line = append(line, env)
	}
	other := inboxEvent("later")
	other.From.UserID = "U2"
	_, _, err := s.KeepEvent(ctx, other, time.Time{})
	require.NoError(t, err)

	envs, err := s.TakeEvents(ctx, now, now.Add(time.Minute), 1)
	require.NoError(t, err)
	require.Len(t, envs, 1)
	require.Equal(t, line[0].ID, envs[0].ID, "the oldest first")
	envs, err = s.TakeEvents(ctx, now, now.Add(time.Minute), 4)
	require.NoError(t, err)
	require.Len(t, envs, 1, "the line waits for its first; the other sender does not")
	require.Equal(t, "later", envs[0].Event.ID)
}

// Replicas keeping one sender's events at the same moment, each with a
// worker free, claim one of them: the others wait their turn. Found by
// internal/loadgen on two replicas, where a person's submit was stepped
// before their mood.
func testInboxKeepConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 24
	var (
		wg      sync.WaitGroup
		claimed = make(chan int64, n)
		errs    = make(chan error, n)
	)
	until := time.Now().Add(time.Minute)
	for i := range n {
		wg.Go(func() {
			env, kept, err := s.KeepEvent(ctx, inboxEvent(fmt.Sprint("k", i)), until)
			switch {
			case err != nil:
				errs <- err
			case !kept:
				errs <- fmt.Errorf("event k%d not kept", i)
			case !env.ClaimUntil.IsZero():
				claimed <- env.ID
			}
		})
	}
	wg.Wait()
	close(errs)
	close(claimed)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, claimed, 1, "one claimed, the rest waiting")
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, n, depth)
}

// A batch keeps each event as KeepEvent would: a redelivery (in the batch
// or of an event kept before) not again, a sender's later event behind
// their earlier one, in the batch or before it.
func testInboxKeepBatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	bk, ok := s.(bot.BatchKeeper)
	if !ok {
		t.Skip("keeps one event at a time")
	}
	from := func(id, user string) bot.Event {
		ev := inboxEvent(id)
		ev.From.UserID = user
		return ev
	}
	until := time.Now().Add(time.Minute)
	old, kept, err := s.KeepEvent(ctx, from("old", "U1"), until)
	require.NoError(t, err)
	require.True(t, kept)
	keeps := []bot.Keep{
		{Event: from("a", "U2"), Until: until},
		{Event: from("a", "U2"), Until: until}, // delivered twice at once
		{Event: from("b", "U2"), Until: until},
		{Event: from("old", "U1"), Until: until}, // delivered again later
		{Event: from("c", "U1"), Until: until},
		{Event: from("e", "U4")},
		{Event: from("f", "U4"), Until: until},
	}
	out := bk.KeepEvents(ctx, keeps)
	require.Len(t, out, len(keeps))
	for i, o := range out {
		require.NoError(t, o.Err, i)
	}
	require.True(t, out[0].Kept)
	require.False(t, out[0].Envelope.ClaimUntil.IsZero(), "a is claimed: U2 has nothing open")
	require.Equal(t, 1, out[0].Envelope.Attempts)
	require.Equal(t, keeps[0].Event, out[0].Envelope.Event)
	require.False(t, out[1].Kept, "a twice in the batch")
	require.True(t, out[2].Kept)
	require.True(t, out[2].Envelope.ClaimUntil.IsZero(), "b waits behind a")
	require.Greater(t, out[2].Envelope.ID, out[0].Envelope.ID, "in their order")
	require.False(t, out[3].Kept, "old was kept before")
	require.True(t, out[4].Kept)
	require.True(t, out[4].Envelope.ClaimUntil.IsZero(), "c waits behind old")
	require.True(t, out[5].Kept)
	require.True(t, out[5].Envelope.ClaimUntil.IsZero(), "kept unclaimed, as asked")
	require.True(t, out[6].Kept)
	require.True(t, out[6].Envelope.ClaimUntil.IsZero(), "f waits behind e, which waits")

	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 6, depth)
	envs, err := s.TakeEvents(ctx, time.Now(), until, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{out[5].Envelope.ID}, envIDs(envs), "only the heads of senders with nothing claimed")
	require.Equal(t, keeps[5].Event, envs[0].Event, "the event comes back whole")

	// A batch with an event without an id is kept too, in its order.
	anon := bk.KeepEvents(ctx, []bot.Keep{{Event: from("g", "U5")}, {Event: from("", "U5")}, {Event: from("g", "U5")}})
	require.True(t, anon[0].Kept)
	require.True(t, anon[1].Kept)
	require.False(t, anon[2].Kept, "g twice")
	require.Greater(t, anon[1].Envelope.ID, anon[0].Envelope.ID)
	require.NoError(t, s.EventDone(ctx, old))
	envs, err = s.TakeEvents(ctx, time.Now(), until, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{out[4].Envelope.ID, anon[0].Envelope.ID}, envIDs(envs), "c follows old; g heads U5's line")
}

// Batches keeping one sender's events at the same moment, each asking to
// claim, claim one of them, as replicas keeping one at a time do.
func testInboxKeepBatchConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	bk, ok := s.(bot.BatchKeeper)
	if !ok {
		t.Skip("keeps one event at a time")
	}
	const batches, each = 8, 3
	until := time.Now().Add(time.Minute)
	outs := make([][]bot.Kept, batches)
	var wg sync.WaitGroup
	for b := range batches {
		wg.Go(func() {
			var keeps []bot.Keep
			for i := range each {
				keeps = append(keeps, bot.Keep{Event: inboxEvent(fmt.Sprint("kb", b, "-", i)), Until: until})
			}
			outs[b] = bk.KeepEvents(ctx, keeps)
		})
	}
	wg.Wait()
	claimed := 0
	for _, out := range outs {
		for _, o := range out {
			require.NoError(t, o.Err)
			require.True(t, o.Kept)
			if !o.Envelope.ClaimUntil.IsZero() {
				claimed++
			}
		}
	}
	require.Equal(t, 1, claimed, "one claimed, the rest waiting")
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, batches*each, depth)
}

// Takers at once, as replicas, step each sender's events one at a time and
// in the order they came: a taker that skips a sender's first event,
// locked by another's take, must not take the one after it.
func testInboxTakeInTurn(t *testing.T, s store.Store) {
	ctx := t.Context()
	const senders, each = 6, 8
	index := map[int64]int{}
	for i := range each {
		for u := range senders {
			ev := inboxEvent(fmt.Sprint("t", u, "-", i))
			ev.From.UserID = fmt.Sprint("U", u)
			env, _, err := s.KeepEvent(ctx, ev, time.Time{})
			require.NoError(t, err)
			index[env.ID] = i
		}
	}
	var (
		mu    sync.Mutex
		next  = map[string]int{} // per sender, the index of the event to take next
		done  int
		wg    sync.WaitGroup
		errs  = make(chan error, 8)
		until = time.Now().Add(time.Minute)
	)
	deadline := time.Now().Add(30 * time.Second)
	for range 4 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				mu.Lock()
				finished := done == senders*each
				mu.Unlock()
				if finished {
					return
				}
				envs, err := s.TakeEvents(ctx, time.Now(), until, 3)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, e := range envs {
					from := e.Event.From.String()
					if got := index[e.ID]; got != next[from] {
						errs <- fmt.Errorf("%s: took event %d while %d was open", from, got, next[from])
					}
					next[from]++
				}
				mu.Unlock()
				for _, e := range envs {
					if err := s.EventDone(ctx, e); err != nil {
						errs <- err
						return
					}
					mu.Lock()
					done++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, senders*each, done, "every event taken and done")
}

// Done events are purged after a while; their keys then no longer
// recognise a redelivery. Waiting ones are never purged.
func testInboxPurge(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	done, _, err := s.KeepEvent(ctx, inboxEvent("old"), now.Add(time.Minute))
	require.NoError(t, err)
	require.NoError(t, s.EventDone(ctx, done))
	_, _, err = s.KeepEvent(ctx, inboxEvent("waiting"), time.Time{})
	require.NoError(t, err)

	// The store's clock need not be the wall clock: go far either way.
	n, err := s.PurgeInbox(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Zero(t, n, "too recent")
	n, err = s.PurgeInbox(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, depth)
}

// Failed events are counted, in all or since a time; events done or still
// waiting are not.
func testInboxFailedEvents(t *testing.T, s store.Store) {
	ctx := t.Context()
	n, err := s.FailedEvents(ctx, time.Time{})
	require.NoError(t, err)
	require.Zero(t, n)

	now := time.Now()
	for _, id := range []string{"f1", "f2", "done", "waiting"} {
		env, _, err := s.KeepEvent(ctx, inboxEvent(id), now.Add(time.Minute))
		require.NoError(t, err)
		switch id {
		case "done":
			require.NoError(t, s.EventDone(ctx, env))
		case "waiting":
		default:
			require.NoError(t, s.FailEvent(ctx, env, "gave up"))
		}
	}
	n, err = s.FailedEvents(ctx, time.Time{})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	// The store's clock stamps the failures: since long ago counts both,
	// since far ahead none.
	n, err = s.FailedEvents(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = s.FailedEvents(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Zero(t, n)
}

// Handled events are recorded done in one write; one not claimed any more
// is left as it is.
func testInboxDoneInBatches(t *testing.T, s store.Store) {
	ctx := t.Context()
	until := time.Now().Add(time.Minute)
	var envs []bot.Envelope
	for i := range 3 {
		ev := inboxEvent(fmt.Sprint("batch", i))
		ev.From.UserID = fmt.Sprint("U", i) // one sender's would wait behind each other
		env, _, err := s.KeepEvent(ctx, ev, until)
		require.NoError(t, err)
		envs = append(envs, env)
	}
	require.NoError(t, s.RetryEvent(ctx, envs[2], time.Now(), "handed back"))
	require.NoError(t, s.EventsDone(ctx, envs))
	require.NoError(t, s.EventsDone(ctx, nil))
	depth, _, err := s.InboxStats(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, depth, "the one handed back still waits")
	require.ErrorIs(t, s.EventDone(ctx, envs[0]), bot.ErrClaimLost, "done already")
	again := inboxEvent("batch0")
	again.From.UserID = "U0"
	_, kept, err := s.KeepEvent(ctx, again, until)
	require.NoError(t, err)
	require.False(t, kept, "a done event still recognises its redelivery")
}

func envIDs(envs []bot.Envelope) []int64 {
	ids := make([]int64, 0, len(envs))
	for _, e := range envs {
		ids = append(ids, e.ID)
	}
	return ids
}
