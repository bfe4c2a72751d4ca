package okr_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

func up(start, target, current, weight float64) store.KeyResult {
	return store.KeyResult{Start: start, Target: target, Current: current, Direction: store.Up, Weight: weight}
}

func down(start, target, current, weight float64) store.KeyResult {
	return store.KeyResult{Start: start, Target: target, Current: current, Direction: store.Down, Weight: weight}
}

func TestKeyResult(t *testing.T) {
	for _, tt := range []struct {
		name string
		kr   store.KeyResult
		want float64
	}{
		{"up, 4 of 0→10", up(0, 10, 4, 1), 0.4},
		{"up from a start, 75 of 50→100", up(50, 100, 75, 1), 0.5},
		{"up, overshot", up(0, 100, 120, 1), 1},
		{"up, went back below the start", up(10, 20, 5, 1), 0},
		{"down, churn 8%→4% now 6%", down(8, 4, 6, 1), 0.5},
		{"down, bugs 40→0 now 10", down(40, 0, 10, 1), 0.75},
		{"down, got worse", down(8, 4, 9, 1), 0},
		{"down, beat it", down(8, 4, 3, 1), 1},
		{"target at the start, reached", up(5, 5, 5, 1), 1},
		{"target at the start, not reached", up(5, 5, 4, 1), 0},
		{"down, target at the start, reached", down(5, 5, 5, 1), 1},
		{"up with a target behind the start", up(10, 5, 7, 1), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.InDelta(t, tt.want, okr.KeyResult(tt.kr), 1e-9)
		})
	}
}

func TestOwn(t *testing.T) {
	// (0.4×2 + 0.5×1) / 3 = 1.3 / 3
	o := store.Objective{KeyResults: []store.KeyResult{up(0, 10, 4, 2), down(8, 4, 6, 1)}}
	require.InDelta(t, 1.3/3, okr.Own(o), 1e-9)
	// A zero weight counts as 1: (0.4 + 0.5) / 2.
	o = store.Objective{KeyResults: []store.KeyResult{up(0, 10, 4, 0), down(8, 4, 6, 0)}}
	require.InDelta(t, 0.45, okr.Own(o), 1e-9)
	require.Zero(t, okr.Own(store.Objective{}))
}

// TestRollup is the quarter of the show, worked by hand:
//
//	P1 = (0.4×2 + 0.5×1) / 3           = 0.43333
//	P2 = 120 of 0→100, capped          = 1
//	P3 is a draft (0.9): it does not count
//	T1 = (P1×1 + P2×1) / 2             = 0.71667
//	T2 has no children: own 75 of 50→100 = 0.5
//	C  = (T1×2 + T2×1) / 3             = 0.64444
func TestRollup(t *testing.T) {
	approved := store.GoalApproved
	objs := []store.Objective{
		{ID: 1, Status: approved, Title: "C", KeyResults: []store.KeyResult{up(0, 1, 0, 1)}},
		{ID: 2, ParentID: 1, Status: approved, Weight: 2, Title: "T1", KeyResults: []store.KeyResult{up(0, 1, 0, 1)}},
		{ID: 3, ParentID: 1, Status: approved, Weight: 1, Title: "T2", KeyResults: []store.KeyResult{up(50, 100, 75, 1)}},
		{ID: 4, ParentID: 2, Status: approved, Title: "P1", KeyResults: []store.KeyResult{up(0, 10, 4, 2), down(8, 4, 6, 1)}},
		{ID: 5, ParentID: 2, Status: approved, Title: "P2", KeyResults: []store.KeyResult{up(0, 100, 120, 1)}},
		{ID: 6, ParentID: 2, Status: store.GoalDraft, Title: "P3", KeyResults: []store.KeyResult{up(0, 10, 9, 1)}},
	}
	got := byID(objs, okr.Progress(objs))
	p1 := 1.3 / 3
	t1 := (p1 + 1) / 2
	want := map[int64]float64{1: (t1*2 + 0.5) / 3, 2: t1, 3: 0.5, 4: p1, 5: 1, 6: 0.9}
	require.Len(t, got, len(want))
	for id, w := range want {
		require.InDelta(t, w, got[id], 1e-9, "objective %d", id)
	}
	require.InDelta(t, 0.64444, got[1], 1e-5)

	roots := okr.Tree(objs)
	require.Len(t, roots, 1)
	require.Equal(t, "C", roots[0].Objective.Title)
	require.Len(t, roots[0].Children, 2)
	require.Len(t, roots[0].Children[0].Children, 3, "the draft is shown, not counted")
}

func TestTreeRootsAndLoops(t *testing.T) {
	objs := []store.Objective{
		// 7 supports a goal the reader may not see: it is a root.
		{ID: 7, ParentID: 99, Status: store.GoalApproved, KeyResults: []store.KeyResult{up(0, 10, 5, 1)}},
		// 8 and 9 support each other: cut where the loop closes.
		{ID: 8, ParentID: 9, Status: store.GoalApproved, KeyResults: []store.KeyResult{up(0, 10, 2, 1)}},
		{ID: 9, ParentID: 8, Status: store.GoalApproved, KeyResults: []store.KeyResult{up(0, 10, 6, 1)}},
	}
	roots := okr.Tree(objs)
	var ids []int64
	for _, r := range roots {
		ids = append(ids, r.Objective.ID)
	}
	require.Equal(t, []int64{7, 8}, ids, "the loop is cut at its first goal; none is lost")
	require.Equal(t, int64(9), roots[1].Children[0].Objective.ID)
	got := byID(objs, okr.Progress(objs))
	require.InDelta(t, 0.5, got[7], 1e-9)
	require.InDelta(t, 0.6, got[8], 1e-9, "8 rolls up 9")
	require.InDelta(t, 0.6, got[9], 1e-9)
}

func TestExpected(t *testing.T) {
	p, ok := okr.Expected("2026-10-01", "2026-12-30", "2026-11-15")
	require.True(t, ok)
	require.InDelta(t, 45.0/90, p, 1e-9)
	p, ok = okr.Expected("2026-10-01", "2026-12-30", "2027-01-15")
	require.True(t, ok)
	require.Equal(t, 1.0, p, "past due: the whole way")
	_, ok = okr.Expected("", "2026-12-30", "2026-11-15")
	require.False(t, ok)
}

func TestBar(t *testing.T) {
	require.Equal(t, "▓▓▓▓░░░░░░ 40%", okr.Bar(0.4, 10))
	require.Equal(t, "░░░░░ 0%", okr.Bar(-1, 5))
	require.Equal(t, "▓▓▓▓▓ 100%", okr.Bar(1.7, 5))
}

func byID(objs []store.Objective, progress []float64) map[int64]float64 {
	out := make(map[int64]float64, len(objs))
	for i, o := range objs {
		out[o.ID] = progress[i]
	}
	return out
}
