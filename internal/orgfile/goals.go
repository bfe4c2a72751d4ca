package orgfile

import (
	"context"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/internal/store"
)

// writeGoals gives person the goals of the file they lack, matching titles
// without regard to case, and sets the target of a goal the file gives a
// new one. Goals the file does not list are kept: they have progress
// reported against them. It returns what changed, for the audit log.
func writeGoals(ctx context.Context, tx store.Store, personID int64, exists bool, specs []goalSpec) ([]string, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	var have []store.Goal
	if exists {
		var err error
		if have, err = tx.Goals(ctx, personID); err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
	}
	var changes []string
	for _, spec := range specs {
		g, found := findGoal(have, spec.title)
		switch {
		case !found:
			g = store.Goal{PersonID: personID, Title: spec.title, Target: spec.target}
			changes = append(changes, fmt.Sprintf("goal %q added", spec.title))
		case spec.target != 0 && spec.target != g.Target:
			g.Target = spec.target
			changes = append(changes, fmt.Sprintf("goal %q target", g.Title))
		default:
			continue
		}
		if err := tx.SaveGoal(ctx, &g); err != nil {
			return nil, fmt.Errorf("save %q: %w", spec.title, err)
		}
	}
	return changes, nil
}

func findGoal(goals []store.Goal, title string) (store.Goal, bool) {
	for _, g := range goals {
		if strings.EqualFold(strings.TrimSpace(g.Title), title) {
			return g, true
		}
	}
	return store.Goal{}, false
}
