package okr

import (
	"context"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// The warnings are evaluated in two places, the scheduler (which sends
// them) and the dashboard (which shows them). Both build their subjects
// here, so both see the same goals, updates and feedback for a person and
// the same rules fire: the only reading this package does, through the
// store it is given.

// SubjectReader is what ReadSubjects reads: the store.
type SubjectReader interface {
	Objectives(ctx context.Context, v store.Viewer, f store.ObjectiveFilter) ([]store.Objective, error)
	LatestProgress(ctx context.Context, v store.Viewer, objectiveIDs []int64, n int) (map[int64][]store.ProgressUpdate, error)
	LastFeedback(ctx context.Context, v store.Viewer, recipientIDs []int64) (map[int64]time.Time, error)
}

// ReadSubjects reads what the warnings look at for people, as v may see
// it, in three reads however many they are: their agreed person goals,
// the last updates of each key result (updates of them, UpdatesLookedAt
// of the rules to evaluate) and when each last received feedback. It
// returns the subjects by person id. Someone without agreed goals has
// none: nobody is warned about them, and perfbot watches someone's
// feedback only from when their first goal was agreed (before that, "no
// feedback for three weeks" would flag everyone on the first day).
func ReadSubjects(ctx context.Context, r SubjectReader, v store.Viewer, people []bot.Person, updates int) (map[int64]Subject, error) {
	out := map[int64]Subject{}
	if len(people) == 0 {
		return out, nil
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	objs, err := r.Objectives(ctx, v, store.ObjectiveFilter{OwnerIDs: ids, Level: store.LevelPerson, Status: store.GoalApproved})
	if err != nil {
		return nil, fmt.Errorf("okr: subjects: objectives: %w", err)
	}
	if len(objs) == 0 {
		return out, nil
	}
	goals := map[int64][]store.Objective{}
	objIDs := make([]int64, 0, len(objs))
	for _, o := range objs {
		goals[o.OwnerID] = append(goals[o.OwnerID], o)
		objIDs = append(objIDs, o.ID)
	}
	ups := map[int64][]store.ProgressUpdate{}
	if updates > 0 {
		if ups, err = r.LatestProgress(ctx, v, objIDs, updates); err != nil {
			return nil, fmt.Errorf("okr: subjects: updates: %w", err)
		}
	}
	owners := make([]int64, 0, len(goals))
	for id := range goals {
		owners = append(owners, id)
	}
	last, err := r.LastFeedback(ctx, v, owners)
	if err != nil {
		return nil, fmt.Errorf("okr: subjects: feedback: %w", err)
	}
	for _, p := range people {
		if _, ok := goals[p.ID]; !ok {
			continue
		}
		out[p.ID] = subjectOf(p, goals[p.ID], ups, last[p.ID])
	}
	return out, nil
}

// subjectOf is p's subject: their agreed goals, their key results'
// updates and their last feedback (zero for never).
func subjectOf(p bot.Person, goals []store.Objective, ups map[int64][]store.ProgressUpdate, last time.Time) Subject {
	s := Subject{PersonID: p.ID, ManagerID: p.ManagerID, LastFeedback: last, Goals: goals, Updates: map[int64][]store.ProgressUpdate{}}
	for _, o := range goals {
		if !o.ApprovedAt.IsZero() && (s.Since.IsZero() || o.ApprovedAt.Before(s.Since)) {
			s.Since = o.ApprovedAt
		}
		for _, k := range o.KeyResults {
			if u := ups[k.ID]; len(u) > 0 {
				s.Updates[k.ID] = u
			}
		}
	}
	return s
}

// UpdatesLookedAt is how many of a key result's latest updates rules look
// at: the most any behind rule that is on needs, 0 when none is on.
func UpdatesLookedAt(rules []WarnRule) int {
	n := 0
	for _, r := range rules {
		if r.Check == CheckBehind && !r.Off {
			n = max(n, r.Updates)
		}
	}
	return n
}
