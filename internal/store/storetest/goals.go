package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var goalTests = []suiteTest{
	{"ObjectiveSave", testObjectiveSave},
	{"ObjectiveVersions", testObjectiveVersions},
	{"ObjectiveDedup", testObjectiveDedup},
	{"ObjectiveVisibility", testObjectiveVisibility},
	{"ProgressUpdates", testProgressUpdates},
	{"ProgressConcurrentAdds", testProgressConcurrentAdds},
	{"ProgressTallies", testProgressTallies},
	{"LatestProgress", testLatestProgress},
	{"ObjectivesOfOwners", testObjectivesOfOwners},
	{"GoalChanges", testGoalChanges},
}

// goalAt is a fixed time the goal tests build on: in 2026-Q4.
var goalAt = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)

func saveObjective(t *testing.T, s store.Store, o store.Objective) store.Objective {
	t.Helper()
	require.NoError(t, s.SaveObjective(t.Context(), &o))
	require.NotZero(t, o.ID)
	return o
}

// personGoal is a draft person goal of owner with two key results.
func personGoal(owner bot.Person, title string) store.Objective {
	return store.Objective{
		Level: store.LevelPerson, OwnerID: owner.ID, Kind: store.KindOKR, Title: title, Period: "2026-Q4",
		Starts: "2026-10-01", Ends: "2026-12-31", Status: store.GoalDraft, ChangedBy: owner.ID, CreatedAt: goalAt,
		KeyResults: []store.KeyResult{
			{Title: "Close deals", Unit: "deals", Target: 10, Direction: store.Up, Due: "2026-12-15", Weight: 2, Ref: "close-deals"},
			{Title: "Churn", Unit: "%", Start: 8, Target: 4, Current: 8, Direction: store.Down, Weight: 1, RequiresEvidence: true},
		},
	}
}

func testObjectiveSave(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	team := saveTeam(t, s, "Sales")
	company := saveObjective(t, s, store.Objective{Level: store.LevelCompany, OwnerID: ada.ID, Kind: store.KindKPI,
		Title: "Revenue 10M", Period: "2026-Q4", Status: store.GoalApproved, ApprovedBy: ada.ID, ApprovedAt: goalAt,
		KeyResults: []store.KeyResult{{Title: "Revenue", Unit: "M", Target: 10, Direction: store.Up, Weight: 1}}})
	teamGoal := saveObjective(t, s, store.Objective{Level: store.LevelTeam, OwnerID: ada.ID, TeamID: team.ID,
		ParentID: company.ID, Kind: store.KindOKR, Title: "Win the north", Status: store.GoalPending})
	mine := personGoal(ada, "Grow accounts")
	mine.ParentID = teamGoal.ID
	mine = saveObjective(t, s, mine)
	require.Equal(t, int64(1), mine.Version)
	require.Len(t, mine.KeyResults, 2)
	for i, k := range mine.KeyResults {
		require.NotZero(t, k.ID, "key result %d", i)
		require.Equal(t, mine.ID, k.ObjectiveID)
	}

	got, err := s.Objective(ctx, store.System, mine.ID)
	require.NoError(t, err)
	require.Equal(t, mine, got, "SaveObjective leaves o as stored")
	require.Equal(t, goalAt, got.CreatedAt)

	list, err := s.Objectives(ctx, store.System, store.ObjectiveFilter{})
	require.NoError(t, err)
	require.Equal(t, []int64{company.ID, teamGoal.ID, mine.ID}, objectiveIDs(list), "company, team, person")
	list, err = s.Objectives(ctx, store.System, store.ObjectiveFilter{ParentID: teamGoal.ID})
	require.NoError(t, err)
	require.Equal(t, []int64{mine.ID}, objectiveIDs(list))
	list, err = s.Objectives(ctx, store.System, store.ObjectiveFilter{TeamID: team.ID, Status: store.GoalPending})
	require.NoError(t, err)
	require.Equal(t, []int64{teamGoal.ID}, objectiveIDs(list))

	// An update at the stored version: one key result changed, one
	// dropped, one added.
	mine.Status = store.GoalPending
	mine.KeyResults[0].Target = 12
	mine.KeyResults = append(mine.KeyResults[:1], store.KeyResult{Title: "Demos", Target: 5, Direction: store.Up})
	require.NoError(t, s.SaveObjective(ctx, &mine))
	require.Equal(t, int64(2), mine.Version)
	got, err = s.Objective(ctx, store.System, mine.ID)
	require.NoError(t, err)
	require.Equal(t, mine, got)
	require.Equal(t, []string{"Close deals", "Demos"}, []string{got.KeyResults[0].Title, got.KeyResults[1].Title})
	require.Equal(t, 12.0, got.KeyResults[0].Target)

	stale := mine
	stale.Version = 1
	stale.Title = "Lost update"
	require.ErrorIs(t, s.SaveObjective(ctx, &stale), store.ErrConflict)
	ghost := mine
	ghost.ID += 1000
	require.ErrorIs(t, s.SaveObjective(ctx, &ghost), store.ErrNotFound)
	foreign := mine
	foreign.KeyResults = []store.KeyResult{{ID: company.KeyResults[0].ID, Title: "Not mine", Target: 1, Direction: store.Up}}
	require.ErrorIs(t, s.SaveObjective(ctx, &foreign), store.ErrNotFound, "a key result of another goal")
	got, err = s.Objective(ctx, store.System, mine.ID)
	require.NoError(t, err)
	require.Equal(t, mine, got, "a refused save changes nothing")

	for _, bad := range []store.Objective{
		{Level: "galaxy", OwnerID: ada.ID, Kind: store.KindOKR, Title: "x", Status: store.GoalDraft},
		{Level: store.LevelPerson, OwnerID: ada.ID, Kind: "vibes", Title: "x", Status: store.GoalDraft},
		{Level: store.LevelPerson, OwnerID: ada.ID, Kind: store.KindOKR, Title: "x", Status: "done"},
		{Level: store.LevelTeam, OwnerID: ada.ID, Kind: store.KindOKR, Title: "no team", Status: store.GoalDraft},
		{Level: store.LevelPerson, OwnerID: ada.ID, Kind: store.KindOKR, Title: "x", Status: store.GoalDraft,
			KeyResults: []store.KeyResult{{Title: "sideways", Target: 1, Direction: "left"}}},
	} {
		require.Error(t, s.SaveObjective(ctx, &bad), "%+v", bad)
	}
}

func objectiveIDs(list []store.Objective) []int64 {
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.ID
	}
	return ids
}

func testObjectiveVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	boss := savePerson(t, s, bot.Person{Name: "Boss"})
	o := saveObjective(t, s, personGoal(ada, "v1"))
	o.Title, o.Status, o.ChangedBy = "v2", store.GoalApproved, boss.ID
	require.NoError(t, s.SaveObjective(ctx, &o))

	versions, err := s.ObjectiveVersions(ctx, store.System, o.ID)
	require.NoError(t, err)
	require.Len(t, versions, 2)
	require.Equal(t, []int64{1, 2}, []int64{versions[0].Version, versions[1].Version})
	require.Equal(t, []int64{ada.ID, boss.ID}, []int64{versions[0].ChangedBy, versions[1].ChangedBy})
	require.Equal(t, "v1", versions[0].Objective.Title)
	require.Equal(t, store.GoalDraft, versions[0].Objective.Status)
	require.Equal(t, o, versions[1].Objective, "the newest version is the objective")

	// A rolled back save keeps no version.
	o.Title = "v3"
	require.Error(t, s.InTx(ctx, func(tx store.Store) error {
		require.NoError(t, tx.SaveObjective(ctx, &o))
		return errRollback
	}))
	versions, err = s.ObjectiveVersions(ctx, store.System, o.ID)
	require.NoError(t, err)
	require.Len(t, versions, 2)
}

func testObjectiveDedup(t *testing.T, s store.Store) {
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	o := personGoal(ada, "Once")
	o.DedupKey = "event:x:1:goal"
	first := saveObjective(t, s, o)
	again := saveObjective(t, s, o)
	require.Equal(t, first, again, "a retried step gets the first back")
	list, err := s.Objectives(t.Context(), store.System, store.ObjectiveFilter{OwnerID: ada.ID})
	require.NoError(t, err)
	require.Len(t, list, 1)
	versions, err := s.ObjectiveVersions(t.Context(), store.System, first.ID)
	require.NoError(t, err)
	require.Len(t, versions, 1)
}

// testObjectiveVisibility checks who may and who must not see each level
// of goal: Dan (Sales) reports to Mia, who reports to Zoe; Eve is Dan's
// teammate; Sam is in Support; Hal has the hr role and Ann the admin role
// (which sees no private goals).
func testObjectiveVisibility(t *testing.T, s store.Store) {
	ctx := t.Context()
	sales, support := saveTeam(t, s, "Sales"), saveTeam(t, s, "Support")
	zoe := savePerson(t, s, bot.Person{Name: "Zoe"})
	mia := savePerson(t, s, bot.Person{Name: "Mia", ManagerID: zoe.ID})
	dan := savePerson(t, s, bot.Person{Name: "Dan", ManagerID: mia.ID, TeamID: sales.ID})
	eve := savePerson(t, s, bot.Person{Name: "Eve", ManagerID: mia.ID, TeamID: sales.ID})
	sam := savePerson(t, s, bot.Person{Name: "Sam", TeamID: support.ID})
	hal := savePerson(t, s, bot.Person{Name: "Hal", Roles: []bot.Role{bot.RoleHR}})
	ann := savePerson(t, s, bot.Person{Name: "Ann", Roles: []bot.Role{bot.RoleAdmin}})

	company := saveObjective(t, s, store.Objective{Level: store.LevelCompany, OwnerID: zoe.ID, Kind: store.KindKPI,
		Title: "Revenue", Status: store.GoalApproved})
	companyDraft := saveObjective(t, s, store.Objective{Level: store.LevelCompany, OwnerID: zoe.ID, Kind: store.KindKPI,
		Title: "Next year's", Status: store.GoalDraft})
	teamGoal := saveObjective(t, s, store.Objective{Level: store.LevelTeam, OwnerID: mia.ID, TeamID: sales.ID,
		ParentID: company.ID, Kind: store.KindOKR, Title: "Win the north", Status: store.GoalApproved})
	dans := personGoal(dan, "Dan's")
	dans.ParentID = teamGoal.ID
	dans = saveObjective(t, s, dans)

	visible := func(v bot.Person) []int64 {
		t.Helper()
		list, err := s.Objectives(ctx, store.Viewer(v.ID), store.ObjectiveFilter{})
		require.NoError(t, err)
		return objectiveIDs(list)
	}
	all := []int64{company.ID, companyDraft.ID, teamGoal.ID, dans.ID}
	require.Equal(t, all, visible(zoe), "the top of the chain")
	require.Equal(t, []int64{company.ID, teamGoal.ID, dans.ID}, visible(mia), "Dan's manager, owner of the team goal")
	require.Equal(t, []int64{company.ID, teamGoal.ID, dans.ID}, visible(dan), "the owner; and his team's goal")
	require.Equal(t, []int64{company.ID, teamGoal.ID}, visible(eve), "a teammate sees the team's goal, not Dan's")
	require.Equal(t, []int64{company.ID}, visible(sam), "another team sees neither")
	require.Equal(t, all, visible(hal), "hr")
	require.Equal(t, []int64{company.ID}, visible(ann), "admin is not hr")

	for _, v := range []bot.Person{eve, sam, ann} {
		_, err := s.Objective(ctx, store.Viewer(v.ID), dans.ID)
		require.ErrorIs(t, err, store.ErrNotFound, "%s must not see Dan's goal", v.Name)
		_, err = s.ObjectiveVersions(ctx, store.Viewer(v.ID), dans.ID)
		require.ErrorIs(t, err, store.ErrNotFound, "%s must not see its versions", v.Name)
		_, err = s.ProgressUpdates(ctx, store.Viewer(v.ID), dans.KeyResults[0].ID)
		require.ErrorIs(t, err, store.ErrNotFound, "%s must not see its progress", v.Name)
	}
	_, err := s.Objective(ctx, store.Viewer(sam.ID), teamGoal.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "Sam must not see Sales' goal")
	_, err = s.Objective(ctx, store.Viewer(mia.ID), companyDraft.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "a draft company goal is its owner's chain's and hr's")

	// An unapproved team goal is only its owner's chain's and hr's.
	pending := saveObjective(t, s, store.Objective{Level: store.LevelTeam, OwnerID: mia.ID, TeamID: sales.ID,
		Kind: store.KindOKR, Title: "Maybe", Status: store.GoalPending})
	_, err = s.Objective(ctx, store.Viewer(eve.ID), pending.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Objective(ctx, store.Viewer(mia.ID), pending.ID)
	require.NoError(t, err)

	// Change requests: the requester, the owner's chain, hr.
	c := store.GoalChange{ObjectiveID: dans.ID, KeyResultID: dans.KeyResults[0].ID, RequesterID: dan.ID, Reason: "market"}
	require.NoError(t, s.SaveGoalChange(ctx, &c))
	for _, v := range []bot.Person{dan, mia, zoe, hal} {
		_, err := s.GoalChange(ctx, store.Viewer(v.ID), c.ID)
		require.NoError(t, err, "%s may see the change", v.Name)
	}
	for _, v := range []bot.Person{eve, sam, ann} {
		_, err := s.GoalChange(ctx, store.Viewer(v.ID), c.ID)
		require.ErrorIs(t, err, store.ErrNotFound, "%s must not see the change", v.Name)
		list, err := s.GoalChanges(ctx, store.Viewer(v.ID), store.ChangeFilter{})
		require.NoError(t, err)
		require.Empty(t, list)
	}
}

// addProgress records u, which must be new.
func addProgress(t *testing.T, s store.Store, u *store.ProgressUpdate) {
	t.Helper()
	created, err := s.AddProgress(t.Context(), u)
	require.NoError(t, err)
	require.True(t, created)
	require.NotZero(t, u.ID)
}

func testProgressUpdates(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	o := saveObjective(t, s, personGoal(ada, "Grow"))
	deals, churn := o.KeyResults[0], o.KeyResults[1]
	shanghai := time.FixedZone("CST", 8*3600)

	u := store.ProgressUpdate{KeyResultID: deals.ID, AuthorID: ada.ID, Value: 4, Confidence: store.OnTrack,
		At: goalAt.Add(7 * 24 * time.Hour)}
	addProgress(t, s, &u)
	require.NotZero(t, u.ID)
	require.Equal(t, 4.0, u.Delta)
	require.False(t, u.Late)
	require.False(t, u.NoEvidence, "deals need no evidence")

	auto := store.ProgressUpdate{KeyResultID: deals.ID, Value: 1, Add: true, Automatic: true, Source: "deal_won: ACME",
		At: goalAt.Add(8 * 24 * time.Hour), DedupKey: "hook:deal:1"}
	addProgress(t, s, &auto)
	require.Equal(t, 5.0, auto.Value, "an increment adds to the value")
	require.Equal(t, 1.0, auto.Delta)
	require.False(t, auto.Add, "kept as the value it made")
	again := store.ProgressUpdate{KeyResultID: deals.ID, Value: 1, Add: true, Automatic: true, DedupKey: "hook:deal:1"}
	created, err := s.AddProgress(ctx, &again)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, auto, again, "a retried event moves nothing twice")
	read, err := s.Objective(ctx, store.System, o.ID)
	require.NoError(t, err)
	require.Equal(t, 5.0, read.KeyResults[0].Current)
	require.Equal(t, 1.0, read.KeyResults[0].Automatic, "what business events added is told apart")
	require.Equal(t, 0.0, read.KeyResults[1].Automatic)

	// After the due date, in the updater's own day: late.
	late := store.ProgressUpdate{KeyResultID: deals.ID, AuthorID: ada.ID, Value: 7, Confidence: store.AtRisk,
		Why: "a big deal slipped", At: time.Date(2026, 12, 16, 1, 0, 0, 0, shanghai)}
	addProgress(t, s, &late)
	require.True(t, late.Late, "the 16th in Shanghai is after the 15th")
	require.Equal(t, 2.0, late.Delta)
	require.Equal(t, time.UTC, late.At.Location())

	// Evidence required, none given: kept, and marked.
	down := store.ProgressUpdate{KeyResultID: churn.ID, AuthorID: ada.ID, Value: 6, At: goalAt.Add(7 * 24 * time.Hour)}
	addProgress(t, s, &down)
	require.True(t, down.NoEvidence)
	require.Equal(t, -2.0, down.Delta)
	proven := store.ProgressUpdate{KeyResultID: churn.ID, AuthorID: ada.ID, Value: 5, Evidence: "https://bi.example/churn",
		At: goalAt.Add(14 * 24 * time.Hour)}
	addProgress(t, s, &proven)
	require.False(t, proven.NoEvidence)

	list, err := s.ProgressUpdates(ctx, store.Viewer(ada.ID), deals.ID)
	require.NoError(t, err)
	require.Equal(t, []store.ProgressUpdate{u, auto, late}, list)

	got, err := s.Objective(ctx, store.System, o.ID)
	require.NoError(t, err)
	require.Equal(t, 7.0, got.KeyResults[0].Current)
	require.Equal(t, store.AtRisk, got.KeyResults[0].Confidence)
	require.Equal(t, late.At, got.KeyResults[0].UpdatedAt)
	require.Equal(t, 5.0, got.KeyResults[1].Current)
	require.Equal(t, store.Confidence(""), got.KeyResults[1].Confidence, "an update without confidence keeps it")

	missing := store.ProgressUpdate{KeyResultID: churn.ID + 1000, Value: 1}
	_, err = s.AddProgress(ctx, &missing)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// testProgressConcurrentAdds: business events adding to one key result at
// once lose none of their increments.
func testProgressConcurrentAdds(t *testing.T, s store.Store) {
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	o := saveObjective(t, s, personGoal(ada, "Tickets"))
	kr := o.KeyResults[0]
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			u := store.ProgressUpdate{KeyResultID: kr.ID, Value: 1, Add: true, Automatic: true, Source: "ticket_resolved"}
			_, errs[i] = s.AddProgress(t.Context(), &u)
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	got, err := s.Objective(t.Context(), store.System, o.ID)
	require.NoError(t, err)
	require.Equal(t, float64(n), got.KeyResults[0].Current)
}

func testGoalChanges(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	boss := savePerson(t, s, bot.Person{Name: "Boss"})
	o := saveObjective(t, s, personGoal(ada, "Grow"))
	target := 0.0 // a target of zero is a target, not "unchanged"
	c := store.GoalChange{ObjectiveID: o.ID, KeyResultID: o.KeyResults[1].ID, RequesterID: ada.ID, NewTarget: &target,
		NewDue: "2026-12-20", Reason: "the product changed", NeedsHR: true, CreatedAt: goalAt, DedupKey: "event:x:2:change"}
	require.NoError(t, s.SaveGoalChange(ctx, &c))
	require.Equal(t, store.ChangePending, c.Status)
	got, err := s.GoalChange(ctx, store.System, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)
	require.NotNil(t, got.NewTarget)
	require.False(t, got.Approved())

	dup := c
	dup.ID, dup.Reason = 0, "again"
	require.NoError(t, s.SaveGoalChange(ctx, &dup))
	require.Equal(t, c, dup, "a retried step gets the first back")

	c.ManagerBy, c.ManagerAt = boss.ID, goalAt.Add(time.Hour)
	require.NoError(t, s.SaveGoalChange(ctx, &c))
	got, err = s.GoalChange(ctx, store.System, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)
	require.False(t, got.Approved(), "hr has not approved yet")

	due := store.GoalChange{ObjectiveID: o.ID, KeyResultID: o.KeyResults[0].ID, RequesterID: ada.ID, NewDue: "2026-12-31",
		Reason: "holidays"}
	require.NoError(t, s.SaveGoalChange(ctx, &due))
	got, err = s.GoalChange(ctx, store.System, due.ID)
	require.NoError(t, err)
	require.Nil(t, got.NewTarget, "no new target")

	pending, err := s.GoalChanges(ctx, store.Viewer(boss.ID), store.ChangeFilter{ObjectiveID: o.ID, Status: store.ChangePending})
	require.NoError(t, err)
	require.Empty(t, pending, "Boss is not Ada's manager")
	pending, err = s.GoalChanges(ctx, store.Viewer(ada.ID), store.ChangeFilter{ObjectiveID: o.ID, Status: store.ChangePending})
	require.NoError(t, err)
	require.Len(t, pending, 2)

	ghost := store.GoalChange{ID: due.ID + 1000, ObjectiveID: o.ID, KeyResultID: o.KeyResults[0].ID, RequesterID: ada.ID, Reason: "?"}
	require.ErrorIs(t, s.SaveGoalChange(ctx, &ghost), store.ErrNotFound)
}

// testProgressTallies: the counts an export reads in bulk, as the viewer
// may see them.
func testProgressTallies(t *testing.T, s store.Store) {
	ctx := t.Context()
	mia := savePerson(t, s, bot.Person{Name: "Mia"})
	ada := savePerson(t, s, bot.Person{Name: "Ada", ManagerID: mia.ID})
	sam := savePerson(t, s, bot.Person{Name: "Sam"})
	o := saveObjective(t, s, personGoal(ada, "Grow"))
	other := saveObjective(t, s, personGoal(sam, "Sam's"))
	deals, churn := o.KeyResults[0], o.KeyResults[1]
	week := 7 * 24 * time.Hour
	for _, u := range []store.ProgressUpdate{
		{KeyResultID: deals.ID, AuthorID: ada.ID, Value: 4, At: goalAt.Add(week)},
		{KeyResultID: deals.ID, Value: 1, Add: true, Automatic: true, Source: "deal_won", At: goalAt.Add(2 * week)},
		{KeyResultID: deals.ID, AuthorID: ada.ID, Value: 7, At: time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)},
		{KeyResultID: churn.ID, AuthorID: ada.ID, Value: 6, At: goalAt.Add(week)},
		{KeyResultID: other.KeyResults[0].ID, AuthorID: sam.ID, Value: 1, At: goalAt.Add(week)},
	} {
		addProgress(t, s, &u)
	}
	got, err := s.ProgressTallies(ctx, store.Viewer(mia.ID), []int64{o.ID, other.ID})
	require.NoError(t, err)
	require.Equal(t, map[int64]store.ProgressTally{
		deals.ID: {KeyResultID: deals.ID, Updates: 3, Late: 1, Automatic: 1, LastAt: time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)},
		churn.ID: {KeyResultID: churn.ID, Updates: 1, NoEvidence: 1, LastAt: goalAt.Add(week)},
	}, got, "Mia sees her report's goal, not Sam's")
	got, err = s.ProgressTallies(ctx, store.System, []int64{other.ID})
	require.NoError(t, err)
	require.Equal(t, 1, got[other.KeyResults[0].ID].Updates)
	require.Len(t, got, 1)
	got, err = s.ProgressTallies(ctx, store.Viewer(sam.ID), []int64{o.ID})
	require.NoError(t, err)
	require.Empty(t, got)
}

// testLatestProgress: the last n updates of each key result, oldest first,
// of the objectives the viewer may see, in one read; n <= 0 is all.
func testLatestProgress(t *testing.T, s store.Store) {
	ctx := t.Context()
	mia := savePerson(t, s, bot.Person{Name: "Mia"})
	ada := savePerson(t, s, bot.Person{Name: "Ada", ManagerID: mia.ID})
	sam := savePerson(t, s, bot.Person{Name: "Sam"})
	o := saveObjective(t, s, personGoal(ada, "Grow"))
	other := saveObjective(t, s, personGoal(sam, "Sam's"))
	deals, churn := o.KeyResults[0], o.KeyResults[1]
	week := 7 * 24 * time.Hour
	var dealUps []store.ProgressUpdate
	for i := range 4 {
		// Two on one instant: the later id is the newer.
		at := goalAt.Add(time.Duration(min(i, 2)) * week)
		u := store.ProgressUpdate{KeyResultID: deals.ID, AuthorID: ada.ID, Value: float64(i + 1), At: at}
		addProgress(t, s, &u)
		dealUps = append(dealUps, u)
	}
	churnUp := store.ProgressUpdate{KeyResultID: churn.ID, AuthorID: ada.ID, Value: 6, At: goalAt.Add(week)}
	addProgress(t, s, &churnUp)
	samUp := store.ProgressUpdate{KeyResultID: other.KeyResults[0].ID, AuthorID: sam.ID, Value: 1, At: goalAt.Add(week)}
	addProgress(t, s, &samUp)

	point := func(us ...store.ProgressUpdate) []store.ProgressPoint {
		var out []store.ProgressPoint
		for _, u := range us {
			out = append(out, store.ProgressPoint{ID: u.ID, KeyResultID: u.KeyResultID, Value: u.Value, At: u.At})
		}
		return out
	}
	got, err := s.LatestProgress(ctx, store.Viewer(mia.ID), []int64{o.ID, other.ID}, 2)
	require.NoError(t, err)
	require.Equal(t, map[int64][]store.ProgressPoint{
		deals.ID: point(dealUps[2], dealUps[3]),
		churn.ID: point(churnUp),
	}, got, "the last two, oldest first; Mia sees her report's goal, not Sam's")

	got, err = s.LatestProgress(ctx, store.System, []int64{o.ID, other.ID, o.ID}, 0)
	require.NoError(t, err)
	require.Equal(t, map[int64][]store.ProgressPoint{
		deals.ID:               point(dealUps...),
		churn.ID:               point(churnUp),
		other.KeyResults[0].ID: point(samUp),
	}, got, "all of them, once each")
	all, err := s.ProgressUpdates(ctx, store.System, deals.ID)
	require.NoError(t, err)
	require.Equal(t, point(all...), got[deals.ID], "as ProgressUpdates lists them")

	got, err = s.LatestProgress(ctx, store.Viewer(sam.ID), []int64{o.ID}, 1)
	require.NoError(t, err)
	require.Empty(t, got, "Sam may not see Ada's goal")
	got, err = s.LatestProgress(ctx, store.System, nil, 1)
	require.NoError(t, err)
	require.Empty(t, got)
}

// testObjectivesOfOwners: OwnerIDs selects several owners' objectives in
// one read, in the order of any list, as the viewer may see them.
func testObjectivesOfOwners(t *testing.T, s store.Store) {
	ctx := t.Context()
	mia := savePerson(t, s, bot.Person{Name: "Mia"})
	ada := savePerson(t, s, bot.Person{Name: "Ada", ManagerID: mia.ID})
	bo := savePerson(t, s, bot.Person{Name: "Bo", ManagerID: mia.ID})
	sam := savePerson(t, s, bot.Person{Name: "Sam"})
	company := saveObjective(t, s, store.Objective{Level: store.LevelCompany, OwnerID: bo.ID, Kind: store.KindKPI,
		Title: "Revenue", Period: "2026-Q4", Status: store.GoalApproved, ApprovedBy: mia.ID, ApprovedAt: goalAt})
	adas := saveObjective(t, s, personGoal(ada, "Ada's"))
	bos := saveObjective(t, s, personGoal(bo, "Bo's"))
	sams := saveObjective(t, s, personGoal(sam, "Sam's"))
	saveObjective(t, s, personGoal(mia, "Mia's"))

	titles := func(list []store.Objective) []string {
		var out []string
		for _, o := range list {
			out = append(out, o.Title)
		}
		return out
	}
	got, err := s.Objectives(ctx, store.System, store.ObjectiveFilter{OwnerIDs: []int64{sam.ID, bo.ID, ada.ID, bo.ID}})
	require.NoError(t, err)
	require.Equal(t, []string{company.Title, adas.Title, bos.Title, sams.Title}, titles(got), "by level, then id")
	require.Len(t, got[1].KeyResults, 2, "with their key results")

	got, err = s.Objectives(ctx, store.Viewer(mia.ID), store.ObjectiveFilter{OwnerIDs: []int64{ada.ID, sam.ID}, Level: store.LevelPerson})
	require.NoError(t, err)
	require.Equal(t, []string{adas.Title}, titles(got), "Mia sees her report's, not Sam's")

	got, err = s.Objectives(ctx, store.Viewer(mia.ID), store.ObjectiveFilter{OwnerID: bo.ID, OwnerIDs: []int64{ada.ID}})
	require.NoError(t, err)
	require.Empty(t, got, "both filters hold")
}
