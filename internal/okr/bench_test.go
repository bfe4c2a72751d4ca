package okr_test

import (
	"testing"

	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// org is a company goal, a goal for each of 1,000 teams aligned to it, and
// goals goals with three key results for each of people people, aligned to
// their team's.
func org(people, goals int) []store.Objective {
	const teams = 1000
	objs := make([]store.Objective, 0, 1+teams+people*goals)
	id := int64(1)
	objs = append(objs, store.Objective{ID: id, Level: store.LevelCompany, Status: store.GoalApproved})
	for range teams {
		id++
		objs = append(objs, store.Objective{ID: id, ParentID: 1, Level: store.LevelTeam, Status: store.GoalApproved})
	}
	for p := range people {
		for g := range goals {
			id++
			krs := []store.KeyResult{up(0, 10, float64(p%11), 2), down(8, 4, float64(g+4), 1), up(0, 100, float64(p%101), 1)}
			objs = append(objs, store.Objective{ID: id, ParentID: int64(2 + p%teams), Level: store.LevelPerson,
				Status: store.GoalApproved, KeyResults: krs})
		}
	}
	return objs
}

// BenchmarkRollup rolls up 100,000 people with 3 goals of 3 key results.
func BenchmarkRollup(b *testing.B) {
	objs := org(100_000, 3)
	b.ReportAllocs()
	for b.Loop() {
		if p := okr.Progress(objs); len(p) != len(objs) {
			b.Fatalf("rolled up %d of %d", len(p), len(objs))
		}
	}
}
