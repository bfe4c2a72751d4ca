package scheduler_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

func simID(u string) bot.Identity {
	return bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: u}
}

// last is the newest message of a DM.
func last(t *testing.T, sim *simulator.Adapter, user string) simulator.Entry {
	t.Helper()
	dm := sim.DM(user)
	require.NotEmpty(t, dm, user)
	return dm[len(dm)-1]
}

// said reports whether any message of a DM contains text.
func said(sim *simulator.Adapter, user, text string) bool {
	for _, e := range sim.DM(user) {
		if strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

// tickBoth runs a tick on two replicas at once and adds up what they sent.
func tickBoth(t *testing.T, a, b *scheduler.Runner) scheduler.Counts {
	t.Helper()
	var ca, cb scheduler.Counts
	var ea, eb error
	done := make(chan struct{})
	go func() { ca, ea = a.Tick(context.Background()); close(done) }()
	cb, eb = b.Tick(context.Background())
	<-done
	require.NoError(t, ea)
	require.NoError(t, eb)
	return scheduler.Counts{
		Prompts: ca.Prompts + cb.Prompts, Nudges: ca.Nudges + cb.Nudges, Digests: ca.Digests + cb.Digests,
		Reviews: ca.Reviews + cb.Reviews, Escalations: ca.Escalations + cb.Escalations,
		RequestReminders:   ca.RequestReminders + cb.RequestReminders,
		RequestEscalations: ca.RequestEscalations + cb.RequestEscalations,
		GoalDigests:        ca.GoalDigests + cb.GoalDigests, GoalPlans: ca.GoalPlans + cb.GoalPlans,
		Weeks: ca.Weeks + cb.Weeks,
	}
}

// A week of one team in Berlin, on two replicas: the prompt, the deadline
// digest to each manager (not one ping per person) and its "remind them"
// button, nudges kept to working hours and working days, at most two, the
// review reminder and, a working day later, the escalation to the
// manager's manager. Nobody away is prompted, nudged or listed, and every
// send is recorded once.
func TestRunnerFollowsUp(t *testing.T) {
	for _, backend := range enginetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			ctx := context.Background()
			sim := simulator.New(simulator.Options{})
			f := enginetest.New(t, backend, sim)
			f.Team.Cadence, f.Team.Deadline = "0 16 * * FRI", "FRI 18:00"
			require.NoError(t, f.Store.SaveTeam(ctx, &f.Team))
			const berlin = "Europe/Berlin"
			boss := f.Add("boss", bot.LocaleEN, berlin, 0, bot.RoleManager, simID("boss"))
			mgr := f.Add("mgr", bot.LocaleEN, berlin, boss.ID, bot.RoleManager, simID("mgr"))
			ann := f.Add("ann", bot.LocaleEN, berlin, mgr.ID, bot.RoleEmployee, simID("ann"))
			bob := f.Add("bob", bot.LocaleEN, berlin, mgr.ID, bot.RoleEmployee, simID("bob"))
			cat := f.Add("cat", bot.LocaleEN, berlin, mgr.ID, bot.RoleEmployee, simID("cat"))
			cat.AwayUntil = "2026-12-07"
			require.NoError(t, f.Store.SavePerson(ctx, &cat))

			cal, err := calendar.Load("")
			require.NoError(t, err)
			planner := scheduler.NewPlanner(cal)
			replica := func() *scheduler.Runner {
				return scheduler.NewRunner(planner, f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
			}
			a, b := replica(), replica()
			at := func(s string) {
				tm, err := time.Parse("2006-01-02 15:04", s)
				require.NoError(t, err)
				f.Clock.Set(tm)
			}
			submit := func(p bot.Person) {
				r := f.Round(p.ID, "2026-W48")
				r.Status, r.SubmittedAt = store.StatusSubmitted, f.Clock.Now()
				require.NoError(t, f.Store.SaveRound(ctx, &r))
			}

			// Friday 16:01 in Berlin: everyone but cat is prompted, once.
			at("2026-11-27 15:01")
			require.Equal(t, scheduler.Counts{Prompts: 4}, tickBoth(t, a, b))
			require.Empty(t, sim.DM("cat"))
			submit(ann)
			submit(boss)

			// 18:01, past the deadline: mgr hears once that bob is missing
			// (not ann, who submitted; not cat, who is away); boss hears of mgr.
			at("2026-11-27 17:01")
			require.Equal(t, scheduler.Counts{Digests: 2}, tickBoth(t, a, b))
			digest := last(t, sim, "mgr")
			require.Equal(t, "Check-ins due · 2026-W48", digest.Title)
			require.Contains(t, digest.Text, "• bob")
			require.NotContains(t, digest.Text, "ann")
			require.NotContains(t, digest.Text, "cat")
			require.Contains(t, last(t, sim, "boss").Text, "• mgr")
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b), "nothing twice")

			// mgr taps "remind them": bob is reminded, once however often it is tapped.
			tap := func(id string) {
				require.NoError(t, f.Engine.Handle(ctx, bot.Event{
					ID: id, From: simID("mgr"), Kind: bot.KindAction, Action: digest.Buttons[0].Value, Ref: digest.Ref,
				}))
			}
			bobBefore := len(sim.DM("bob"))
			tap("tap-1")
			require.Len(t, sim.DM("bob"), bobBefore+1)
			require.Equal(t, "Reminder · check-in 2026-W48", last(t, sim, "bob").Title)
			require.Equal(t, "Reminded 1 of your reports about their check-in for 2026-W48.", last(t, sim, "mgr").Text)
			tap("tap-2")
			require.Len(t, sim.DM("bob"), bobBefore+1)
			require.Contains(t, last(t, sim, "mgr").Text, "nobody to remind")

			// The first nudge is due 24 hours after the prompt: a Saturday,
			// so it waits for Monday 09:00, and not a minute before.
			at("2026-11-28 15:01")
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			at("2026-11-30 07:59")
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b), "08:59 in Berlin is quiet")
			at("2026-11-30 08:01")
			// Monday 09:01: bob and mgr nudged; ann's check-in, submitted
			// on Friday, reminded to mgr.
			// Nobody gets a Monday "my week" card: an open check-in is
			// all they have, and the nudge says it.
			require.Equal(t, scheduler.Counts{Nudges: 2, Reviews: 1}, tickBoth(t, a, b))
			require.Equal(t, "Reminder · check-in 2026-W48", last(t, sim, "bob").Title)
			require.True(t, said(sim, "mgr", "ann's check-in has waited 65 hours for your review"))

			// Tuesday 09:01: the second and last nudge, and the escalation
			// to boss a working day after the reminder.
			at("2026-12-01 08:01")
			require.Equal(t, scheduler.Counts{Nudges: 2, Escalations: 1}, tickBoth(t, a, b))
			require.True(t, said(sim, "boss", "mgr hasn't reviewed ann's check-in for 2026-W48"))
			at("2026-12-02 08:01")
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b), "at most two nudges")
			require.Empty(t, sim.DM("cat"), "nothing to someone away")

			// Every send is on record, once.
			ds, err := f.Store.Deliveries(ctx, store.DeliveryFilter{PersonID: bob.ID})
			require.NoError(t, err)
			kinds := map[string]int{}
			for _, d := range ds {
				if d.Kind == scheduler.DeliveryMyWeek {
					// Monday's card was claimed once and had nothing to say.
					require.Equal(t, store.DeliverySkipped, d.Status, d.Key)
					continue
				}
				require.Equal(t, store.DeliverySent, d.Status, d.Key)
				require.Equal(t, 1, d.Attempts, d.Key)
				kinds[d.Kind]++
			}
			require.Equal(t, map[string]int{"prompt": 1, "nudge": 2, "remind-team": 1}, kinds)
			ds, err = f.Store.Deliveries(ctx, store.DeliveryFilter{PersonID: boss.ID})
			require.NoError(t, err)
			sent := 0
			for _, d := range ds {
				if d.Status == store.DeliverySent {
					sent++
				}
			}
			require.Equal(t, 3, sent, "boss's prompt, digest and the escalation")
		})
	}
}

// An unanswered feedback request: the asked person is reminded after 24
// hours, their manager told a working day later, each once across two
// replicas; an answered one is left alone.
func TestRunnerFollowsUpFeedbackRequests(t *testing.T) {
	for _, backend := range enginetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			ctx := context.Background()
			sim := simulator.New(simulator.Options{})
			f := enginetest.New(t, backend, sim)
			const berlin = "Europe/Berlin"
			boss := f.Add("boss", bot.LocaleEN, berlin, 0, bot.RoleManager, simID("boss"))
			sam := f.Add("sam", bot.LocaleEN, berlin, boss.ID, bot.RoleEmployee, simID("sam"))
			ann := f.Add("ann", bot.LocaleEN, berlin, 0, bot.RoleEmployee, simID("ann"))

			asked := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) // Tuesday 10:00 in Berlin
			open := store.FeedbackRequest{RequesterID: ann.ID, AskedID: sam.ID, About: "the launch", CreatedAt: asked}
			require.NoError(t, f.Store.SaveFeedbackRequest(ctx, &open))
			done := store.FeedbackRequest{RequesterID: ann.ID, AskedID: sam.ID, About: "the demo", CreatedAt: asked,
				AnsweredAt: asked.Add(time.Hour)}
			require.NoError(t, f.Store.SaveFeedbackRequest(ctx, &done))

			cal, err := calendar.Load("")
			require.NoError(t, err)
			replica := func() *scheduler.Runner {
				return scheduler.NewRunner(scheduler.NewPlanner(cal), f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
			}
			a, b := replica(), replica()

			f.Clock.Set(asked.Add(23 * time.Hour))
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			f.Clock.Set(asked.Add(24*time.Hour + time.Minute))
			require.Equal(t, scheduler.Counts{RequestReminders: 1}, tickBoth(t, a, b))
			require.Len(t, sim.DM("sam"), 1)
			require.Contains(t, last(t, sim, "sam").Text, "the launch")
			f.Clock.Set(asked.Add(48*time.Hour + time.Minute))
			require.Equal(t, scheduler.Counts{RequestEscalations: 1}, tickBoth(t, a, b))
			require.Len(t, sim.DM("boss"), 1)
			require.Contains(t, last(t, sim, "boss").Text, "sam")
			f.Clock.Set(asked.Add(72*time.Hour + time.Minute))
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			require.Len(t, sim.DM("sam"), 1, "reminded once, and never about the answered request")
		})
	}
}

// An escalation due while the manager's manager is on a public holiday
// (国庆 in Shanghai, an ordinary Thursday in Berlin) waits for their first
// working morning instead of expiring.
func TestEscalationWaitsForTheSkipLevelsHoliday(t *testing.T) {
	ctx := context.Background()
	sim := simulator.New(simulator.Options{})
	f := enginetest.New(t, enginetest.Embedded, sim)
	boss := f.Add("boss", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleManager, simID("boss"))
	mgr := f.Add("mgr", bot.LocaleEN, "Europe/Berlin", boss.ID, bot.RoleManager, simID("mgr"))
	ann := f.Add("ann", bot.LocaleEN, "Europe/Berlin", mgr.ID, bot.RoleEmployee, simID("ann"))

	submitted := time.Date(2026, 9, 29, 8, 0, 0, 0, time.UTC) // Tuesday 10:00 in Berlin
	r, _, err := f.Store.OpenRound(ctx, store.Round{PersonID: ann.ID, TeamID: f.Team.ID, Period: "2026-W40",
		Status: store.StatusSubmitted, OpenedAt: submitted.Add(-time.Hour), SubmittedAt: submitted})
	require.NoError(t, err)
	require.Equal(t, store.StatusSubmitted, r.Status)

	cal, err := calendar.Load("")
	require.NoError(t, err)
	run := scheduler.NewRunner(scheduler.NewPlanner(cal), f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
	tick := func(at time.Time) scheduler.Counts {
		f.Clock.Set(at)
		c, err := run.Tick(ctx)
		require.NoError(t, err)
		return c
	}
	require.Equal(t, scheduler.Counts{Reviews: 1}, tick(time.Date(2026, 9, 30, 8, 1, 0, 0, time.UTC)))
	// Thursday 1 October, 10:01 in Berlin: due, but Shanghai is on holiday.
	require.Equal(t, scheduler.Counts{}, tick(time.Date(2026, 10, 1, 8, 1, 0, 0, time.UTC)))
	require.Equal(t, scheduler.Counts{}, tick(time.Date(2026, 10, 5, 8, 1, 0, 0, time.UTC)))
	require.Empty(t, sim.DM("boss"))
	// Thursday 8 October, 09:01 in Shanghai: the first working morning.
	require.Equal(t, scheduler.Counts{Escalations: 1}, tick(time.Date(2026, 10, 8, 1, 1, 0, 0, time.UTC)))
	require.Contains(t, last(t, sim, "boss").Text, "mgr")
}

// "Remind them" tapped in Shanghai's morning reaches a Berlin report in
// Berlin's morning, by the round's own reminder, not at 02:00; and someone
// back from leave is welcomed in their working hours, not at midnight.
func TestRemindThemAndWelcomeBackKeepToHours(t *testing.T) {
	ctx := context.Background()
	sim := simulator.New(simulator.Options{})
	cal, err := calendar.Load("")
	require.NoError(t, err)
	planner := scheduler.NewPlanner(cal)
	hours := scheduler.DefaultRules().NudgeHours
	f := enginetest.NewWith(t, enginetest.Embedded, func(o *engine.Options) {
		o.NudgeTime = func(p bot.Person, t time.Time) time.Time {
			return planner.KeepToHours(scheduler.PersonOf(p, time.UTC), hours, t)
		}
	}, sim)
	mgr := f.Add("mgr", bot.LocaleEN, "Asia/Shanghai", 0, bot.RoleManager, simID("mgr"))
	bob := f.Add("bob", bot.LocaleEN, "Europe/Berlin", mgr.ID, bot.RoleEmployee, simID("bob"))
	cat := f.Add("cat", bot.LocaleEN, "Asia/Shanghai", mgr.ID, bot.RoleEmployee, simID("cat"))

	// Monday 30 November, 01:00 UTC: 09:00 in Shanghai, 02:00 in Berlin.
	f.Clock.Set(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC))
	for _, p := range []bot.Person{bob, cat} {
		_, _, err := f.Store.OpenRound(ctx, store.Round{PersonID: p.ID, TeamID: f.Team.ID, Period: "2026-W49",
			Status: store.StatusPending, OpenedAt: f.Clock.Now()})
		require.NoError(t, err)
	}
	// bob started his check-in (up late) and left it at the first question.
	require.NoError(t, f.Engine.Handle(ctx, bot.Event{ID: "b1", From: simID("bob"), Kind: bot.KindMessage, Text: "checkin"}))
	bobBefore := len(sim.DM("bob"))
	digest := conversations.Digest(i18nEN(t), "2026-W49", []bot.Person{bob, cat})
	tap := f.Buttons.Sign(seal.Person(simID("mgr")), digest.Buttons[0].Value) // as the engine sends it
	require.NoError(t, f.Engine.Handle(ctx, bot.Event{ID: "tap", From: simID("mgr"), Kind: bot.KindAction, Action: tap}))
	require.Len(t, sim.DM("cat"), 1, "cat, in Shanghai, now")
	require.Len(t, sim.DM("bob"), bobBefore, "bob, in Berlin, not at 02:00")
	require.Equal(t, "Reminded 2 of your reports about their check-in for 2026-W49. 1 of them will get it at the start of their working hours.",
		last(t, sim, "mgr").Text)
	require.Equal(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), f.Round(bob.ID, "2026-W49").RemindAt, "09:00 in Berlin")
	f.Clock.Set(time.Date(2026, 11, 30, 8, 1, 0, 0, time.UTC))
	n, err := f.Engine.RemindDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Greater(t, len(sim.DM("bob")), bobBefore)
	require.True(t, said(sim, "bob", "your check-in is waiting for your answer"), "reminded where he is, not sent back to the start")
	require.NoError(t, f.Engine.Handle(ctx, bot.Event{ID: "b2", From: simID("bob"), Kind: bot.KindMessage, Text: "Shipped the importer"}))
	require.Equal(t, "Shipped the importer", f.Round(bob.ID, "2026-W49").Answer(store.QuestionDone), "and his next answer lands")

	// cat is away until Tuesday: not welcomed at 00:00 Shanghai, but at 09:00.
	cat.AwayUntil = "2026-12-01"
	require.NoError(t, f.Store.SavePerson(ctx, &cat))
	f.Clock.Set(time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)) // 00:30 Tuesday in Shanghai
	n, err = f.Engine.WelcomeBackDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	f.Clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)) // 09:00
	n, err = f.Engine.WelcomeBackDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

func i18nEN(t *testing.T) i18n.Texts {
	cat, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	return cat.For(bot.LocaleEN)
}

// flaky is a platform whose first send fails.
type flaky struct {
	mu    sync.Mutex
	calls int
	sent  []bot.Message
}

func (f *flaky) Platform() bot.Platform { return bot.Simulator }

func (f *flaky) Send(_ context.Context, m bot.Message) (bot.MessageRef, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls == 1 {
		return "", errors.New("platform down")
	}
	f.sent = append(f.sent, m)
	return "ref", nil
}

// A prompt whose send failed is sent again on a later tick, once.
func TestPromptRetriedAfterAFailedSend(t *testing.T) {
	ctx := context.Background()
	pf := &flaky{}
	f := enginetest.New(t, enginetest.Embedded, pf)
	f.Team.Cadence = "0 16 * * FRI"
	require.NoError(t, f.Store.SaveTeam(ctx, &f.Team))
	f.Add("ann", bot.LocaleEN, "Asia/Shanghai", 0, bot.RoleEmployee, simID("ann"))
	cal, err := calendar.Load("")
	require.NoError(t, err)
	run := scheduler.NewRunner(scheduler.NewPlanner(cal), f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))

	// Friday 27 November 08:00 UTC is 16:00 in Shanghai.
	c, err := run.Tick(ctx)
	require.NoError(t, err)
	require.Zero(t, c.Prompts, "the send failed")
	f.Clock.Set(enginetest.Start.Add(5 * time.Minute))
	c, err = run.Tick(ctx)
	require.NoError(t, err)
	require.Zero(t, c.Prompts, "not before a lease has passed")
	f.Clock.Set(enginetest.Start.Add(11 * time.Minute))
	c, err = run.Tick(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, c.Prompts)
	require.Len(t, pf.sent, 1)
	require.Contains(t, pf.sent[0].Title, "Weekly check-in")
	f.Clock.Set(enginetest.Start.Add(30 * time.Minute))
	c, err = run.Tick(ctx)
	require.NoError(t, err)
	require.Zero(t, c.Prompts, "and once")
}

// A round opened and prompted by hand (perfbot checkin open) is not
// prompted again when the team's cadence comes round in the same week.
func TestPromptedByHandNotAgain(t *testing.T) {
	ctx := context.Background()
	sim := simulator.New(simulator.Options{})
	f := enginetest.New(t, enginetest.Embedded, sim)
	f.Team.Cadence = "0 16 * * FRI"
	require.NoError(t, f.Store.SaveTeam(ctx, &f.Team))
	ann := f.Add("ann", bot.LocaleEN, "Asia/Shanghai", 0, bot.RoleEmployee, simID("ann"))
	f.Clock.Set(enginetest.Start.Add(-4 * time.Hour)) // Friday, 12:00 in Shanghai
	created, err := f.Engine.Open(ctx, ann.ID, "2026-W48")
	require.NoError(t, err)
	require.True(t, created)
	require.Len(t, sim.DM("ann"), 1)

	cal, err := calendar.Load("")
	require.NoError(t, err)
	run := scheduler.NewRunner(scheduler.NewPlanner(cal), f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
	f.Clock.Set(enginetest.Start.Add(time.Minute)) // Friday 16:01 in Shanghai
	c, err := run.Tick(ctx)
	require.NoError(t, err)
	require.Zero(t, c.Prompts)
	require.Len(t, sim.DM("ann"), 1, "prompted once")
}
