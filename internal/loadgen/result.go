package loadgen

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/platformtest"
	"github.com/perfbot/perfbot/internal/store"
)

// Result is what a run measured and verified.
type Result struct {
	Config Config
	People int // employees and managers
	drive  *driven

	// Acked is how many events perfbot acknowledged; Errors the answers
	// other than 200 and the failed requests, retries included; Unsent the
	// events the timeout left unsent.
	Acked, Errors, Unsent int
	// Throughput is events acknowledged a second while sending.
	Throughput float64
	// AckP50, AckP95 and AckP99 are acknowledgement latencies.
	AckP50, AckP95, AckP99 time.Duration
	// CardP50, CardP95, CardP99 are the times from sending a submit to the
	// manager's card arriving at the platform's fake; CardMax the longest.
	CardP50, CardP95, CardP99, CardMax time.Duration
	// Settled is how long after the sending every event was handled and
	// every reply sent; zero when Drain ran out first.
	Settled time.Duration
	// Handled is events handled a second, from the first sent until all
	// were handled (or the drain ran out): perfbot's inbound throughput,
	// which an inbox can keep far below what it acknowledges.
	Handled float64

	// Submitted is how many people had every event of their check-in
	// acknowledged; Stored how many of them the database holds once, as
	// submitted, with every answer and the mood; Lost the answers (and
	// moods) of theirs it does not hold; DoubleRounds the people with more
	// than one round.
	Submitted, Stored, Lost, DoubleRounds int
	// InboxEvents is the inbox's rows, InboxFailed those failed for good,
	// InboxOpen those still waiting or being handled at the end.
	InboxEvents, InboxFailed, InboxOpen int
	// Unsubmitted is the rounds of people who sent submit that are not
	// submitted, by status.
	Unsubmitted map[string]int
	// Cards is the managers' cards about the submitted check-ins, MissingCards
	// the submitted check-ins whose card did not arrive, ExtraCards cards
	// beyond one a check-in (a card sent twice). A card is a message to the
	// manager naming the person in full.
	Cards, MissingCards, ExtraCards int
	// Duplicates counts, by platform, messages delivered again to the same
	// person showing the same thing; Delivered all messages; Limited the
	// calls a fake refused for going over a rate limit.
	Duplicates, Delivered, Limited map[Platform]int
	// Repeated is, by platform, each message Duplicates counted, for
	// whoever looks into one.
	Repeated map[Platform][]platformtest.Message

	// Profile is what one event cost PostgreSQL and Redis in this run;
	// Bound what replaying it alone achieved.
	Profile Profile
	Bound   *Bound
}

// settle waits, within drain, until the inbox and the outbox hold nothing
// open and every submitted check-in's card arrived, then measures.
func (r *Result) settle(ctx context.Context, db *sql.DB, f *fakes, o org, drain time.Duration) {
	d := r.drive
	r.Acked, r.Errors, r.Unsent = len(d.acks), d.errors, d.unsent
	if took := d.ended.Sub(d.started).Seconds(); took > 0 {
		r.Throughput = float64(r.Acked) / took
	}
	r.AckP50, r.AckP95, r.AckP99 = quantile(d.acks, 0.50), quantile(d.acks, 0.95), quantile(d.acks, 0.99)
	r.Submitted = len(d.submitted)
	deadline := time.Now().Add(drain)
	// Handled is measured up to when the inbox was empty: the replies may
	// wait for the platforms' limits long after that, and that is the
	// platforms' pace, not perfbot's.
	var handledAt time.Time
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var inbox, outbox int
		err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'claimed')),
			(SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'claimed'))`).Scan(&inbox, &outbox)
		if err == nil && inbox == 0 && handledAt.IsZero() {
			handledAt = time.Now()
		}
		if err == nil && inbox+outbox == 0 && len(cards(f, d.submitted)) == r.Submitted {
			r.Settled = time.Since(d.ended)
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if handledAt.IsZero() {
		handledAt = time.Now()
	}
	var handled int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE status IN ('done', 'failed')`).Scan(&handled); err == nil {
		r.Handled = float64(handled) / handledAt.Sub(d.started).Seconds()
	}
	var took []time.Duration
	for p, at := range cards(f, d.submitted) {
		took = append(took, at.Sub(d.submitted[p]))
	}
	slices.Sort(took)
	r.CardP50, r.CardP95, r.CardP99 = quantile(took, 0.50), quantile(took, 0.95), quantile(took, 0.99)
	if len(took) > 0 {
		r.CardMax = took[len(took)-1]
	}
}

// cards finds, for each submitted check-in, when the first card naming
// its person reached their manager.
func cards(f *fakes, submitted map[*person]time.Time) map[*person]time.Time {
	out, _ := cardCounts(f, submitted)
	return out
}

// cardCounts finds, for each submitted check-in, when the first card
// naming its person reached their manager, and how many did.
func cardCounts(f *fakes, submitted map[*person]time.Time) (map[*person]time.Time, map[*person]int) {
	out, counts := map[*person]time.Time{}, map[*person]int{}
	for _, pl := range platforms {
		byManager := map[string][]*person{}
		for p := range submitted {
			if p.Platform == pl {
				byManager[p.Manager.ID] = append(byManager[p.Manager.ID], p)
			}
		}
		for _, m := range f.received(pl).Messages() {
			for _, p := range byManager[m.To] {
				if m.Continues || !strings.Contains(m.Shown, p.Name) {
					continue
				}
				if counts[p]++; counts[p] == 1 {
					out[p] = m.At
				}
			}
		}
	}
	return out, counts
}

// verify checks the database and the fakes against what was acknowledged.
func (r *Result) verify(ctx context.Context, db *sql.DB, f *fakes, o org) error {
	rows, err := db.QueryContext(ctx, `SELECT p.email, r.status, r.answers, r.mood FROM rounds r JOIN people p ON p.id = r.person_id`)
	if err != nil {
		return fmt.Errorf("read rounds: %w", err)
	}
	defer rows.Close()
	rounds := map[string][]store.Round{}
	for rows.Next() {
		var (
			email, status string
			raw           []byte
			rd            store.Round
		)
		if err := rows.Scan(&email, &status, &raw, &rd.Mood); err != nil {
			return err
		}
		rd.Status = store.Status(status)
		if err := json.Unmarshal(raw, &rd.Answers); err != nil {
			return err
		}
		rounds[email] = append(rounds[email], rd)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for p := range r.drive.submitted {
		got := rounds[p.email()]
		if len(got) > 1 {
			r.DoubleRounds++
		}
		if len(got) == 0 {
			r.Lost += 4
			continue
		}
		rd, lost := got[0], 0
		if rd.Status != store.StatusSubmitted {
			if r.Unsubmitted == nil {
				r.Unsubmitted = map[string]int{}
			}
			r.Unsubmitted[string(rd.Status)]++
		}
		for _, key := range []string{store.QuestionDone, store.QuestionBlockers, store.QuestionNext} {
			if rd.Answer(key) != answer(p, key) {
				lost++
			}
		}
		if rd.Mood != mood {
			lost++
		}
		r.Lost += lost
		if lost == 0 && len(got) == 1 && rd.Status == store.StatusSubmitted {
			r.Stored++
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'failed'),
		COUNT(*) FILTER (WHERE status IN ('pending', 'claimed')) FROM inbox`).
		Scan(&r.InboxEvents, &r.InboxFailed, &r.InboxOpen); err != nil {
		return fmt.Errorf("count the inbox: %w", err)
	}

	got, counts := cardCounts(f, r.drive.submitted)
	r.Cards = len(got)
	r.MissingCards = r.Submitted - r.Cards
	for _, n := range counts {
		r.ExtraCards += n - 1
	}
	r.Duplicates, r.Delivered, r.Limited = map[Platform]int{}, map[Platform]int{}, map[Platform]int{}
	r.Repeated = map[Platform][]platformtest.Message{}
	for _, pl := range platforms {
		rec := f.received(pl)
		r.Repeated[pl] = rec.Repeated()
		r.Duplicates[pl], r.Delivered[pl], r.Limited[pl] = len(r.Repeated[pl]), rec.Total(), rec.Limited()
	}
	return nil
}

// quantile is the q-quantile of sorted (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Print writes the report.
func (r *Result) Print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "perfbot load run: %d replica(s), people %s (+ managers, %d in all), target %.0f events/s\n",
		c.Replicas, c.Mix, r.People, c.Rate)
	fmt.Fprintf(w, "events       acknowledged %d, errors %d (retried), unsent %d\n", r.Acked, r.Errors, r.Unsent)
	fmt.Fprintf(w, "throughput   %.0f events/s acknowledged while sending\n", r.Throughput)
	fmt.Fprintf(w, "ack latency  p50 %v  p95 %v  p99 %v\n", rnd(r.AckP50), rnd(r.AckP95), rnd(r.AckP99))
	fmt.Fprintf(w, "to the card  p50 %v  p95 %v  p99 %v  max %v (submit sent -> manager's card at the fake)\n",
		rnd(r.CardP50), rnd(r.CardP95), rnd(r.CardP99), rnd(r.CardMax))
	fmt.Fprintf(w, "handled      %.0f events/s (first sent to all handled)\n", r.Handled)
	if r.Settled > 0 {
		fmt.Fprintf(w, "settled      %v after the last event was sent\n", rnd(r.Settled))
	} else {
		fmt.Fprintf(w, "settled      NOT within %v\n", c.Drain)
	}
	fmt.Fprintf(w, "check-ins    submitted %d, stored once and whole %d, answers lost %d, people with two rounds %d\n",
		r.Submitted, r.Stored, r.Lost, r.DoubleRounds)
	fmt.Fprintf(w, "inbox        %d events, %d failed, %d still open\n", r.InboxEvents, r.InboxFailed, r.InboxOpen)
	if len(r.Unsubmitted) > 0 {
		fmt.Fprintf(w, "NOT SUBMITTED rounds of people who sent submit, by status: %v\n", r.Unsubmitted)
	}
	fmt.Fprintf(w, "cards        %d, missing %d, extra %d\n", r.Cards, r.MissingCards, r.ExtraCards)
	for _, pl := range platforms {
		fmt.Fprintf(w, "%-12s delivered %d, duplicates %d, calls refused over the limit %d\n",
			string(pl), r.Delivered[pl], r.Duplicates[pl], r.Limited[pl])
		for _, m := range r.Repeated[pl] {
			fmt.Fprintf(w, "             again to %s at %s: %.120q\n", m.To, m.At.Format("15:04:05.000"), m.Shown)
		}
	}
	r.Profile.print(w)
	if r.Bound != nil {
		r.Bound.print(w)
		if r.Bound.EventsPerSecond > 0 {
			fmt.Fprintf(w, "ratio        %.0f%% of the storage bound (%.0f events/s handled of %.0f)\n",
				100*r.Handled/r.Bound.EventsPerSecond, r.Handled, r.Bound.EventsPerSecond)
		}
	}
}

func rnd(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}

// OK reports whether nothing was lost or stored twice: every submitted
// check-in stored once and whole, no event failed, no message delivered
// twice, every card arrived once.
func (r *Result) OK() bool {
	dups := 0
	for _, n := range r.Duplicates {
		dups += n
	}
	return r.Stored == r.Submitted && r.Lost == 0 && r.DoubleRounds == 0 && r.InboxFailed == 0 && r.InboxOpen == 0 &&
		dups == 0 && r.MissingCards == 0 && r.ExtraCards == 0
}
