package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var insightTests = []suiteTest{
	{"InsightScopes", testInsightScopes},
	{"InsightNumbers", testInsightNumbers},
}

// insightOrg is a small company: ceo > mgrA > (emp1, emp2), ceo > mgrB >
// emp3, and hr and admin beside them. Team one is emp1 and emp2, team two
// emp3.
type insightOrg struct {
	ceo, mgrA, mgrB, emp1, emp2, emp3, hr, admin bot.Person
	one, two                                     store.Team
}

func newInsightOrg(t *testing.T, s store.Store) insightOrg {
	var o insightOrg
	o.one, o.two = saveTeam(t, s, "One"), saveTeam(t, s, "Two")
	o.ceo = savePerson(t, s, bot.Person{Name: "CEO", Roles: []bot.Role{bot.RoleManager}})
	o.mgrA = savePerson(t, s, bot.Person{Name: "MgrA", ManagerID: o.ceo.ID, Roles: []bot.Role{bot.RoleManager}})
	o.mgrB = savePerson(t, s, bot.Person{Name: "MgrB", ManagerID: o.ceo.ID, Roles: []bot.Role{bot.RoleManager}})
	o.emp1 = savePerson(t, s, bot.Person{Name: "Emp1", ManagerID: o.mgrA.ID, TeamID: o.one.ID})
	o.emp2 = savePerson(t, s, bot.Person{Name: "Emp2", ManagerID: o.mgrA.ID, TeamID: o.one.ID})
	o.emp3 = savePerson(t, s, bot.Person{Name: "Emp3", ManagerID: o.mgrB.ID, TeamID: o.two.ID})
	o.hr = savePerson(t, s, bot.Person{Name: "HR", Roles: []bot.Role{bot.RoleHR}})
	o.admin = savePerson(t, s, bot.Person{Name: "Admin", Roles: []bot.Role{bot.RoleAdmin}})
	return o
}

var insightAt = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // Monday of 2026-W48

// testInsightScopes checks who each viewer's insight covers: their own
// subtree, everyone for hr, and no more for admin without hr.
func testInsightScopes(t *testing.T, s store.Store) {
	o := newInsightOrg(t, s)
	ctx := t.Context()
	for _, p := range []bot.Person{o.emp1, o.emp2, o.emp3} {
		r := openRound(t, s, store.Round{PersonID: p.ID, TeamID: p.TeamID, Period: "2026-W48"})
		r.Status, r.Mood, r.SubmittedAt = store.StatusSubmitted, 4, insightAt
		require.NoError(t, s.SaveRound(ctx, &r))
	}
	everyone := []int64{o.ceo.ID, o.mgrA.ID, o.mgrB.ID, o.emp1.ID, o.emp2.ID, o.emp3.ID, o.hr.ID, o.admin.ID}
	cases := []struct {
		name   string
		v      store.Viewer
		people []int64
		rounds int
	}{
		{"employee", store.Viewer(o.emp1.ID), []int64{o.emp1.ID}, 1},
		{"manager", store.Viewer(o.mgrA.ID), []int64{o.mgrA.ID, o.emp1.ID, o.emp2.ID}, 2},
		{"peer manager", store.Viewer(o.mgrB.ID), []int64{o.mgrB.ID, o.emp3.ID}, 1},
		{"skip-level", store.Viewer(o.ceo.ID), []int64{o.ceo.ID, o.mgrA.ID, o.mgrB.ID, o.emp1.ID, o.emp2.ID, o.emp3.ID}, 3},
		{"hr", store.Viewer(o.hr.ID), everyone, 3},
		{"admin without hr", store.Viewer(o.admin.ID), []int64{o.admin.ID}, 0},
		{"system", store.System, everyone, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, err := s.InsightPeople(ctx, c.v)
			require.NoError(t, err)
			require.ElementsMatch(t, c.people, ids)
			cells, err := s.Participation(ctx, c.v, "2026-W48", "2026-W48")
			require.NoError(t, err)
			n := 0
			for _, cell := range cells {
				n += cell.Rounds
			}
			require.Equal(t, c.rounds, n)
		})
	}
}

// testInsightNumbers checks what each read counts.
func testInsightNumbers(t *testing.T, s store.Store) {
	o := newInsightOrg(t, s)
	ctx := t.Context()
	mgr := store.Viewer(o.mgrA.ID)

	r1 := openRound(t, s, store.Round{PersonID: o.emp1.ID, TeamID: o.one.ID, Period: "2026-W48"})
	r1.Status, r1.Mood, r1.SubmittedAt = store.StatusSubmitted, 5, insightAt
	require.NoError(t, s.SaveRound(ctx, &r1))
	r2 := openRound(t, s, store.Round{PersonID: o.emp2.ID, TeamID: o.one.ID, Period: "2026-W48"})
	r2.Status, r2.SkipReason = store.StatusSkipped, "holiday"
	require.NoError(t, s.SaveRound(ctx, &r2))
	openRound(t, s, store.Round{PersonID: o.emp1.ID, TeamID: o.one.ID, Period: "2026-W47"})

	cells, err := s.Participation(ctx, mgr, "2026-W47", "2026-W48")
	require.NoError(t, err)
	require.Equal(t, []store.ParticipationCell{
		{TeamID: o.one.ID, Period: "2026-W47", Rounds: 1},
		{TeamID: o.one.ID, Period: "2026-W48", Rounds: 2, Submitted: 1, Skipped: 1, Moods: 1, MoodSum: 5},
	}, cells)

	waiting, err := s.WaitingReviews(ctx, mgr, time.Time{}, insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []store.WaitingReviews{{PersonID: o.emp1.ID, TeamID: o.one.ID, Count: 1, Oldest: insightAt, OldestPeriod: "2026-W48"}}, waiting)
	waiting, err = s.WaitingReviews(ctx, mgr, time.Time{}, insightAt)
	require.NoError(t, err)
	require.Empty(t, waiting, "submitted at the bound is not yet waiting")
	waiting, err = s.WaitingReviews(ctx, mgr, insightAt.Add(time.Minute), insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, waiting, "submitted before from")
	waiting, err = s.WaitingReviews(ctx, store.Viewer(o.mgrB.ID), time.Time{}, insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, waiting, "a peer manager's reports are not theirs")

	// Feedback: praise from team one to team two, SBI within team one.
	praise := store.Feedback{Kind: store.FeedbackPraise, GiverID: o.emp1.ID, RecipientID: o.emp3.ID,
		Value: "Ownership", Points: 1, Public: true, CreatedAt: insightAt}
	require.NoError(t, s.SaveFeedback(ctx, &praise))
	sbi := store.Feedback{Kind: store.FeedbackSBI, GiverID: o.mgrA.ID, RecipientID: o.emp2.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: insightAt}
	require.NoError(t, s.SaveFeedback(ctx, &sbi))

	flow, err := s.KudosFlow(ctx, store.Viewer(o.mgrB.ID), insightAt.Add(-time.Hour), insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []store.KudosFlowRow{{FromTeamID: o.one.ID, ToTeamID: o.two.ID, Value: "Ownership", Count: 1, Points: 1}}, flow,
		"praise a report received counts for their manager")
	flow, err = s.KudosFlow(ctx, store.Viewer(o.emp2.ID), insightAt.Add(-time.Hour), insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, flow, "SBI is no praise, and others' praise is not emp2's")

	without, err := s.WithoutFeedback(ctx, mgr, insightAt.Add(-time.Hour))
	require.NoError(t, err)
	require.Equal(t, []store.Member{{PersonID: o.mgrA.ID}, {PersonID: o.emp1.ID, TeamID: o.one.ID}}, without)
	without, err = s.WithoutFeedback(ctx, mgr, insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, without, 3, "feedback before since does not count")

	// Requests: one of emp1 answered after 50 hours, one of emp3 open.
	answered := store.FeedbackRequest{RequesterID: o.emp2.ID, AskedID: o.emp1.ID, CreatedAt: insightAt, AnsweredAt: insightAt.Add(50 * time.Hour)}
	require.NoError(t, s.SaveFeedbackRequest(ctx, &answered))
	open := store.FeedbackRequest{RequesterID: o.emp1.ID, AskedID: o.emp3.ID, CreatedAt: insightAt}
	require.NoError(t, s.SaveFeedbackRequest(ctx, &open))
	waits, err := s.RequestWaits(ctx, mgr, insightAt.Add(-time.Hour), insightAt.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []store.RequestWait{{AskedID: o.emp1.ID, TeamID: o.one.ID, CreatedAt: insightAt, AnsweredAt: insightAt.Add(50 * time.Hour)}}, waits)
	waits, err = s.RequestWaits(ctx, store.Viewer(o.hr.ID), time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Len(t, waits, 2)

	// Broadcasts: sent to emp1 and emp3, acknowledged by emp1.
	b := store.Broadcast{Text: "Read me", Ack: true}
	_, err = s.CreateBroadcast(ctx, &b, []int64{o.emp1.ID, o.emp3.ID})
	require.NoError(t, err)
	ds, err := s.ClaimDeliveries(ctx, insightAt, time.Minute, 10)
	require.NoError(t, err)
	require.NoError(t, s.MarkSent(ctx, ds, insightAt))
	_, err = s.Ack(ctx, b.ID, o.emp1.ID, insightAt)
	require.NoError(t, err)
	for _, c := range []struct {
		v           store.Viewer
		sent, acked int
	}{{mgr, 1, 1}, {store.Viewer(o.mgrB.ID), 1, 0}, {store.Viewer(o.hr.ID), 2, 1}} {
		reads, err := s.BroadcastReadRates(ctx, c.v, 5)
		require.NoError(t, err)
		require.Len(t, reads, 1)
		require.Equal(t, b.ID, reads[0].ID)
		require.Equal(t, []int{c.sent, c.acked}, []int{reads[0].Sent, reads[0].Acked})
	}
	reads, err := s.BroadcastReadRates(ctx, store.Viewer(o.admin.ID), 5)
	require.NoError(t, err)
	require.Empty(t, reads)
}
