package sqlstore_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// BenchmarkWarningReads reads what the goal warnings look at for 2,000
// people, each with an agreed goal of two key results updated three
// times, on both backends, as the CEO over them all (the dashboard) and as
// perfbot (the scheduler): each bulk read on its own.
func BenchmarkWarningReads(b *testing.B) {
	for name, url := range map[string]func(testing.TB) string{
		"sqlite":   func(b testing.TB) string { return "sqlite:" + b.TempDir() + "/perfbot.db" },
		"postgres": testdb.Postgres,
	} {
		b.Run(name, func(b *testing.B) { benchWarningReads(b, url(b)) })
	}
}

func benchWarningReads(b *testing.B, url string) {
	s, err := sqlstore.Open(b.Context(), url, time.Now)
	require.NoError(b, err)
	b.Cleanup(func() { _ = s.Close() })
	require.NoError(b, s.Migrate(b.Context()))
	ctx := b.Context()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	ceo := bot.Person{Name: "CEO"}
	var people []int64
	var objs []int64
	require.NoError(b, s.InTx(ctx, func(tx store.Store) error {
		require.NoError(b, tx.SavePerson(ctx, &ceo))
		var mgr bot.Person
		for i := range 2000 {
			if i%50 == 0 {
				mgr = bot.Person{Name: fmt.Sprint("Manager ", i), ManagerID: ceo.ID}
				require.NoError(b, tx.SavePerson(ctx, &mgr))
				continue
			}
			p := bot.Person{Name: fmt.Sprint("Person ", i), ManagerID: mgr.ID}
			require.NoError(b, tx.SavePerson(ctx, &p))
			people = append(people, p.ID)
			o := store.Objective{Level: store.LevelPerson, OwnerID: p.ID, Kind: store.KindOKR, Title: "Goal", Status: store.GoalApproved,
				Starts: "2026-10-01", Ends: "2026-12-31",
				KeyResults: []store.KeyResult{{Title: "A", Target: 100, Direction: store.Up}, {Title: "B", Target: 100, Direction: store.Up}}}
			require.NoError(b, tx.SaveObjective(ctx, &o))
			objs = append(objs, o.ID)
			for w := range 3 {
				for _, k := range o.KeyResults {
					u := store.ProgressUpdate{KeyResultID: k.ID, Value: float64(10 * w), At: at.AddDate(0, 0, -7*w)}
					_, err := tx.AddProgress(ctx, &u)
					require.NoError(b, err)
				}
			}
			if i%3 == 0 {
				f := store.Feedback{Kind: store.FeedbackPraise, GiverID: mgr.ID, RecipientID: p.ID, Text: "thanks", CreatedAt: at}
				require.NoError(b, tx.SaveFeedback(ctx, &f))
			}
		}
		return nil
	}))
	// The machine may be shared: CPU time per read says what it costs.
	run := func(name string, read func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			cpu := cpuNow()
			for b.Loop() {
				read(b)
			}
			b.ReportMetric(float64((cpuNow()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	for _, v := range []struct {
		name string
		v    store.Viewer
	}{{"ceo", store.Viewer(ceo.ID)}, {"system", store.System}} {
		run("objectives/"+v.name, func(b *testing.B) {
			list, err := s.Objectives(ctx, v.v, store.ObjectiveFilter{OwnerIDs: people, Level: store.LevelPerson, Status: store.GoalApproved})
			require.NoError(b, err)
			require.Len(b, list, len(objs))
		})
		run("latest/"+v.name, func(b *testing.B) {
			ups, err := s.LatestProgress(ctx, v.v, objs, 2)
			require.NoError(b, err)
			require.Len(b, ups, 2*len(objs))
		})
		run("feedback/"+v.name, func(b *testing.B) {
			last, err := s.LastFeedback(ctx, v.v, people)
			require.NoError(b, err)
			require.NotEmpty(b, last)
		})
	}
}

// cpuNow is the CPU time this process has used, user and system.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
