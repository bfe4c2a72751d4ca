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
	ProgressReader
}

// ProgressReader is what SubjectsOf reads besides the goals: the store.
type ProgressReader interface {
	LatestProgress(ctx context.Context, v store.Viewer, objectiveIDs []int64, n int) (map[int64][]store.ProgressPoint, error)
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
	if len(people) == 0 {
		return map[int64]Subject{}, nil
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	objs, err := r.Objectives(ctx, v, store.ObjectiveFilter{OwnerIDs: ids, Level: store.LevelPerson, Status: store.GoalApproved})
	if err != nil {
		return nil, fmt.Errorf("okr: subjects: objectives: %w", err)
	}
	return SubjectsOf(ctx, r, v, people, objs, updates)
}

// SubjectsOf is ReadSubjects for a caller that has read the goals v may
// see already (the dashboard, for its goals view): of objs, only people's
// agreed person goals count.
func SubjectsOf(ctx context.Context, r ProgressReader, v store.Viewer, people []bot.Person, objs []store.Objective, updates int) (map[int64]Subject, error) {
	out := map[int64]Subject{}
	who := make(map[int64]bool, len(people))
	for _, p := range people {
		who[p.ID] = true
	}
	goals := map[int64][]store.Objective{}
	var objIDs []int64
	for _, o := range objs {
		if o.Level != store.LevelPerson || !o.Counts() || !who[o.OwnerID] {
			continue
		}
		goals[o.OwnerID] = append(goals[o.OwnerID], o)
		objIDs = append(objIDs, o.ID)
	}
	if len(goals) == 0 {
		return out, nil
	}
	ups := map[int64][]store.ProgressPoint{}
	if updates > 0 {
		var err error
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
		if g, ok := goals[p.ID]; ok {
			out[p.ID] = subjectOf(p, g, ups, last[p.ID])
		}
	}
	return out, nil
}

// subjectOf is p's subject: their agreed goals, their key results'
// updates and their last feedback (zero for never).
func subjectOf(p bot.Person, goals []store.Objective, ups map[int64][]store.ProgressPoint, last time.Time) Subject {
	s := Subject{PersonID: p.ID, ManagerID: p.ManagerID, LastFeedback: last, Goals: goals, Updates: map[int64][]store.ProgressPoint{}}
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
