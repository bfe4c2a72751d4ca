package okr_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/store"
)

// subjectStore answers ReadSubjects from memory and counts its reads.
type subjectStore struct {
	objs  []store.Objective
	ups   map[int64][]store.ProgressPoint
	last  map[int64]time.Time
	reads int
	f     store.ObjectiveFilter
	n     int
	asked []int64
}

func (s *subjectStore) Objectives(_ context.Context, _ store.Viewer, f store.ObjectiveFilter) ([]store.Objective, error) {
	s.reads++
	s.f = f
	var out []store.Objective
	for _, o := range s.objs {
		for _, id := range f.OwnerIDs {
			if o.OwnerID == id && o.Level == f.Level && o.Status == f.Status {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

func (s *subjectStore) LatestProgress(_ context.Context, _ store.Viewer, _ []int64, n int) (map[int64][]store.ProgressPoint, error) {
	s.reads++
	s.n = n
	return s.ups, nil
}

func (s *subjectStore) LastFeedback(_ context.Context, _ store.Viewer, ids []int64) (map[int64]time.Time, error) {
	s.reads++
	s.asked = ids
	return s.last, nil
}

// ReadSubjects reads a team's subjects in three reads, however many
// people: only those with agreed person goals have one.
func TestReadSubjects(t *testing.T) {
	agreed := func(id, owner int64, approved string) store.Objective {
		at, err := time.Parse(time.DateOnly, approved)
		require.NoError(t, err)
		o := quarter(id, 10)
		o.OwnerID, o.Level, o.ApprovedAt = owner, store.LevelPerson, at
		return o
	}
	fb := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	st := &subjectStore{
		objs: []store.Objective{agreed(1, 7, "2026-10-05"), agreed(2, 7, "2026-10-02"), agreed(3, 8, "2026-10-09")},
		ups:  map[int64][]store.ProgressPoint{1: {update(10, 5, "2026-10-20")}},
		last: map[int64]time.Time{7: fb},
	}
	people := []bot.Person{{ID: 7, ManagerID: 3}, {ID: 8, ManagerID: 3}, {ID: 9, ManagerID: 3}}
	got, err := okr.ReadSubjects(t.Context(), st, store.System, people, 2)
	require.NoError(t, err)
	require.Equal(t, 3, st.reads)
	require.Equal(t, store.ObjectiveFilter{OwnerIDs: []int64{7, 8, 9}, Level: store.LevelPerson, Status: store.GoalApproved}, st.f)
	require.Equal(t, 2, st.n)
	require.ElementsMatch(t, []int64{7, 8}, st.asked, "feedback only of who has goals")

	require.Len(t, got, 2, "9 has no agreed goals: no subject")
	seven := got[7]
	require.Equal(t, int64(3), seven.ManagerID)
	require.Equal(t, fb, seven.LastFeedback)
	require.Equal(t, time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), seven.Since, "the first goal agreed")
	require.Len(t, seven.Goals, 2)
	require.Equal(t, map[int64][]store.ProgressPoint{1: {update(10, 5, "2026-10-20")}}, seven.Updates)
	require.True(t, got[8].LastFeedback.IsZero(), "never given feedback")
	require.Empty(t, got[8].Updates)

	// Nobody: no reads.
	st.reads = 0
	got, err = okr.ReadSubjects(t.Context(), st, store.System, nil, 2)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Zero(t, st.reads)
}

func TestUpdatesLookedAt(t *testing.T) {
	base := rules(t)
	require.Equal(t, 2, okr.UpdatesLookedAt(base))
	rs, err := okr.WarnRulesFor(store.TeamRules{Warnings: map[string]store.WarningRule{"behind": {Updates: 3}}}, base)
	require.NoError(t, err)
	require.Equal(t, 3, okr.UpdatesLookedAt(rs))
	rs, err = okr.WarnRulesFor(store.TeamRules{Warnings: map[string]store.WarningRule{"behind": {Off: true}}}, base)
	require.NoError(t, err)
	require.Zero(t, okr.UpdatesLookedAt(rs), "no behind rule on: no updates to read")
}

// SubjectsOf takes goals read already, of any kind: only the people's
// agreed person goals count, as ReadSubjects would read them.
func TestSubjectsOf(t *testing.T) {
	mine := quarter(1, 10)
	mine.Level = store.LevelPerson
	draft, company, others := mine, mine, mine
	draft.ID, draft.Status = 2, store.GoalDraft
	company.ID, company.Level = 3, store.LevelCompany
	others.ID, others.OwnerID = 4, 99
	st := &subjectStore{last: map[int64]time.Time{}}
	got, err := okr.SubjectsOf(t.Context(), st, store.System, []bot.Person{{ID: 7, ManagerID: 3}},
		[]store.Objective{company, mine, draft, others}, 2)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, []store.Objective{mine}, got[7].Goals)
	require.Equal(t, []int64{7}, st.asked)

	got, err = okr.SubjectsOf(t.Context(), st, store.System, []bot.Person{{ID: 8}}, []store.Objective{mine}, 2)
	require.NoError(t, err)
	require.Empty(t, got, "8 has no goals of their own here")
}
