package conversations_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/perfbot/perfbot/internal/store"
)

// goalRecords are the office's goals, kept as the store keeps them: ids
// from 1 by position, a version checked and counted on every save, every
// version kept, key results with ids of their own.
type goalRecords struct {
	objectives []store.Objective
	versions   map[int64][]store.Objective
	changes    []store.GoalChange
	progress   []store.ProgressUpdate
	nextKR     int64
}

func (w officeWriter) SaveObjective(_ context.Context, o *store.Objective) error {
	g := &w.o.goals
	next := *o
	next.KeyResults = slices.Clone(o.KeyResults)
	switch {
	case next.ID == 0:
		for _, x := range g.objectives {
			if next.DedupKey != "" && x.DedupKey == next.DedupKey {
				*o = x
				return nil
			}
		}
		next.ID, next.Version = int64(len(g.objectives)+1), 1
		g.objectives = append(g.objectives, store.Objective{})
	case int(next.ID) > len(g.objectives):
		return store.ErrNotFound
	case g.objectives[next.ID-1].Version != next.Version:
		return fmt.Errorf("goal %d at version %d: %w", next.ID, next.Version, store.ErrConflict)
	default:
		next.Version++
	}
	for i := range next.KeyResults {
		if next.KeyResults[i].ID == 0 {
			g.nextKR++
			next.KeyResults[i].ID = 100 + g.nextKR
		}
		next.KeyResults[i].ObjectiveID = next.ID
	}
	g.objectives[next.ID-1] = next
	if g.versions == nil {
		g.versions = map[int64][]store.Objective{}
	}
	g.versions[next.ID] = append(g.versions[next.ID], next)
	*o = next
	return nil
}

func (w officeWriter) AddProgress(_ context.Context, u *store.ProgressUpdate) (bool, error) {
	g := &w.o.goals
	for oi := range g.objectives {
		for ki := range g.objectives[oi].KeyResults {
			k := &g.objectives[oi].KeyResults[ki]
			if k.ID != u.KeyResultID {
				continue
			}
			prev := k.Current
			if u.Add {
				k.Current += u.Value
			} else {
				k.Current = u.Value
			}
			if u.Confidence != "" {
				k.Confidence = u.Confidence
			}
			u.Value, u.Delta, u.Add = k.Current, k.Current-prev, false
			u.ID = int64(len(g.progress) + 1)
			g.progress = append(g.progress, *u)
			return true, nil
		}
	}
	return false, store.ErrNotFound
}

func (w officeWriter) SaveGoalChange(_ context.Context, c *store.GoalChange) error {
	g := &w.o.goals
	if c.ID == 0 {
		g.changes = append(g.changes, *c)
		c.ID = int64(len(g.changes))
	}
	g.changes[c.ID-1] = *c
	return nil
}
