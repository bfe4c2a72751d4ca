// Package storetest is the conformance suite of [store.Store]. Every
// implementation runs [Run] from its own tests, so all of them keep one
// contract: the same errors, orderings, visibility and concurrency
// guarantees.
package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Run runs the suite. open returns a Store on a fresh, empty database of its
// own, not yet migrated; Run migrates it and closes it when the test ends.
// The store's clock must move forward between calls (time.Now does).
// Subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	// fresh opens a store and closes it when t ends.
	fresh := func(t *testing.T) store.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}
	// migrated is a fresh store, migrated.
	migrated := func(t *testing.T) store.Store {
		t.Helper()
		s := fresh(t)
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}
	tests := []suiteTest{
		{"PersonCRUD", testPersonCRUD},
		{"PersonConflicts", testPersonConflicts},
		{"PeopleFilters", testPeopleFilters},
		{"Teams", testTeams},
		{"Goals", testGoals},
		{"OpenRound", testOpenRound},
		{"OpenRoundConcurrent", testOpenRoundConcurrent},
		{"SaveRound", testSaveRound},
		{"RoundsFilters", testRoundsFilters},
		{"Visibility", testVisibility},
		{"VisibilityManagerCycle", testVisibilityManagerCycle},
		{"InTxRollback", testInTxRollback},
		{"InTxCommit", testInTxCommit},
		{"Audit", testAudit},
		{"NoteUnknown", testNoteUnknown},
		{"RemindDue", testRemindDue},
		{"Away", testAway},
		{"VoiceNotes", testVoiceNotes},
		{"MigrateTwice", testMigrateTwice},
	}
	tests = append(tests, inboxTests...)
	tests = append(tests, claimTests...)
	tests = append(tests, unmatchedTests...)
	tests = append(tests, outboxTests...)
	tests = append(tests, deliveryTests...)
	tests = append(tests, broadcastTests...)
	tests = append(tests, feedbackTests...)
	tests = append(tests, keyTests...)
	tests = append(tests, goalTests...)
	tests = append(tests, insightTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, migrated(t))
		})
	}
	t.Run("MigrateConcurrent", func(t *testing.T) {
		t.Parallel()
		testMigrateConcurrent(t, fresh(t))
	})
}

// suiteTest is one test of the suite, run on a fresh migrated store.
type suiteTest struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// savePerson saves p and returns it with its ID.
func savePerson(t *testing.T, s store.Store, p bot.Person) bot.Person {
	t.Helper()
	require.NoError(t, s.SavePerson(t.Context(), &p))
	require.NotZero(t, p.ID)
	return p
}

func saveTeam(t *testing.T, s store.Store, name string) store.Team {
	t.Helper()
	team := store.Team{Name: name}
	require.NoError(t, s.SaveTeam(t.Context(), &team))
	require.NotZero(t, team.ID)
	return team
}

func openRound(t *testing.T, s store.Store, r store.Round) store.Round {
	t.Helper()
	got, created, err := s.OpenRound(t.Context(), r)
	require.NoError(t, err)
	require.True(t, created, "round of person %d for %s existed", r.PersonID, r.Period)
	return got
}

func testPersonCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	boss := savePerson(t, s, bot.Person{Name: "Boss", Email: "boss@example.com"})
	team := saveTeam(t, s, "Platform")
	p := savePerson(t, s, bot.Person{
		Name:       "Ada",
		Email:      "Ada@Example.com",
		Locale:     bot.LocaleZH,
		TimeZone:   "Asia/Shanghai",
		Roles:      []bot.Role{bot.RoleEmployee, bot.RoleManager},
		ManagerID:  boss.ID,
		Department: "R&D",
		TeamID:     team.ID,
		Identities: []bot.Identity{
			{Platform: bot.WeCom, Tenant: "corp1", UserID: "ada"},
			{Platform: bot.Slack, Tenant: "T1", UserID: "U1"},
		},
	})

	got, err := s.Person(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, p, got)
	got, err = s.PersonByEmail(ctx, "ada@example.COM")
	require.NoError(t, err, "emails match in any case")
	require.Equal(t, p, got)
	got, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"})
	require.NoError(t, err)
	require.Equal(t, p, got)
	got, err = s.Person(ctx, boss.ID)
	require.NoError(t, err)
	require.Equal(t, boss, got, "a person without identities or roles reads back as saved")

	// Update, replacing the identities.
	p.Name = "Ada L."
	p.Roles = []bot.Role{bot.RoleHR}
	p.ManagerID = 0
	p.TeamID = 0
	p.Identities = []bot.Identity{{Platform: bot.DingTalk, Tenant: "org", UserID: "ada"}}
	id := p.ID
	require.NoError(t, s.SavePerson(ctx, &p))
	require.Equal(t, id, p.ID, "an update keeps the ID")
	got, err = s.Person(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, p, got)
	_, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"})
	require.ErrorIs(t, err, store.ErrNotFound, "a replaced identity is gone")
	got, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.DingTalk, Tenant: "org", UserID: "ada"})
	require.NoError(t, err)
	require.Equal(t, p.ID, got.ID)

	// Tenants scope user ids.
	_, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.DingTalk, Tenant: "other", UserID: "ada"})
	require.ErrorIs(t, err, store.ErrNotFound)

	_, err = s.Person(ctx, p.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.PersonByEmail(ctx, "nobody@example.com")
	require.ErrorIs(t, err, store.ErrNotFound)
	ghost := bot.Person{ID: p.ID + 1000, Name: "Ghost"}
	require.ErrorIs(t, s.SavePerson(ctx, &ghost), store.ErrNotFound, "updating a missing person")
}

func testPersonConflicts(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada", Email: "ada@example.com",
		Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}}})

	dup := bot.Person{Name: "Ada 2", Email: "ADA@example.com"}
	require.ErrorIs(t, s.SavePerson(ctx, &dup), store.ErrConflict, "an email, in any case, is one person's")
	require.Zero(t, dup.ID, "a failed insert sets no ID")

	taken := bot.Person{Name: "Bob", Email: "bob@example.com", Identities: []bot.Identity{
		{Platform: bot.WeCom, Tenant: "c", UserID: "bob"},
		{Platform: bot.Slack, Tenant: "T1", UserID: "U1"},
	}}
	require.ErrorIs(t, s.SavePerson(ctx, &taken), store.ErrConflict, "an identity is one person's")
	_, err := s.PersonByEmail(ctx, "bob@example.com")
	require.ErrorIs(t, err, store.ErrNotFound, "the failed save left nothing behind")
	_, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.WeCom, Tenant: "c", UserID: "bob"})
	require.ErrorIs(t, err, store.ErrNotFound, "the failed save left nothing behind")

	// A conflicting update keeps the person as it was.
	bob := savePerson(t, s, bot.Person{Name: "Bob", Email: "bob@example.com"})
	stale := bob
	stale.Identities = []bot.Identity{{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}}
	require.ErrorIs(t, s.SavePerson(ctx, &stale), store.ErrConflict)
	stale = bob
	stale.Email = "ada@example.com"
	require.ErrorIs(t, s.SavePerson(ctx, &stale), store.ErrConflict)
	got, err := s.Person(ctx, bob.ID)
	require.NoError(t, err)
	require.Equal(t, bob, got)
	got, err = s.PersonByIdentity(ctx, bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U1"})
	require.NoError(t, err)
	require.Equal(t, ada, got)

	// No email is no conflict.
	savePerson(t, s, bot.Person{Name: "Carol"})
	savePerson(t, s, bot.Person{Name: "Dave"})
}

func testPeopleFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	red, blue := saveTeam(t, s, "Red"), saveTeam(t, s, "Blue")
	boss := savePerson(t, s, bot.Person{Name: "Zed"})
	carol := savePerson(t, s, bot.Person{Name: "Carol", ManagerID: boss.ID, TeamID: red.ID,
		Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T", UserID: "carol"}}})
	alice := savePerson(t, s, bot.Person{Name: "Alice", ManagerID: boss.ID, TeamID: blue.ID})
	bob := savePerson(t, s, bot.Person{Name: "Bob", ManagerID: carol.ID, TeamID: red.ID,
		Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T", UserID: "bob"}, {Platform: bot.WeCom, Tenant: "C", UserID: "bob"}}})

	tests := []struct {
		name   string
		filter store.PeopleFilter
		want   []bot.Person
	}{
		{"all, by name", store.PeopleFilter{}, []bot.Person{alice, bob, carol, boss}},
		{"team", store.PeopleFilter{TeamID: red.ID}, []bot.Person{bob, carol}},
		{"manager", store.PeopleFilter{ManagerID: boss.ID}, []bot.Person{alice, carol}},
		{"team and manager", store.PeopleFilter{TeamID: red.ID, ManagerID: boss.ID}, []bot.Person{carol}},
		{"nobody", store.PeopleFilter{ManagerID: bob.ID}, nil},
	}
	for _, tt := range tests {
		got, err := s.People(ctx, tt.filter)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func testTeams(t *testing.T, s store.Store) {
	ctx := t.Context()
	sales := store.Team{
		Name: "Sales",
		Questions: []store.Question{
			{Key: store.QuestionDone, Text: map[string]string{bot.LocaleEN: "What got done?", bot.LocaleZH: "完成了什么？"}},
			{Key: "deals", Text: map[string]string{bot.LocaleEN: "Deals closed?"}},
		},
		NotifyManager: true,
		Channel: bot.Address{Identity: bot.Identity{Platform: bot.DingTalk, Tenant: "org"},
			Channel: "cid-sales"},
		ChannelPosts: store.ChannelFull,
		PraiseFeed:   true,
		Deadline:     "FRI 18:00",
		Cadence:      "0 16 * * FRI",
		Rules:        store.TeamRules{NudgeHours: "10:00-18:00", NudgeAfter: 4 * time.Hour, MaxNudges: new(0)},
	}
	require.NoError(t, s.SaveTeam(ctx, &sales))
	require.NotZero(t, sales.ID)
	ops := saveTeam(t, s, "Ops")

	got, err := s.Team(ctx, sales.ID)
	require.NoError(t, err)
	require.Equal(t, sales, got)
	got, err = s.TeamByName(ctx, "Ops")
	require.NoError(t, err)
	require.Equal(t, ops, got, "a team without questions or channel reads back as saved")

	require.Equal(t, store.ChannelSummary, ops.ChannelPosts, "a channel gets the summary unless told otherwise")

	sales.Questions = sales.Questions[:1]
	sales.NotifyManager = false
	sales.ChannelPosts = store.ChannelSummary
	sales.Channel = bot.Address{}
	require.NoError(t, s.SaveTeam(ctx, &sales))
	got, err = s.Team(ctx, sales.ID)
	require.NoError(t, err)
	require.Equal(t, sales, got)

	teams, err := s.Teams(ctx)
	require.NoError(t, err)
	require.Equal(t, []store.Team{ops, sales}, teams, "by name")

	dup := store.Team{Name: "Sales"}
	require.ErrorIs(t, s.SaveTeam(ctx, &dup), store.ErrConflict)
	ops.Name = "Sales"
	require.ErrorIs(t, s.SaveTeam(ctx, &ops), store.ErrConflict)

	_, err = s.Team(ctx, sales.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.TeamByName(ctx, "Nope")
	require.ErrorIs(t, err, store.ErrNotFound)
	missing := store.Team{ID: sales.ID + 1000, Name: "Missing"}
	require.ErrorIs(t, s.SaveTeam(ctx, &missing), store.ErrNotFound)

	member := savePerson(t, s, bot.Person{Name: "Member", TeamID: ops.ID})
	round, _, err := s.OpenRound(ctx, store.Round{PersonID: member.ID, TeamID: ops.ID, Period: "2026-W48"})
	require.NoError(t, err)
	require.NoError(t, s.DeleteTeam(ctx, ops.ID))
	_, err = s.Team(ctx, ops.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	got2, err := s.Person(ctx, member.ID)
	require.NoError(t, err)
	require.Zero(t, got2.TeamID, "a deleted team's members are left without one")
	kept, err := s.Round(ctx, store.System, round.ID)
	require.NoError(t, err, "its rounds are kept")
	require.Zero(t, kept.TeamID)
	require.ErrorIs(t, s.DeleteTeam(ctx, ops.ID), store.ErrNotFound)
	teams, err = s.Teams(ctx)
	require.NoError(t, err)
	require.Equal(t, []store.Team{sales}, teams)
}

func testGoals(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	deals := store.Goal{PersonID: ada.ID, Title: "Close deals", Target: 10}
	ship := store.Goal{PersonID: ada.ID, Title: "Ship v2"}
	other := store.Goal{PersonID: bob.ID, Title: "Hire"}
	for _, g := range []*store.Goal{&deals, &ship, &other} {
		require.NoError(t, s.SaveGoal(ctx, g))
		require.NotZero(t, g.ID)
	}
	deals.Progress = 3.5
	require.NoError(t, s.SaveGoal(ctx, &deals))

	goals, err := s.Goals(ctx, ada.ID)
	require.NoError(t, err)
	require.Equal(t, []store.Goal{deals, ship}, goals)
	goals, err = s.Goals(ctx, bob.ID+1000)
	require.NoError(t, err)
	require.Empty(t, goals)

	missing := store.Goal{ID: other.ID + 1000, PersonID: ada.ID, Title: "?"}
	require.ErrorIs(t, s.SaveGoal(ctx, &missing), store.ErrNotFound)
}

func testOpenRound(t *testing.T, s store.Store) {
	ctx := t.Context()
	team := saveTeam(t, s, "Red")
	ada := savePerson(t, s, bot.Person{Name: "Ada", TeamID: team.ID})

	r := openRound(t, s, store.Round{PersonID: ada.ID, TeamID: team.ID, Period: "2026-W10"})
	require.NotZero(t, r.ID)
	require.Equal(t, store.StatusPending, r.Status, "a new round is pending")
	require.Equal(t, int64(1), r.Version)
	require.Equal(t, team.ID, r.TeamID)
	require.False(t, r.OpenedAt.IsZero())
	require.Equal(t, time.UTC, r.OpenedAt.Location())
	require.Equal(t, r.OpenedAt, r.UpdatedAt)
	require.True(t, r.StartedAt.IsZero())

	again, created, err := s.OpenRound(ctx, store.Round{PersonID: ada.ID, Period: "2026-W10", Status: store.StatusSkipped})
	require.NoError(t, err)
	require.False(t, created, "the round exists")
	require.Equal(t, r, again, "the existing round, untouched")

	got, err := s.Round(ctx, store.System, r.ID)
	require.NoError(t, err)
	require.Equal(t, r, got)

	next := openRound(t, s, store.Round{PersonID: ada.ID, Period: "2026-W11", Status: store.StatusInProgress})
	require.NotEqual(t, r.ID, next.ID)
	require.Equal(t, store.StatusInProgress, next.Status, "a round opens with r's status when it has one")
}

func testOpenRoundConcurrent(t *testing.T, s store.Store) {
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	const n = 8
	var (
		wg      sync.WaitGroup
		rounds  [n]store.Round
		created [n]bool
		errs    [n]error
	)
	for i := range n {
		wg.Go(func() {
			rounds[i], created[i], errs[i] = s.OpenRound(t.Context(), store.Round{PersonID: ada.ID, Period: "2026-W10"})
		})
	}
	wg.Wait()
	creators := 0
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, rounds[0].ID, rounds[i].ID, "one round for one person and period")
		if created[i] {
			creators++
		}
	}
	require.Equal(t, 1, creators, "exactly one call creates the round")
}

func testSaveRound(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	boss := savePerson(t, s, bot.Person{Name: "Boss"})
	r := openRound(t, s, store.Round{PersonID: ada.ID, Period: "2026-W10"})
	stale := r

	shanghai := time.FixedZone("CST", 8*3600)
	started := time.Date(2026, 3, 2, 9, 30, 15, 123456789, shanghai)
	r.Status = store.StatusSubmitted
	r.Answers = []store.Answer{
		{Key: store.QuestionDone, Question: "What got done?", Text: "Shipped the importer"},
		{Key: store.QuestionBlockers, Question: "Blockers?", Text: "none"},
	}
	r.Goals = []store.GoalProgress{{GoalID: 7, Title: "Close deals", Value: 4.5}, {GoalID: 8, Title: "Hire", Skipped: true}}
	r.Mood = 4
	r.StartedAt = started
	r.SubmittedAt = started.Add(time.Hour)
	r.ReviewedBy = boss.ID
	r.ReviewedAt = started.Add(48 * time.Hour)
	require.NoError(t, s.SaveRound(ctx, &r))
	require.Equal(t, int64(2), r.Version)
	require.True(t, r.UpdatedAt.After(stale.UpdatedAt), "the save is timed by the clock")

	got, err := s.Round(ctx, store.System, r.ID)
	require.NoError(t, err)
	require.Equal(t, r, got, "SaveRound leaves r as stored")
	// Times come back in UTC, exact to the microsecond.
	require.Equal(t, time.Date(2026, 3, 2, 1, 30, 15, 123456000, time.UTC), got.StartedAt)
	require.Equal(t, time.UTC, got.StartedAt.Location())
	require.Equal(t, "Shipped the importer", got.Answer(store.QuestionDone))

	r.Mood = 5
	require.NoError(t, s.SaveRound(ctx, &r))
	require.Equal(t, int64(3), r.Version)

	staleMood := stale.Mood
	stale.Mood = 1
	err = s.SaveRound(ctx, &stale)
	require.ErrorIs(t, err, store.ErrConflict, "a round read before another save is stale")
	require.Equal(t, int64(1), stale.Version, "a refused save leaves r alone")
	got, err = s.Round(ctx, store.System, r.ID)
	require.NoError(t, err)
	require.Equal(t, r, got, "the stale save wrote nothing")
	require.NotEqual(t, staleMood, got.Mood)

	missing := store.Round{ID: r.ID + 1000, PersonID: ada.ID, Period: "2026-W10", Version: 1}
	require.ErrorIs(t, s.SaveRound(ctx, &missing), store.ErrConflict)
}

func testRoundsFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	red, blue := saveTeam(t, s, "Red"), saveTeam(t, s, "Blue")
	ada := savePerson(t, s, bot.Person{Name: "Ada", TeamID: red.ID})
	bob := savePerson(t, s, bot.Person{Name: "Bob", TeamID: blue.ID})
	open := func(p bot.Person, period string, st store.Status) store.Round {
		return openRound(t, s, store.Round{PersonID: p.ID, TeamID: p.TeamID, Period: period, Status: st})
	}
	// Opened out of order: Rounds orders by period, then person.
	b11 := open(bob, "2026-W11", store.StatusMissed)
	a10 := open(ada, "2026-W10", store.StatusSubmitted)
	a11 := open(ada, "2026-W11", store.StatusSubmitted)
	b09 := open(bob, "2026-W09", store.StatusSubmitted)
	a12 := open(ada, "2026-W12", store.StatusPending)

	tests := []struct {
		name   string
		filter store.RoundFilter
		want   []store.Round
	}{
		{"all", store.RoundFilter{}, []store.Round{b09, a10, a11, b11, a12}},
		{"person", store.RoundFilter{PersonID: ada.ID}, []store.Round{a10, a11, a12}},
		{"team", store.RoundFilter{TeamID: blue.ID}, []store.Round{b09, b11}},
		{"from", store.RoundFilter{FromPeriod: "2026-W11"}, []store.Round{a11, b11, a12}},
		{"to", store.RoundFilter{ToPeriod: "2026-W10"}, []store.Round{b09, a10}},
		{"range, inclusive", store.RoundFilter{FromPeriod: "2026-W10", ToPeriod: "2026-W11"}, []store.Round{a10, a11, b11}},
		{"status", store.RoundFilter{Status: store.StatusSubmitted}, []store.Round{b09, a10, a11}},
		{"all at once", store.RoundFilter{PersonID: ada.ID, TeamID: red.ID, FromPeriod: "2026-W11", Status: store.StatusSubmitted}, []store.Round{a11}},
		{"none", store.RoundFilter{PersonID: bob.ID, Status: store.StatusPending}, nil},
	}
	for _, tt := range tests {
		got, err := s.Rounds(ctx, store.System, tt.filter)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func testVisibility(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := func(name string, managerID int64, roles ...bot.Role) bot.Person {
		return savePerson(t, s, bot.Person{Name: name, ManagerID: managerID, Roles: roles})
	}
	ceo := p("CEO", 0, bot.RoleManager)
	lead := p("Lead", ceo.ID, bot.RoleManager)
	owner := p("Owner", lead.ID, bot.RoleManager)
	peer := p("Peer", lead.ID)
	report := p("Report", owner.ID)
	otherLead := p("Other lead", ceo.ID, bot.RoleManager)
	otherReport := p("Other report", otherLead.ID)
	hr := p("HR", 0, bot.RoleEmployee, bot.RoleHR)
	admin := p("Admin", otherReport.ID, bot.RoleAdmin)
	stranger := p("Stranger", 0)

	r := openRound(t, s, store.Round{PersonID: owner.ID, Period: "2026-W10"})
	peerRound := openRound(t, s, store.Round{PersonID: peer.ID, Period: "2026-W10"})
	reportRound := openRound(t, s, store.Round{PersonID: report.ID, Period: "2026-W10"})
	otherRound := openRound(t, s, store.Round{PersonID: otherReport.ID, Period: "2026-W10"})

	viewers := []struct {
		name string
		v    store.Viewer
		sees bool
	}{
		{"system", store.System, true},
		{"owner", store.Viewer(owner.ID), true},
		{"direct manager", store.Viewer(lead.ID), true},
		{"manager's manager", store.Viewer(ceo.ID), true},
		{"hr", store.Viewer(hr.ID), true},
		{"admin", store.Viewer(admin.ID), true},
		{"peer", store.Viewer(peer.ID), false},
		{"subordinate", store.Viewer(report.ID), false},
		{"unrelated manager", store.Viewer(otherLead.ID), false},
		{"unrelated person", store.Viewer(stranger.ID), false},
		{"no such person", store.Viewer(stranger.ID + 1000), false},
	}
	for _, vt := range viewers {
		got, err := s.Round(ctx, vt.v, r.ID)
		byPeriod, errByPeriod := s.RoundByPeriod(ctx, vt.v, owner.ID, "2026-W10")
		list, errList := s.Rounds(ctx, vt.v, store.RoundFilter{PersonID: owner.ID})
		require.NoError(t, errList, vt.name)
		if vt.sees {
			require.NoError(t, err, vt.name)
			require.Equal(t, r, got, vt.name)
			require.NoError(t, errByPeriod, vt.name)
			require.Equal(t, r, byPeriod, vt.name)
			require.Equal(t, []store.Round{r}, list, vt.name)
		} else {
			require.ErrorIs(t, err, store.ErrNotFound, vt.name)
			require.ErrorIs(t, errByPeriod, store.ErrNotFound, vt.name)
			require.Empty(t, list, vt.name)
		}
	}

	// Unfiltered lists hold exactly what each viewer may see.
	lists := []struct {
		name string
		v    store.Viewer
		want []store.Round
	}{
		{"ceo sees the whole tree", store.Viewer(ceo.ID), []store.Round{r, peerRound, reportRound, otherRound}},
		{"owner sees own and report's", store.Viewer(owner.ID), []store.Round{r, reportRound}},
		{"peer sees own", store.Viewer(peer.ID), []store.Round{peerRound}},
		{"unrelated manager sees their branch", store.Viewer(otherLead.ID), []store.Round{otherRound}},
		{"hr sees all", store.Viewer(hr.ID), []store.Round{r, peerRound, reportRound, otherRound}},
		{"stranger sees none", store.Viewer(stranger.ID), nil},
	}
	for _, lt := range lists {
		got, err := s.Rounds(ctx, lt.v, store.RoundFilter{})
		require.NoError(t, err, lt.name)
		require.ElementsMatch(t, lt.want, got, lt.name)
	}

	// A round that does not exist is as absent as one not visible.
	_, err := s.Round(ctx, store.System, otherRound.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.RoundByPeriod(ctx, store.System, owner.ID, "2026-W11")
	require.ErrorIs(t, err, store.ErrNotFound)
}

// A manager chain that loops must not hang the visibility query.
func testVisibilityManagerCycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := savePerson(t, s, bot.Person{Name: "A"})
	b := savePerson(t, s, bot.Person{Name: "B", ManagerID: a.ID})
	a.ManagerID = b.ID
	require.NoError(t, s.SavePerson(ctx, &a))
	c := savePerson(t, s, bot.Person{Name: "C"})
	ra := openRound(t, s, store.Round{PersonID: a.ID, Period: "2026-W10"})
	rb := openRound(t, s, store.Round{PersonID: b.ID, Period: "2026-W10"})
	openRound(t, s, store.Round{PersonID: c.ID, Period: "2026-W10"})

	got, err := s.Rounds(ctx, store.Viewer(a.ID), store.RoundFilter{})
	require.NoError(t, err)
	require.ElementsMatch(t, []store.Round{ra, rb}, got)
}

var errBoom = errors.New("boom")

func testInTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	var bob bot.Person
	err := s.InTx(ctx, func(tx store.Store) error {
		bob = savePerson(t, tx, bot.Person{Name: "Bob", Email: "bob@example.com"})
		got, err := tx.Person(ctx, bob.ID)
		require.NoError(t, err, "the transaction reads its own writes")
		require.Equal(t, bob, got)
		return tx.InTx(ctx, func(nested store.Store) error {
			openRound(t, nested, store.Round{PersonID: ada.ID, Period: "2026-W10"})
			require.NoError(t, nested.Audit(ctx, store.AuditEntry{Action: "test", Object: "person:1"}))
			return fmt.Errorf("after writing: %w", errBoom)
		})
	})
	require.ErrorIs(t, err, errBoom, "InTx returns fn's error")

	_, err = s.Person(ctx, bob.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "the person was rolled back")
	_, err = s.PersonByEmail(ctx, "bob@example.com")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.RoundByPeriod(ctx, store.System, ada.ID, "2026-W10")
	require.ErrorIs(t, err, store.ErrNotFound, "the nested InTx's round was rolled back")
	entries, err := s.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, entries)

	// The store still works, and the round can be opened for real.
	openRound(t, s, store.Round{PersonID: ada.ID, Period: "2026-W10"})
}

func testInTxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	var (
		team store.Team
		ada  bot.Person
		r    store.Round
	)
	err := s.InTx(ctx, func(tx store.Store) error {
		team = saveTeam(t, tx, "Red")
		ada = savePerson(t, tx, bot.Person{Name: "Ada", TeamID: team.ID})
		return tx.InTx(ctx, func(nested store.Store) error {
			r = openRound(t, nested, store.Round{PersonID: ada.ID, TeamID: team.ID, Period: "2026-W10"})
			r.Status = store.StatusInProgress
			return nested.SaveRound(ctx, &r)
		})
	})
	require.NoError(t, err)

	gotTeam, err := s.Team(ctx, team.ID)
	require.NoError(t, err)
	require.Equal(t, team, gotTeam)
	gotAda, err := s.Person(ctx, ada.ID)
	require.NoError(t, err)
	require.Equal(t, ada, gotAda)
	got, err := s.Round(ctx, store.System, r.ID)
	require.NoError(t, err)
	require.Equal(t, r, got)
	require.Equal(t, int64(2), got.Version)
}

func testAudit(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	add := func(e store.AuditEntry) {
		t.Helper()
		require.NoError(t, s.Audit(ctx, e))
	}
	add(store.AuditEntry{At: at, ActorID: ada.ID, Action: "checkin.start", Object: "round:1"})
	add(store.AuditEntry{At: at.Add(time.Minute), ActorID: ada.ID, Action: "checkin.submit", Object: "round:1", Detail: "4 answers"})
	add(store.AuditEntry{At: at.Add(2 * time.Minute), Actor: "cli", Action: "person.import", Object: "person:9"})
	add(store.AuditEntry{At: at.Add(3 * time.Minute), Actor: "system", Action: "checkin.remind", Object: "round:1"})
	// Without a time, the store's clock sets one.
	add(store.AuditEntry{Actor: "system", Action: "checkin.miss", Object: "round:2"})

	all, err := s.AuditLog(ctx, "round:1", 0)
	require.NoError(t, err)
	require.Len(t, all, 3)
	var actions []string
	for _, e := range all {
		require.NotZero(t, e.ID)
		require.Equal(t, "round:1", e.Object)
		actions = append(actions, e.Action)
	}
	require.Equal(t, []string{"checkin.remind", "checkin.submit", "checkin.start"}, actions, "newest first")
	submit := all[1]
	require.Equal(t, store.AuditEntry{ID: submit.ID, At: at.Add(time.Minute), ActorID: ada.ID,
		Action: "checkin.submit", Object: "round:1", Detail: "4 answers"}, submit)
	require.Equal(t, "system", all[0].Actor)
	require.Zero(t, all[0].ActorID)

	limited, err := s.AuditLog(ctx, "round:1", 2)
	require.NoError(t, err)
	require.Equal(t, all[:2], limited, "limit keeps the newest")

	miss, err := s.AuditLog(ctx, "round:2", 10)
	require.NoError(t, err)
	require.Len(t, miss, 1)
	require.False(t, miss[0].At.IsZero(), "the store times an entry without one")
	require.Equal(t, time.UTC, miss[0].At.Location())

	everything, err := s.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, everything, 5)

	none, err := s.AuditLog(ctx, "round:404", 10)
	require.NoError(t, err)
	require.Empty(t, none)
}

func testNoteUnknown(t *testing.T, s store.Store) {
	ctx := t.Context()
	stranger := bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U9"}
	other := bot.Identity{Platform: bot.WeCom, Tenant: "corp", UserID: "U9"}

	require.NoError(t, s.NoteUnknown(ctx, store.Unknown{Identity: stranger, Name: "Eve"}))
	first, err := s.Unknowns(ctx)
	require.NoError(t, err)
	require.Len(t, first, 1)
	require.Equal(t, stranger, first[0].Identity)
	require.Equal(t, "Eve", first[0].Name)
	require.Equal(t, 1, first[0].Count)
	require.False(t, first[0].FirstAt.IsZero())
	require.Equal(t, first[0].FirstAt, first[0].LastAt)

	// A note without a name keeps the one known; times and counts from
	// the caller do not matter.
	require.NoError(t, s.NoteUnknown(ctx, store.Unknown{Identity: stranger, Count: 100}))
	require.NoError(t, s.NoteUnknown(ctx, store.Unknown{Identity: other}))
	require.NoError(t, s.NoteUnknown(ctx, store.Unknown{Identity: stranger, Name: "Eve S."}))

	got, err := s.Unknowns(ctx)
	require.NoError(t, err)
	require.Len(t, got, 2)
	eve := got[0]
	require.Equal(t, stranger, eve.Identity, "the most recently heard first")
	require.Equal(t, "Eve S.", eve.Name)
	require.Equal(t, 3, eve.Count)
	require.Equal(t, first[0].FirstAt, eve.FirstAt, "first seen stays")
	require.True(t, eve.LastAt.After(first[0].LastAt), "last seen moves")
	require.Equal(t, other, got[1].Identity)
	require.Equal(t, 1, got[1].Count)
	require.True(t, eve.LastAt.After(got[1].LastAt))
}

func testMigrateTwice(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, s.Migrate(ctx))
	require.NoError(t, s.Migrate(ctx))
	got, err := s.Person(ctx, ada.ID)
	require.NoError(t, err, "migrating again keeps the data")
	require.Equal(t, ada, got)
}

func testMigrateConcurrent(t *testing.T, s store.Store) {
	const n = 8
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  [n]error
	)
	for i := range n {
		wg.Go(func() {
			<-start // all at once, so the migrations overlap
			errs[i] = s.Migrate(t.Context())
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	got, err := s.Person(t.Context(), ada.ID)
	require.NoError(t, err)
	require.Equal(t, ada, got)
}

func testRemindDue(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	at := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	a := openRound(t, s, store.Round{PersonID: ada.ID, Period: "2026-W48"})
	a.RemindAt = at
	require.NoError(t, s.SaveRound(ctx, &a))
	openRound(t, s, store.Round{PersonID: bob.ID, Period: "2026-W48"}) // no reminder

	got, err := s.Rounds(ctx, store.System, store.RoundFilter{RemindDue: at.Add(-time.Minute)})
	require.NoError(t, err)
	require.Empty(t, got, "not due yet")
	got, err = s.Rounds(ctx, store.System, store.RoundFilter{RemindDue: at})
	require.NoError(t, err)
	require.Equal(t, []store.Round{a}, got)
	require.Equal(t, at, got[0].RemindAt)

	a.RemindAt = time.Time{}
	require.NoError(t, s.SaveRound(ctx, &a))
	got, err = s.Rounds(ctx, store.System, store.RoundFilter{RemindDue: at.Add(time.Hour)})
	require.NoError(t, err)
	require.Empty(t, got, "a cleared reminder is not due")
}

func testVoiceNotes(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob", Roles: []bot.Role{bot.RoleHR}})
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	n := store.VoiceNote{
		PersonID: ada.ID, Identity: bot.Identity{Platform: bot.WeCom, Tenant: "ww1", UserID: "ada"},
		MediaID: "m-1", Format: "amr", Audio: []byte{0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a, 0x00, 0xff},
		Transcript: "本周完成了导入", ReceivedAt: at, Kind: store.VoiceCheckin,
	}
	require.NoError(t, s.SaveVoiceNote(ctx, &n))
	require.NotZero(t, n.ID)
	require.Equal(t, store.VoicePending, n.Status, "a new note waits to be transcribed")

	for _, v := range []store.Viewer{store.System, store.Viewer(ada.ID)} {
		got, err := s.VoiceNotes(ctx, v, ada.ID)
		require.NoError(t, err)
		require.Equal(t, []store.VoiceNote{n}, got)
		one, err := s.VoiceNote(ctx, v, n.ID)
		require.NoError(t, err)
		require.Equal(t, n, one)
	}
	got, err := s.VoiceNotes(ctx, store.Viewer(bob.ID), ada.ID)
	require.NoError(t, err)
	require.Empty(t, got, "nobody else hears someone's voice note, HR included")
	_, err = s.VoiceNote(ctx, store.Viewer(bob.ID), n.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.VoiceNote(ctx, store.System, n.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)

	// The zero time: no work counts as stalled. (The store's clock is the
	// caller's, so the suite assumes nothing about it.)
	var past time.Time
	waiting, err := s.VoiceNotesWaiting(ctx, past, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{n.ID}, waiting)

	// Two workers: one gets it.
	claimed, ok, err := s.ClaimVoiceNote(ctx, n.ID, past)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, store.VoiceWorking, claimed.Status)
	require.Equal(t, 1, claimed.Attempts)
	_, ok, err = s.ClaimVoiceNote(ctx, n.ID, past)
	require.NoError(t, err)
	require.False(t, ok, "taken")
	waiting, err = s.VoiceNotesWaiting(ctx, past, 10)
	require.NoError(t, err)
	require.Empty(t, waiting, "being worked on")
	// A worker that died leaves it stalled: it is waiting again once stale.
	future := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	waiting, err = s.VoiceNotesWaiting(ctx, future, 10)
	require.NoError(t, err)
	require.Equal(t, []int64{n.ID}, waiting)
	claimed, ok, err = s.ClaimVoiceNote(ctx, n.ID, future)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 2, claimed.Attempts)
	n = claimed

	n.Status = store.VoiceReady
	n.Summary = store.VoiceSummary{Done: "导入", Blockers: "等待密钥", Next: "报表"}
	require.NoError(t, s.SaveVoiceNote(ctx, &n))
	one, err := s.VoiceNote(ctx, store.System, n.ID)
	require.NoError(t, err)
	require.Equal(t, n, one)
	waiting, err = s.VoiceNotesWaiting(ctx, future, 10)
	require.NoError(t, err)
	require.Empty(t, waiting)

	ghost := store.VoiceNote{ID: n.ID + 1000, PersonID: ada.ID}
	require.ErrorIs(t, s.SaveVoiceNote(ctx, &ghost), store.ErrNotFound)

	// A confirmed note loses its audio; past retention, its words too.
	n.Status = store.VoiceConfirmed
	require.NoError(t, s.SaveVoiceNote(ctx, &n))
	changed, err := s.PurgeVoice(ctx, at.Add(-time.Hour), at.Add(-time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, changed)
	one, err = s.VoiceNote(ctx, store.System, n.ID)
	require.NoError(t, err)
	require.Nil(t, one.Audio)
	require.Equal(t, "本周完成了导入", one.Transcript)
	_, err = s.PurgeVoice(ctx, at.Add(-time.Hour), at.Add(time.Hour))
	require.NoError(t, err)
	one, err = s.VoiceNote(ctx, store.System, n.ID)
	require.NoError(t, err)
	require.Empty(t, one.Transcript)
	require.Equal(t, store.VoiceSummary{}, one.Summary)
	changed, err = s.PurgeVoice(ctx, at.Add(time.Hour), at.Add(time.Hour))
	require.NoError(t, err)
	require.Zero(t, changed, "nothing left to purge")
}

func testAway(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada", AwayUntil: "2026-12-01"})
	savePerson(t, s, bot.Person{Name: "Bob"})
	got, err := s.Person(ctx, ada.ID)
	require.NoError(t, err)
	require.Equal(t, "2026-12-01", got.AwayUntil)
	away, err := s.People(ctx, store.PeopleFilter{Away: true})
	require.NoError(t, err)
	require.Equal(t, []bot.Person{ada}, away)

	ok, err := s.ClearAway(ctx, ada.ID, "2026-11-30")
	require.NoError(t, err)
	require.False(t, ok, "not the absence it names")
	ok, err = s.ClearAway(ctx, ada.ID, "2026-12-01")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.ClearAway(ctx, ada.ID, "2026-12-01")
	require.NoError(t, err)
	require.False(t, ok, "ended once")
	away, err = s.People(ctx, store.PeopleFilter{Away: true})
	require.NoError(t, err)
	require.Empty(t, away)
}
