package dashboard_test

import (
	"fmt"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// bigOrg fills st with a company of n people in one transaction: an HR
// person, a CEO, a manager per 50 people each with a team (every fourth
// team calls a key result behind under 50% of the line, not 70%), eight
// weeks of check-ins (most submitted, with a mood), praise, feedback
// requests, an announcement to everyone, and for every employee an agreed
// goal of the quarter with two key results updated weekly for three weeks,
// a third of them behind. It returns HR, the CEO and one manager.
func bigOrg(b testing.TB, st store.Store, n int) (hr, ceo, mgr bot.Person) {
	ctx := b.Context()
	weeks := []string{"2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"}
	var everyone []int64
	require.NoError(b, st.InTx(ctx, func(tx store.Store) error {
		save := func(p *bot.Person) {
			require.NoError(b, tx.SavePerson(ctx, p))
			everyone = append(everyone, p.ID)
		}
		hr = bot.Person{Name: "HR", Roles: []bot.Role{bot.RoleHR}}
		save(&hr)
		ceo = bot.Person{Name: "CEO", Roles: []bot.Role{bot.RoleManager}}
		save(&ceo)
		var team store.Team
		var manager bot.Person
		for i := range n - 2 {
			if i%50 == 0 {
				team = store.Team{Name: fmt.Sprintf("Team %03d", i/50)}
				if i/50%4 == 3 {
					team.Rules.Warnings = map[string]store.WarningRule{"behind": {Below: 0.5}}
				}
				require.NoError(b, tx.SaveTeam(ctx, &team))
				manager = bot.Person{Name: fmt.Sprintf("Manager %03d", i/50), ManagerID: ceo.ID, TeamID: team.ID, Roles: []bot.Role{bot.RoleManager}}
				save(&manager)
				if mgr.ID == 0 {
					mgr = manager
				}
				continue
			}
			p := bot.Person{Name: fmt.Sprintf("Person %05d", i), ManagerID: manager.ID, TeamID: team.ID}
			save(&p)
			for w, period := range weeks {
				r, _, err := tx.OpenRound(ctx, store.Round{PersonID: p.ID, TeamID: team.ID, Period: period, OpenedAt: now.AddDate(0, 0, -7*(7-w))})
				require.NoError(b, err)
				if (i+w)%7 != 0 {
					r.Status, r.Mood, r.SubmittedAt = store.StatusSubmitted, 1+(i+w)%5, now.AddDate(0, 0, -7*(7-w))
					require.NoError(b, tx.SaveRound(ctx, &r))
				}
			}
			goal := store.Objective{Level: store.LevelPerson, OwnerID: p.ID, Kind: store.KindOKR, Title: fmt.Sprintf("Goal %05d", i),
				Period: "2026-Q4", Starts: "2026-10-01", Ends: "2026-12-31", Status: store.GoalApproved, ApprovedBy: manager.ID,
				ApprovedAt: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), ChangedBy: p.ID,
				KeyResults: []store.KeyResult{{Title: "Deals", Target: 100, Direction: store.Up}, {Title: "Bugs", Start: 50, Target: 10, Current: 50, Direction: store.Down}}}
			require.NoError(b, tx.SaveObjective(ctx, &goal))
			for w := range 3 {
				// The line says 54% to 69% in these weeks; a third stay under 35%.
				deals, bugs := float64(50+5*w), float64(28-2*w)
				if i%3 == 1 {
					deals, bugs = float64(20+5*w), float64(44-w)
				}
				at := now.AddDate(0, 0, -7*(2-w))
				for k, v := range []float64{deals, bugs} {
					u := store.ProgressUpdate{KeyResultID: goal.KeyResults[k].ID, AuthorID: p.ID, Value: v, At: at}
					_, err := tx.AddProgress(ctx, &u)
					require.NoError(b, err)
				}
			}
			if i%3 == 0 {
				f := store.Feedback{Kind: store.FeedbackPraise, GiverID: p.ID, RecipientID: manager.ID, Value: []string{"Ownership", "Customer first", ""}[i%9/3],
					Points: 1, Public: true, CreatedAt: now.Add(-time.Duration(i%500) * time.Hour)}
				require.NoError(b, tx.SaveFeedback(ctx, &f))
			}
			if i%4 == 0 {
				r := store.FeedbackRequest{RequesterID: manager.ID, AskedID: p.ID, CreatedAt: now.Add(-time.Duration(i%900) * time.Hour)}
				if i%8 == 0 {
					r.AnsweredAt = r.CreatedAt.Add(time.Duration(i%60) * time.Hour)
				}
				require.NoError(b, tx.SaveFeedbackRequest(ctx, &r))
			}
		}
		return nil
	}))
	bc := store.Broadcast{Text: "Q4 reviews open on Monday", Ack: true}
	_, err := st.CreateBroadcast(ctx, &bc, everyone)
	require.NoError(b, err)
	for {
		ds, err := st.ClaimDeliveries(ctx, now, time.Minute, 500)
		require.NoError(b, err)
		if len(ds) == 0 {
			break
		}
		require.NoError(b, st.MarkSent(ctx, ds, now))
	}
	return hr, ceo, mgr
}

// BenchmarkOverview renders the whole dashboard, every view, for a
// 2,000-person company on the embedded default (SQLite), as HR (the
// whole company), the CEO (everyone through the manager chain) and a
// manager of 50.
func BenchmarkOverview(b *testing.B) {
	f := newServer(b, sqliteURL(b), 5)
	hr, ceo, mgr := bigOrg(b, f.st, 2000)
	for _, v := range []struct {
		name string
		p    bot.Person
	}{{"hr", hr}, {"ceo", ceo}, {"manager", mgr}} {
		b.Run(v.name, func(b *testing.B) {
			c, _ := f.signIn(v.p)
			cpu := cpuTime()
			for b.Loop() {
				res, err := c.Get(f.srv.URL + "/dashboard/")
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("status %d, %d bytes", res.StatusCode, n)
				}
			}
			// The machine may be shared: CPU time per page says what a page
			// costs when wall time waits for other processes too.
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
