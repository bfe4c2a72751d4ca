package okr

import (
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

// Node is an objective in the goal tree and its progress: its own, or,
// when approved goals are aligned to it, their weighted mean.
type Node struct {
	Objective store.Objective
	Progress  float64
	// Children are the goals aligned to it, approved or not, in the order
	// they were given in; only approved ones count in Progress.
	Children []*Node
}

// Tree builds the goal tree of objs with the progress of every goal (see
// Progress). The roots are the objectives whose parent is not in objs
// (none, or one the reader may not see), in the order given.
func Tree(objs []store.Objective) []*Node {
	parent := parents(objs)
	progress := rollUp(objs, parent)
	nodes := make([]Node, len(objs))
	var roots []*Node
	for i := range objs {
		nodes[i] = Node{Objective: objs[i], Progress: progress[i]}
	}
	for i := range nodes {
		if p := parent[i]; p >= 0 {
			nodes[p].Children = append(nodes[p].Children, &nodes[i])
			continue
		}
		roots = append(roots, &nodes[i])
	}
	return roots
}

// Progress is the progress of each objective of objs, in their order: its
// own (Own) or, when approved objectives of objs are aligned to it, their
// weighted mean. A parent chain that loops (the store refuses only a goal
// that supports itself) is cut at its first goal in objs, which becomes a
// root.
func Progress(objs []store.Objective) []float64 { return rollUp(objs, parents(objs)) }

// parents is the index in objs of each objective's parent; -1 for none,
// one not in objs, or one that would close a loop.
func parents(objs []store.Objective) []int {
	at := make(map[int64]int, len(objs))
	for i := range objs {
		at[objs[i].ID] = i
	}
	parent := make([]int, len(objs))
	for i := range objs {
		parent[i] = -1
		if id := objs[i].ParentID; id != 0 {
			if p, ok := at[id]; ok {
				parent[i] = p
			}
		}
	}
	for i := range parent {
		if loops(parent, i) {
			parent[i] = -1
		}
	}
	return parent
}

// loops reports whether following parents from i comes back to i.
func loops(parent []int, i int) bool {
	j := parent[i]
	// A chain longer than the list has repeated itself (through a loop
	// above i, which is cut when its own goals are visited).
	for range len(parent) {
		switch j {
		case -1:
			return false
		case i:
			return true
		}
		j = parent[j]
	}
	return false
}

// rollUp works out every progress, children before parents: ordered by
// depth, deepest first, each adds its weighted progress to its parent's
// sums.
func rollUp(objs []store.Objective, parent []int) []float64 {
	n := len(objs)
	depth := make([]int32, n)
	for i := range depth {
		depth[i] = -1
	}
	maxDepth := int32(0)
	path := make([]int, 0, 8)
	for i := range objs {
		// Walk up to a goal whose depth is known, then set the path's.
		j := i
		for j >= 0 && depth[j] < 0 {
			path = append(path, j)
			j = parent[j]
		}
		d := int32(-1)
		if j >= 0 {
			d = depth[j]
		}
		for k := len(path) - 1; k >= 0; k-- {
			d++
			depth[path[k]] = d
		}
		maxDepth = max(maxDepth, d)
		path = path[:0]
	}
	// A counting sort by depth, deepest first.
	start := make([]int, maxDepth+2)
	for _, d := range depth {
		start[maxDepth-d+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	order := make([]int, n)
	for i, d := range depth {
		k := maxDepth - d
		order[start[k]] = i
		start[k]++
	}
	sum, total := make([]float64, n), make([]float64, n)
	progress := make([]float64, n)
	for _, i := range order {
		if total[i] > 0 {
			progress[i] = sum[i] / total[i]
		} else {
			progress[i] = Own(objs[i])
		}
		if p := parent[i]; p >= 0 && objs[i].Counts() {
			w := weight(objs[i].Weight)
			sum[p] += w * progress[i]
			total[p] += w
		}
	}
	return progress
}

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
