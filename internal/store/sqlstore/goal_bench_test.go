package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// BenchmarkGoalsWithAutomatic reads a person's goals (3 goals of 3 key
// results) when each key result has 200 automatic updates, the cost of
// working out what business events added, on both backends; and
// BenchmarkAutoProgress records one keyed automatic increment.
func BenchmarkGoalsWithAutomatic(b *testing.B) {
	for name, url := range map[string]func(testing.TB) string{
		"sqlite":   func(testing.TB) string { return "sqlite::memory:" },
		"postgres": testdb.Postgres,
	} {
		b.Run(name, func(b *testing.B) {
			s, err := sqlstore.Open(b.Context(), url(b), time.Now)
			require.NoError(b, err)
			b.Cleanup(func() { _ = s.Close() })
			require.NoError(b, s.Migrate(b.Context()))
			p := bot.Person{Name: "Ada"}
			require.NoError(b, s.SavePerson(b.Context(), &p))
			var krs []int64
			for g := range 3 {
				o := store.Objective{Level: store.LevelPerson, OwnerID: p.ID, Kind: store.KindOKR, Title: fmt.Sprint("Goal ", g),
					Status: store.GoalApproved}
				for k := range 3 {
					o.KeyResults = append(o.KeyResults, store.KeyResult{Title: fmt.Sprint("KR ", k), Target: 1000, Direction: store.Up,
						Ref: "resolve-tickets"})
				}
				require.NoError(b, s.SaveObjective(b.Context(), &o))
				for _, k := range o.KeyResults {
					krs = append(krs, k.ID)
				}
			}
			for i := range 200 {
				for _, id := range krs {
					u := store.ProgressUpdate{KeyResultID: id, Value: 1, Add: true, Automatic: true,
						DedupKey: fmt.Sprintf("seed:%d:%d", id, i)}
					_, err := s.AddProgress(b.Context(), &u)
					require.NoError(b, err)
				}
			}
			b.Run("read", func(b *testing.B) {
				for b.Loop() {
					list, err := s.Objectives(b.Context(), store.Viewer(p.ID), store.ObjectiveFilter{OwnerID: p.ID, Status: store.GoalApproved})
					require.NoError(b, err)
					require.Equal(b, 200.0, list[0].KeyResults[0].Automatic)
				}
			})
			b.Run("add", func(b *testing.B) {
				n := 0
				for b.Loop() {
					n++
					u := store.ProgressUpdate{KeyResultID: krs[n%len(krs)], Value: 1, Add: true, Automatic: true,
						DedupKey: fmt.Sprint("bench:", n)}
					_, err := s.AddProgress(b.Context(), &u)
					require.NoError(b, err)
				}
			})
		})
	}
}
