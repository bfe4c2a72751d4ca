package scheduler_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/internal/dashboard"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/scheduler"
)

// The early warnings on goals, on two replicas: mgr gets one digest of
// both reports (ann behind with no feedback since, and quiet for 27
// weeks; bob never given feedback), in mgr's hours, once, and not again the
// next minute; zed, near due and far from done, is asked for a plan, and
// zed's manager hears nothing of ann or bob. Every warning is on record.
func TestRunnerWarnsOnGoals(t *testing.T) {
	for _, backend := range enginetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			ctx := context.Background()
			sim := simulator.New(simulator.Options{})
			f := enginetest.New(t, backend, sim)
			const berlin = "Europe/Berlin"
			boss := f.Add("boss", bot.LocaleEN, berlin, 0, bot.RoleManager, simID("boss"))
			mgr := f.Add("mgr", bot.LocaleEN, berlin, boss.ID, bot.RoleManager, simID("mgr"))
			oth := f.Add("oth", bot.LocaleZH, "Asia/Shanghai", boss.ID, bot.RoleManager, simID("oth"))
			ann := f.Add("ann", bot.LocaleEN, berlin, mgr.ID, bot.RoleEmployee, simID("ann"))
			bob := f.Add("bob", bot.LocaleEN, berlin, mgr.ID, bot.RoleEmployee, simID("bob"))
			zed := f.Add("zed", bot.LocaleZH, "Asia/Shanghai", oth.ID, bot.RoleEmployee, simID("zed"))

			day := func(s string) time.Time {
				tm, err := time.Parse(time.DateOnly, s)
				require.NoError(t, err)
				return tm.Add(9 * time.Hour)
			}
			goal := func(owner bot.Person, kr store.KeyResult) store.KeyResult {
				o := store.Objective{Level: store.LevelPerson, OwnerID: owner.ID, Kind: store.KindOKR, Title: owner.Name + "'s goal",
					Period: "2026-Q4", Starts: "2026-10-01", Ends: "2026-12-31", Status: store.GoalApproved,
					ApprovedBy: owner.ManagerID, ApprovedAt: day("2026-10-01"), ChangedBy: owner.ID,
					KeyResults: []store.KeyResult{kr}}
				require.NoError(t, f.Store.SaveObjective(ctx, &o))
				return o.KeyResults[0]
			}
			feedback := func(from, to bot.Person, on string) {
				fb := store.Feedback{Kind: store.FeedbackPraise, GiverID: from.ID, RecipientID: to.ID, Text: "thanks", CreatedAt: day(on)}
				require.NoError(t, f.Store.SaveFeedback(ctx, &fb))
			}
			annKR := goal(ann, store.KeyResult{Title: "Close deals", Unit: "deals", Start: 0, Target: 100, Direction: store.Up})
			for _, u := range []struct {
				v  float64
				on string
			}{{20, "2026-11-10"}, {25, "2026-11-17"}} {
				_, err := f.Store.AddProgress(ctx, &store.ProgressUpdate{KeyResultID: annKR.ID, AuthorID: ann.ID, Value: u.v, At: day(u.on)})
				require.NoError(t, err)
			}
			feedback(mgr, ann, "2026-11-05")
			goal(bob, store.KeyResult{Title: "Ship docs", Start: 0, Target: 10, Current: 8, Direction: store.Up})
			goal(zed, store.KeyResult{Title: "上线新版", Start: 0, Target: 10, Current: 3, Direction: store.Up, Due: "2026-12-15"})
			feedback(oth, zed, "2026-12-01")

			cal, err := calendar.Load("")
			require.NoError(t, err)
			planner := scheduler.NewPlanner(cal)
			replica := func() *scheduler.Runner {
				return scheduler.NewRunner(planner, f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
			}
			a, b := replica(), replica()

			// Thursday 07:01 in Berlin, 14:01 in Shanghai: only zed is in hours.
			f.Clock.Set(time.Date(2026, 12, 3, 6, 1, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{GoalPlans: 1}, tickBoth(t, a, b))
			plan := last(t, sim, "zed")
			require.Equal(t, "关键结果即将到期", plan.Title)
			require.Contains(t, plan.Text, "「上线新版」目前 30%，还剩 12 天到期")
			require.Empty(t, sim.DM("mgr"), "07:01 in Berlin is quiet")

			// 09:01 in Berlin: mgr's one digest, of both reports.
			f.Clock.Set(time.Date(2026, 12, 3, 8, 1, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{GoalDigests: 1}, tickBoth(t, a, b))
			require.Len(t, sim.DM("mgr"), 1)
			d := last(t, sim, "mgr")
			require.Equal(t, "Goals to look at · 3", d.Title)
			require.Contains(t, d.Text, `ann: "Close deals" is at 25%, where the plan says 52%`)
			require.Contains(t, d.Text, "ann has had no feedback for 27 days.")
			require.Contains(t, d.Text, "bob has had no feedback since their goals were agreed")
			require.Len(t, d.Buttons, 2, "one feedback button per person")
			require.Equal(t, "Feedback for ann", d.Buttons[0].Label)
			for _, who := range []string{"oth", "boss", "ann", "bob"} {
				require.Empty(t, sim.DM(who), who)
			}
			require.Len(t, sim.DM("zed"), 1)

			// The dashboard's warnings are the same rules through the same
			// code: mgr's digest there counts what the scheduler told them,
			// zed's manager only zed's plan, and boss, over both, all four.
			texts, err := i18n.Load("en")
			require.NoError(t, err)
			key, err := seal.NewKey('d', []byte("0123456789abcdef0123456789abcdef"))
			require.NoError(t, err)
			links, err := dashboard.NewLinks(key, "http://perfbot.test", f.Store, f.Clock.Now)
			require.NoError(t, err)
			dash, err := dashboard.New(dashboard.Options{Store: f.Store, Links: links, Key: key, Texts: texts, Clock: f.Clock.Now})
			require.NoError(t, err)
			for _, c := range []struct {
				who   bot.Person
				lines []string
			}{
				{mgr, []string{"• Key result slipping: 1", "• No recent feedback: 2"}},
				{oth, []string{"• 关键结果即将到期: 1"}}, // in oth's language
				{boss, []string{"• Key result slipping: 1", "• No recent feedback: 2", "• Key result due soon: 1"}},
			} {
				m, _, err := dash.Digest(ctx, c.who, "")
				require.NoError(t, err)
				var got []string
				for _, l := range strings.Split(m.Text, "\n") {
					if strings.HasPrefix(l, "• ") {
						got = append(got, l)
					}
				}
				require.Equal(t, c.lines, got, c.who.Name)
			}

			// Not again the next minute, nor the next day.
			f.Clock.Set(time.Date(2026, 12, 3, 8, 2, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			f.Clock.Set(time.Date(2026, 12, 4, 8, 1, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			require.Len(t, sim.DM("mgr"), 1)

			// One tap starts feedback for ann.
			require.NoError(t, f.Engine.Handle(ctx, bot.Event{ID: "tap-fb", From: simID("mgr"), Kind: bot.KindAction,
				Action: d.Buttons[0].Value, Ref: d.Ref}))
			require.GreaterOrEqual(t, len(sim.DM("mgr")), 2)
			started := last(t, sim, "mgr")
			require.Contains(t, strings.ToLower(started.Title+started.Text), "feedback for ann", "the SBI draft for ann starts: %+v", started)

			// On record, once each: the digest and its three warnings to mgr.
			ds, err := f.Store.Deliveries(ctx, store.DeliveryFilter{PersonID: mgr.ID})
			require.NoError(t, err)
			kinds := map[string]int{}
			for _, d := range ds {
				require.Equal(t, store.DeliverySent, d.Status, d.Key)
				require.Equal(t, 1, d.Attempts, d.Key)
				kinds[d.Kind]++
			}
			require.Equal(t, map[string]int{scheduler.DeliveryGoalDigest: 1, scheduler.DeliveryGoalWarning: 3}, kinds)
			ds, err = f.Store.Deliveries(ctx, store.DeliveryFilter{PersonID: zed.ID, Kind: scheduler.DeliveryGoalPlan})
			require.NoError(t, err)
			require.Len(t, ds, 1)
		})
	}
}

// The Monday "my week" card: ann, asked for feedback, gets it once on
// Monday morning in her hours, across two replicas; sam, with nothing due,
// gets nothing; nothing on Sunday, nor before her hours.
func TestRunnerSendsMyWeek(t *testing.T) {
	for _, backend := range enginetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			ctx := context.Background()
			sim := simulator.New(simulator.Options{})
			f := enginetest.New(t, backend, sim)
			const berlin = "Europe/Berlin"
			ann := f.Add("ann", bot.LocaleZH, berlin, 0, bot.RoleEmployee, simID("ann"))
			sam := f.Add("sam", bot.LocaleEN, berlin, 0, bot.RoleEmployee, simID("sam"))
			req := store.FeedbackRequest{RequesterID: sam.ID, AskedID: ann.ID, About: "发布会", CreatedAt: f.Clock.Now()}
			require.NoError(t, f.Store.SaveFeedbackRequest(ctx, &req))
			cal, err := calendar.Load("")
			require.NoError(t, err)
			planner := scheduler.NewPlanner(cal)
			replica := func() *scheduler.Runner {
				return scheduler.NewRunner(planner, f.Store, f.Engine, scheduler.DefaultRules(), f.Clock.Now, time.UTC, slog.New(slog.DiscardHandler))
			}
			a, b := replica(), replica()

			f.Clock.Set(time.Date(2026, 12, 6, 9, 1, 0, 0, time.UTC)) // Sunday
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			f.Clock.Set(time.Date(2026, 12, 7, 7, 59, 0, 0, time.UTC)) // Monday 08:59 in Berlin
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b))
			f.Clock.Set(time.Date(2026, 12, 7, 8, 1, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{Weeks: 1}, tickBoth(t, a, b))
			card := last(t, sim, "ann")
			require.Equal(t, "本周待办 · 1 项", card.Title)
			require.Contains(t, card.Text, "sam 请你给反馈：发布会")
			require.Len(t, card.Buttons, 1)
			require.Empty(t, sim.DM("sam"), "nothing due, nothing sent")
			f.Clock.Set(time.Date(2026, 12, 7, 8, 2, 0, 0, time.UTC))
			require.Equal(t, scheduler.Counts{}, tickBoth(t, a, b), "once")
			require.Len(t, sim.DM("ann"), 1)
		})
	}
}
