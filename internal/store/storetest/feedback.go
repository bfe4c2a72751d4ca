package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

var feedbackTests = []suiteTest{
	{"FeedbackSave", testFeedbackSave},
	{"FeedbackVisibility", testFeedbackVisibility},
	{"FeedbackVisibilityManagerCycle", testFeedbackVisibilityManagerCycle},
	{"FeedbackFilters", testFeedbackFilters},
	{"FeedbackPoints", testFeedbackPoints},
	{"FeedbackRequests", testFeedbackRequests},
	{"FeedbackStats", testFeedbackStats},
	{"FeedbackTeamStats", testFeedbackTeamStats},
	{"FeedbackDedup", testFeedbackDedup},
	{"FeedbackRequestDedup", testFeedbackRequestDedup},
	{"FeedbackByRound", testFeedbackByRound},
	{"LastFeedback", testLastFeedback},
}

// feedbackAt is a fixed time the feedback tests build on.
var feedbackAt = time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)

func saveFeedback(t *testing.T, s store.Store, f store.Feedback) store.Feedback {
	t.Helper()
	require.NoError(t, s.SaveFeedback(t.Context(), &f))
	require.NotZero(t, f.ID)
	return f
}

func saveRequest(t *testing.T, s store.Store, r store.FeedbackRequest) store.FeedbackRequest {
	t.Helper()
	require.NoError(t, s.SaveFeedbackRequest(t.Context(), &r))
	require.NotZero(t, r.ID)
	return r
}

func testFeedbackSave(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	round := openRound(t, s, store.Round{PersonID: bob.ID, Period: "2025-W45"})
	req := saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, About: "the demo",
		CreatedAt: feedbackAt})

	shanghai := time.FixedZone("CST", 8*3600)
	sbi := saveFeedback(t, s, store.Feedback{
		Kind: store.FeedbackSBI, GiverID: ada.ID, RecipientID: bob.ID,
		Situation: "Friday's demo", Behavior: "You showed the import live", Impact: "Sales saw it work",
		Suggestion: "Show the errors too", RequestID: req.ID, RoundID: round.ID, Source: "deal_won: ACME",
		CreatedAt: time.Date(2025, 11, 3, 17, 0, 0, 123456789, shanghai),
	})
	got, err := s.Feedback(ctx, store.System, sbi.ID)
	require.NoError(t, err)
	require.Equal(t, sbi, got, "SaveFeedback leaves f as stored")
	require.Equal(t, time.Date(2025, 11, 3, 9, 0, 0, 123456000, time.UTC), got.CreatedAt, "in UTC, to the microsecond")

	// Without a time, the store's clock sets one.
	praise := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: bob.ID, RecipientID: ada.ID,
		Text: "Thanks for the review", Value: "ownership", Points: 5, Public: true})
	require.False(t, praise.CreatedAt.IsZero())
	require.Equal(t, time.UTC, praise.CreatedAt.Location())

	// The recipient reacts: an update keeps the ID.
	sbi.Reaction = store.ReactionTalk
	sbi.ReactedAt = feedbackAt.Add(time.Hour)
	id := sbi.ID
	require.NoError(t, s.SaveFeedback(ctx, &sbi))
	require.Equal(t, id, sbi.ID)
	got, err = s.Feedback(ctx, store.System, sbi.ID)
	require.NoError(t, err)
	require.Equal(t, sbi, got)

	ghost := store.Feedback{ID: praise.ID + 1000, Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bob.ID}
	require.ErrorIs(t, s.SaveFeedback(ctx, &ghost), store.ErrNotFound, "updating missing feedback")
	_, err = s.Feedback(ctx, store.System, praise.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)

	invalid := []struct {
		name string
		f    store.Feedback
	}{
		{"public SBI", store.Feedback{Kind: store.FeedbackSBI, Public: true}},
		{"SBI with points", store.Feedback{Kind: store.FeedbackSBI, Points: 1}},
		{"negative points", store.Feedback{Kind: store.FeedbackPraise, Points: -1}},
		{"no kind", store.Feedback{}},
	}
	for _, tt := range invalid {
		f := tt.f
		f.GiverID, f.RecipientID = ada.ID, bob.ID
		require.Error(t, s.SaveFeedback(ctx, &f), tt.name)
		require.Zero(t, f.ID, tt.name)
	}
	all, err := s.Feedbacks(ctx, store.System, store.FeedbackFilter{})
	require.NoError(t, err)
	require.Len(t, all, 2, "refused feedback left nothing behind")
}

func testFeedbackVisibility(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := func(name string, managerID int64, roles ...bot.Role) bot.Person {
		return savePerson(t, s, bot.Person{Name: name, ManagerID: managerID, Roles: roles})
	}
	skip := p("Skip", 0, bot.RoleManager)
	lead := p("Lead", skip.ID, bot.RoleManager)
	recipient := p("Recipient", lead.ID, bot.RoleManager)
	report := p("Report", recipient.ID)
	peer := p("Peer", lead.ID)
	giverLead := p("Giver's lead", 0, bot.RoleManager)
	giver := p("Giver", giverLead.ID)
	hr := p("HR", 0, bot.RoleEmployee, bot.RoleHR)
	admin := p("Admin", 0, bot.RoleAdmin)

	at := feedbackAt
	sbi := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: giver.ID, RecipientID: recipient.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: at})
	private := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: giver.ID, RecipientID: recipient.ID,
		Text: "quietly: thanks", Points: 3, CreatedAt: at.Add(time.Minute)})
	public := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: giver.ID, RecipientID: recipient.ID,
		Text: "thanks, everyone should know", Points: 2, Public: true, CreatedAt: at.Add(2 * time.Minute)})

	viewers := []struct {
		name string
		v    store.Viewer
		sees bool
	}{
		{"system", store.System, true},
		{"giver", store.Viewer(giver.ID), true},
		{"recipient", store.Viewer(recipient.ID), true},
		{"recipient's manager", store.Viewer(lead.ID), true},
		{"skip-level manager", store.Viewer(skip.ID), true},
		{"hr", store.Viewer(hr.ID), true},
		{"peer", store.Viewer(peer.ID), false},
		{"giver's own manager", store.Viewer(giverLead.ID), false},
		{"recipient's report", store.Viewer(report.ID), false},
		{"admin without hr", store.Viewer(admin.ID), false},
		{"no such person", store.Viewer(admin.ID + 1000), false},
	}
	for _, vt := range viewers {
		for _, f := range []store.Feedback{sbi, private} {
			got, err := s.Feedback(ctx, vt.v, f.ID)
			if vt.sees {
				require.NoError(t, err, vt.name)
				require.Equal(t, f, got, vt.name)
			} else {
				require.ErrorIs(t, err, store.ErrNotFound, vt.name)
			}
		}
		got, err := s.Feedback(ctx, vt.v, public.ID)
		require.NoError(t, err, "%s: public praise is everyone's", vt.name)
		require.Equal(t, public, got, vt.name)

		list, err := s.Feedbacks(ctx, vt.v, store.FeedbackFilter{RecipientID: recipient.ID})
		require.NoError(t, err, vt.name)
		if vt.sees {
			require.Equal(t, []store.Feedback{public, private, sbi}, list, "%s: newest first", vt.name)
		} else {
			require.Equal(t, []store.Feedback{public}, list, "%s: only the public praise", vt.name)
		}
	}

	// Unfiltered lists leave out what the viewer may not see, too.
	mine := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: recipient.ID, RecipientID: report.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: at.Add(3 * time.Minute)})
	lists := []struct {
		name string
		v    store.Viewer
		want []store.Feedback
	}{
		{"report sees what they received", store.Viewer(report.ID), []store.Feedback{mine, public}},
		{"peer sees the public praise", store.Viewer(peer.ID), []store.Feedback{public}},
		{"giver's manager sees the public praise", store.Viewer(giverLead.ID), []store.Feedback{public}},
		{"skip-level sees their whole tree", store.Viewer(skip.ID), []store.Feedback{mine, public, private, sbi}},
		{"giver sees what they gave", store.Viewer(giver.ID), []store.Feedback{public, private, sbi}},
	}
	for _, lt := range lists {
		got, err := s.Feedbacks(ctx, lt.v, store.FeedbackFilter{})
		require.NoError(t, err, lt.name)
		require.Equal(t, lt.want, got, lt.name)
	}
}

// A manager chain that loops must not hang the feedback query.
func testFeedbackVisibilityManagerCycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := savePerson(t, s, bot.Person{Name: "A"})
	b := savePerson(t, s, bot.Person{Name: "B", ManagerID: a.ID})
	a.ManagerID = b.ID
	require.NoError(t, s.SavePerson(ctx, &a))
	c := savePerson(t, s, bot.Person{Name: "C"})
	toA := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: c.ID, RecipientID: a.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: feedbackAt})
	toC := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: a.ID, RecipientID: c.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: feedbackAt.Add(time.Minute)})

	got, err := s.Feedbacks(ctx, store.Viewer(b.ID), store.FeedbackFilter{})
	require.NoError(t, err)
	require.Equal(t, []store.Feedback{toA}, got, "B manages A, through the loop")
	got, err = s.Feedbacks(ctx, store.Viewer(a.ID), store.FeedbackFilter{})
	require.NoError(t, err)
	require.Equal(t, []store.Feedback{toC, toA}, got)
}

func testFeedbackFilters(t *testing.T, s store.Store) {
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	f := func(kind store.FeedbackKind, giver, recipient bot.Person, public bool, at time.Time) store.Feedback {
		fb := store.Feedback{Kind: kind, GiverID: giver.ID, RecipientID: recipient.ID, Public: public, CreatedAt: at}
		if kind == store.FeedbackPraise {
			fb.Points = 1
		}
		return saveFeedback(t, s, fb)
	}
	// Saved out of order: lists are newest first.
	b2 := f(store.FeedbackSBI, ada, bob, false, feedbackAt.Add(2*time.Hour))
	a0 := f(store.FeedbackPraise, bob, ada, true, feedbackAt)
	a1 := f(store.FeedbackPraise, bob, ada, false, feedbackAt.Add(time.Hour))
	b3 := f(store.FeedbackPraise, ada, bob, true, feedbackAt.Add(3*time.Hour))

	tests := []struct {
		name   string
		filter store.FeedbackFilter
		want   []store.Feedback
	}{
		{"all", store.FeedbackFilter{}, []store.Feedback{b3, b2, a1, a0}},
		{"giver", store.FeedbackFilter{GiverID: ada.ID}, []store.Feedback{b3, b2}},
		{"recipient", store.FeedbackFilter{RecipientID: ada.ID}, []store.Feedback{a1, a0}},
		{"kind", store.FeedbackFilter{Kind: store.FeedbackSBI}, []store.Feedback{b2}},
		{"public only", store.FeedbackFilter{PublicOnly: true}, []store.Feedback{b3, a0}},
		{"from, inclusive", store.FeedbackFilter{From: feedbackAt.Add(time.Hour)}, []store.Feedback{b3, b2, a1}},
		{"to, exclusive", store.FeedbackFilter{To: feedbackAt.Add(time.Hour)}, []store.Feedback{a0}},
		{"limit keeps the newest", store.FeedbackFilter{Limit: 2}, []store.Feedback{b3, b2}},
		{"all at once", store.FeedbackFilter{GiverID: bob.ID, Kind: store.FeedbackPraise, From: feedbackAt,
			To: feedbackAt.Add(3 * time.Hour), PublicOnly: true}, []store.Feedback{a0}},
		{"none", store.FeedbackFilter{GiverID: ada.ID, RecipientID: ada.ID}, nil},
	}
	for _, tt := range tests {
		got, err := s.Feedbacks(t.Context(), store.System, tt.filter)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func testFeedbackPoints(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	cyd := savePerson(t, s, bot.Person{Name: "Cyd"})
	dee := savePerson(t, s, bot.Person{Name: "Dee"})
	nov := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	praise := func(giver, recipient bot.Person, points int, public bool, at time.Time) {
		saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: giver.ID, RecipientID: recipient.ID,
			Points: points, Public: public, CreatedAt: at})
	}
	praise(ada, bob, 5, true, nov)                         // the first instant of November
	praise(ada, cyd, 3, false, nov.Add(10*24*time.Hour))   // private: the points still count
	praise(ada, bob, 2, false, dec.Add(-time.Microsecond)) // the last instant of November
	praise(ada, cyd, 7, true, dec)                         // December
	praise(bob, cyd, 4, true, nov.Add(time.Hour))
	praise(dee, ada, 0, true, nov.Add(time.Hour)) // one-tap praise without points
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: ada.ID, RecipientID: dee.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: nov.Add(time.Hour)})

	given := []struct {
		name     string
		giver    bot.Person
		from, to time.Time
		want     int
	}{
		{"November", ada, nov, dec, 10},
		{"December", ada, dec, dec.AddDate(0, 1, 0), 7},
		{"both", ada, nov, dec.AddDate(0, 1, 0), 17},
		{"to is exclusive", ada, nov, nov.Add(time.Microsecond), 5},
		{"from is inclusive", ada, dec.Add(-time.Microsecond), dec, 2},
		{"before anything", ada, nov.AddDate(0, -1, 0), nov, 0},
		{"another giver", bob, nov, dec, 4},
		{"no points", dee, nov, dec, 0},
	}
	for _, tt := range given {
		got, err := s.PointsGiven(ctx, tt.giver.ID, tt.from, tt.to)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}

	row := func(p bot.Person, points int) store.PointsRow { return store.PointsRow{PersonID: p.ID, Points: points} }
	boards := []struct {
		name     string
		from, to time.Time
		limit    int
		want     []store.PointsRow
	}{
		// Private praise counts; a tie goes to the lower id (Bob was saved
		// before Cyd); praise without points gives no row.
		{"November", nov, dec, 0, []store.PointsRow{row(bob, 7), row(cyd, 7)}},
		{"both months: most first", nov, dec.AddDate(0, 1, 0), 10, []store.PointsRow{row(cyd, 14), row(bob, 7)}},
		{"limit", nov, dec.AddDate(0, 1, 0), 1, []store.PointsRow{row(cyd, 14)}},
		{"December", dec, dec.AddDate(0, 1, 0), 0, []store.PointsRow{row(cyd, 7)}},
		{"nothing", nov.AddDate(0, -1, 0), nov, 0, nil},
	}
	for _, tt := range boards {
		got, err := s.Leaderboard(ctx, tt.from, tt.to, tt.limit)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func testFeedbackRequests(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob", ManagerID: ada.ID})
	cyd := savePerson(t, s, bot.Person{Name: "Cyd"})
	hr := savePerson(t, s, bot.Person{Name: "HR", Roles: []bot.Role{bot.RoleHR}})

	// Saved out of order: lists are oldest first.
	declined := saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: cyd.ID, About: "on-call",
		CreatedAt: feedbackAt.Add(2 * time.Hour)})
	open := saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: cyd.ID, About: "the demo",
		CreatedAt: feedbackAt})
	answered := saveRequest(t, s, store.FeedbackRequest{RequesterID: cyd.ID, AskedID: bob.ID,
		CreatedAt: feedbackAt.Add(time.Hour)})
	for _, r := range []store.FeedbackRequest{declined, open, answered} {
		require.True(t, r.Open(), "a new request is open")
	}
	made := saveRequest(t, s, store.FeedbackRequest{About: "made now", RequesterID: ada.ID, AskedID: cyd.ID})
	require.False(t, made.CreatedAt.IsZero(), "the store's clock times a request without a time")

	fb := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: bob.ID, RecipientID: cyd.ID,
		Situation: "s", Behavior: "b", Impact: "i", RequestID: answered.ID, CreatedAt: feedbackAt.Add(3 * time.Hour)})
	answered.AnsweredAt, answered.FeedbackID = fb.CreatedAt, fb.ID
	require.NoError(t, s.SaveFeedbackRequest(ctx, &answered))
	declined.Declined = true
	require.NoError(t, s.SaveFeedbackRequest(ctx, &declined))
	require.False(t, answered.Open())
	require.False(t, declined.Open())

	got, err := s.FeedbackRequest(ctx, store.System, answered.ID)
	require.NoError(t, err)
	require.Equal(t, answered, got)

	filters := []struct {
		name   string
		filter store.RequestFilter
		want   []store.FeedbackRequest
	}{
		{"all", store.RequestFilter{}, []store.FeedbackRequest{open, answered, declined, made}},
		{"requester", store.RequestFilter{RequesterID: bob.ID}, []store.FeedbackRequest{open, declined}},
		{"asked", store.RequestFilter{AskedID: bob.ID}, []store.FeedbackRequest{answered}},
		{"open only", store.RequestFilter{OpenOnly: true}, []store.FeedbackRequest{open, made}},
		{"created before, exclusive", store.RequestFilter{CreatedBefore: feedbackAt.Add(time.Hour)},
			[]store.FeedbackRequest{open}},
		{"open, asked and old", store.RequestFilter{AskedID: cyd.ID, OpenOnly: true, CreatedBefore: feedbackAt.Add(time.Hour)},
			[]store.FeedbackRequest{open}},
		{"none", store.RequestFilter{RequesterID: hr.ID}, nil},
	}
	for _, tt := range filters {
		got, err := s.FeedbackRequests(ctx, store.System, tt.filter)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}

	// The requester, the asked person and hr see a request; not even the
	// requester's manager does.
	viewers := []struct {
		name string
		v    store.Viewer
		sees bool
	}{
		{"system", store.System, true},
		{"requester", store.Viewer(bob.ID), true},
		{"asked", store.Viewer(cyd.ID), true},
		{"hr", store.Viewer(hr.ID), true},
		{"requester's manager", store.Viewer(ada.ID), false},
	}
	for _, vt := range viewers {
		got, err := s.FeedbackRequest(ctx, vt.v, open.ID)
		list, errList := s.FeedbackRequests(ctx, vt.v, store.RequestFilter{RequesterID: bob.ID, AskedID: cyd.ID})
		require.NoError(t, errList, vt.name)
		if vt.sees {
			require.NoError(t, err, vt.name)
			require.Equal(t, open, got, vt.name)
			require.Equal(t, []store.FeedbackRequest{open, declined}, list, vt.name)
		} else {
			require.ErrorIs(t, err, store.ErrNotFound, vt.name)
			require.Empty(t, list, vt.name)
		}
	}
	mine, err := s.FeedbackRequests(ctx, store.Viewer(ada.ID), store.RequestFilter{})
	require.NoError(t, err)
	require.Equal(t, []store.FeedbackRequest{made}, mine, "an unfiltered list holds only what the viewer may see")

	_, err = s.FeedbackRequest(ctx, store.System, made.ID+1000)
	require.ErrorIs(t, err, store.ErrNotFound)
	ghost := store.FeedbackRequest{ID: made.ID + 1000, RequesterID: bob.ID, AskedID: cyd.ID}
	require.ErrorIs(t, s.SaveFeedbackRequest(ctx, &ghost), store.ErrNotFound)
}

func testFeedbackStats(t *testing.T, s store.Store) {
	ctx := t.Context()
	team := saveTeam(t, s, "Red")
	ada := savePerson(t, s, bot.Person{Name: "Ada", TeamID: team.ID})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	// The months lie in the past of any clock the suite runs with, so
	// "still open as of to" does not depend on it.
	nov := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	// Ada is asked five times in November, answering after 1 h, 3 h, 10 h
	// and 50 h (late); one request made in November is answered in
	// December, counted in November.
	for _, wait := range []time.Duration{3 * time.Hour, 50 * time.Hour, time.Hour, 10 * time.Hour} {
		created := nov.Add(24 * time.Hour)
		saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: created,
			AnsweredAt: created.Add(wait)})
	}
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: dec.Add(-time.Hour),
		AnsweredAt: dec.Add(time.Hour)})
	// In December: one still open 49 h before the end (late), one open 47 h
	// before it (not yet late), one declined long ago (never late).
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: jan.Add(-49 * time.Hour)})
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: jan.Add(-47 * time.Hour)})
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: dec, Declined: true})
	// Bob is asked once in December, answering after 2 h.
	saveRequest(t, s, store.FeedbackRequest{RequesterID: ada.ID, AskedID: bob.ID, CreatedAt: dec.Add(time.Hour),
		AnsweredAt: dec.Add(3 * time.Hour)})
	// Outside the range: neither counted.
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: nov.Add(-time.Hour)})
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: jan})

	give := func(giver, recipient bot.Person, kind store.FeedbackKind, at time.Time) {
		saveFeedback(t, s, store.Feedback{Kind: kind, GiverID: giver.ID, RecipientID: recipient.ID, CreatedAt: at})
	}
	give(ada, bob, store.FeedbackSBI, nov.Add(25*time.Hour))
	give(ada, bob, store.FeedbackPraise, nov.Add(26*time.Hour))
	give(bob, ada, store.FeedbackPraise, dec.Add(-time.Microsecond)) // November's last instant
	give(bob, ada, store.FeedbackPraise, dec)                        // December's first
	give(ada, bob, store.FeedbackSBI, jan)                           // outside

	got, err := s.FeedbackStats(ctx, store.System, nov, jan)
	require.NoError(t, err)
	want := []store.FeedbackStats{
		{PersonID: ada.ID, TeamID: team.ID, Month: "2025-11", FeedbackNumbers: store.FeedbackNumbers{Given: 2, Received: 1,
			Requests: 5, Answered: 5, AnsweredLate: 1, MedianAnswer: 3 * time.Hour}},
		{PersonID: bob.ID, Month: "2025-11", FeedbackNumbers: store.FeedbackNumbers{Given: 1, Received: 2}},
		{PersonID: ada.ID, TeamID: team.ID, Month: "2025-12", FeedbackNumbers: store.FeedbackNumbers{Received: 1,
			Requests: 3, OpenLate: 1}},
		{PersonID: bob.ID, Month: "2025-12", FeedbackNumbers: store.FeedbackNumbers{Given: 1, Requests: 1, Answered: 1,
			MedianAnswer: 2 * time.Hour}},
	}
	require.Equal(t, want, got.People, "by month, then person")
	require.Equal(t, []store.FeedbackTeamStats{
		{TeamID: team.ID, Month: "2025-11", FeedbackNumbers: want[0].FeedbackNumbers},
		{TeamID: team.ID, Month: "2025-12", FeedbackNumbers: want[2].FeedbackNumbers},
	}, got.Teams, "a team of one is its member; Bob is in no team")

	// An even number of answers: the median is the mean of the middle two.
	novOnly, err := s.FeedbackStats(ctx, store.System, nov, nov.Add(30*24*time.Hour-2*time.Hour))
	require.NoError(t, err)
	require.Len(t, novOnly.People, 2)
	require.Equal(t, 4, novOnly.People[0].Answered)
	require.Equal(t, 6*time.Hour+30*time.Minute, novOnly.People[0].MedianAnswer, "median of 1, 3, 10 and 50 hours")

	for _, v := range []store.Viewer{store.Viewer(ada.ID), store.Viewer(bob.ID)} {
		_, err := s.FeedbackStats(ctx, v, nov, jan)
		require.ErrorIs(t, err, store.ErrForbidden, "only perfbot itself reads statistics over everyone")
	}
	none, err := s.FeedbackStats(ctx, store.System, jan.AddDate(1, 0, 0), jan.AddDate(1, 1, 0))
	require.NoError(t, err)
	require.Empty(t, none.People)
	require.Empty(t, none.Teams)
}

// testFeedbackTeamStats checks that a team's numbers are taken over its
// members' requests: its median is not the median of their medians.
func testFeedbackTeamStats(t *testing.T, s store.Store) {
	ctx := t.Context()
	blue := saveTeam(t, s, "Blue")
	green := saveTeam(t, s, "Green")
	ann := savePerson(t, s, bot.Person{Name: "Ann", TeamID: blue.ID})
	ben := savePerson(t, s, bot.Person{Name: "Ben", TeamID: blue.ID})
	cat := savePerson(t, s, bot.Person{Name: "Cat", TeamID: blue.ID})
	gus := savePerson(t, s, bot.Person{Name: "Gus", TeamID: green.ID})
	// In the past of any clock the suite runs with, like testFeedbackStats.
	mar := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	apr := mar.AddDate(0, 1, 0)
	day := mar.Add(24 * time.Hour)

	ask := func(asked bot.Person, created time.Time, wait time.Duration) {
		r := store.FeedbackRequest{RequesterID: gus.ID, AskedID: asked.ID, CreatedAt: created}
		if wait > 0 {
			r.AnsweredAt = created.Add(wait)
		}
		saveRequest(t, s, r)
	}
	// Medians: Ann 2 h, Ben 10 h, Cat 100 h; their median is 10 h, but over
	// the team's five answers (1, 2, 3, 10, 100 h) it is 3 h.
	ask(ann, day, time.Hour)
	ask(ann, day, 2*time.Hour)
	ask(ann, day, 3*time.Hour)
	ask(ben, day, 10*time.Hour)
	ask(cat, day, 100*time.Hour) // answered late
	ask(cat, day, 0)             // open long after 48 hours: open late
	ask(ben, apr.Add(-47*time.Hour), 0)
	saveRequest(t, s, store.FeedbackRequest{RequesterID: gus.ID, AskedID: ann.ID, CreatedAt: day, Declined: true})

	give := func(giver, recipient bot.Person) {
		saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: giver.ID, RecipientID: recipient.ID,
			CreatedAt: day})
	}
	give(ann, ben) // inside the team: given and received by Blue
	give(cat, gus)
	give(gus, ann)
	give(gus, cat)

	got, err := s.FeedbackStats(ctx, store.System, mar, apr)
	require.NoError(t, err)
	byPerson := map[int64]store.FeedbackNumbers{}
	for _, p := range got.People {
		byPerson[p.PersonID] = p.FeedbackNumbers
	}
	require.Equal(t, 2*time.Hour, byPerson[ann.ID].MedianAnswer)
	require.Equal(t, 10*time.Hour, byPerson[ben.ID].MedianAnswer)
	require.Equal(t, 100*time.Hour, byPerson[cat.ID].MedianAnswer)
	require.Equal(t, []store.FeedbackTeamStats{
		{TeamID: blue.ID, Month: "2025-03", FeedbackNumbers: store.FeedbackNumbers{Given: 2, Received: 3,
			Requests: 8, Answered: 5, AnsweredLate: 1, OpenLate: 1, MedianAnswer: 3 * time.Hour}},
		{TeamID: green.ID, Month: "2025-03", FeedbackNumbers: store.FeedbackNumbers{Given: 2, Received: 1}},
	}, got.Teams)
}

// Saving feedback twice with one DedupKey, as a retried step does, keeps
// one record and hands both saves its id; inside a transaction too.
func testFeedbackDedup(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	praise := func(key, text string) store.Feedback {
		return store.Feedback{Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bob.ID, Points: 1,
			Text: text, DedupKey: key, CreatedAt: feedbackAt}
	}
	first := saveFeedback(t, s, praise("event:sim:1:0", "first"))
	require.Equal(t, "event:sim:1:0", first.DedupKey)
	again := praise("event:sim:1:0", "retried")
	require.NoError(t, s.InTx(ctx, func(tx store.Store) error { return tx.SaveFeedback(ctx, &again) }))
	require.Equal(t, first, again, "the second save reads back the first")
	other := saveFeedback(t, s, praise("event:sim:1:1", "second recipient"))
	require.NotEqual(t, first.ID, other.ID)
	plain1 := saveFeedback(t, s, praise("", "no key"))
	plain2 := saveFeedback(t, s, praise("", "no key"))
	require.NotEqual(t, plain1.ID, plain2.ID, "without a key every save inserts")

	all, err := s.Feedbacks(ctx, store.System, store.FeedbackFilter{GiverID: ada.ID})
	require.NoError(t, err)
	require.Len(t, all, 4)
	points, err := s.PointsGiven(ctx, ada.ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Equal(t, 4, points, "the retried praise spent no point")

	// An update keeps the key.
	first.Value = "ownership"
	require.NoError(t, s.SaveFeedback(ctx, &first))
	got, err := s.Feedback(ctx, store.System, first.ID)
	require.NoError(t, err)
	require.Equal(t, first, got)
}

// SaveFeedbackRequest dedups as SaveFeedback does.
func testFeedbackRequestDedup(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	round := openRound(t, s, store.Round{PersonID: ada.ID, Period: "2025-W45"})
	ask := func(key string) store.FeedbackRequest {
		return store.FeedbackRequest{RequesterID: ada.ID, AskedID: bob.ID, About: "my check-in", RoundID: round.ID,
			DedupKey: key, CreatedAt: feedbackAt}
	}
	first := saveRequest(t, s, ask("event:sim:2:request"))
	again := saveRequest(t, s, ask("event:sim:2:request"))
	require.Equal(t, first, again)
	other := saveRequest(t, s, ask("event:sim:3:request"))
	require.NotEqual(t, first.ID, other.ID)

	got, err := s.FeedbackRequests(ctx, store.System, store.RequestFilter{RequesterID: ada.ID})
	require.NoError(t, err)
	require.Equal(t, []store.FeedbackRequest{first, other}, got)
}

// Feedback and requests may be listed by the check-in they are about.
func testFeedbackByRound(t *testing.T, s store.Store) {
	ctx := t.Context()
	ada := savePerson(t, s, bot.Person{Name: "Ada"})
	bob := savePerson(t, s, bot.Person{Name: "Bob"})
	w45 := openRound(t, s, store.Round{PersonID: bob.ID, Period: "2025-W45"})
	w46 := openRound(t, s, store.Round{PersonID: bob.ID, Period: "2025-W46"})
	on45 := saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bob.ID,
		RoundID: w45.ID, CreatedAt: feedbackAt})
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bob.ID,
		RoundID: w46.ID, CreatedAt: feedbackAt})
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bob.ID,
		CreatedAt: feedbackAt})
	got, err := s.Feedbacks(ctx, store.Viewer(ada.ID), store.FeedbackFilter{GiverID: ada.ID, RoundID: w45.ID})
	require.NoError(t, err)
	require.Equal(t, []store.Feedback{on45}, got)

	req45 := saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, RoundID: w45.ID, CreatedAt: feedbackAt})
	saveRequest(t, s, store.FeedbackRequest{RequesterID: bob.ID, AskedID: ada.ID, CreatedAt: feedbackAt})
	reqs, err := s.FeedbackRequests(ctx, store.Viewer(bob.ID), store.RequestFilter{RequesterID: bob.ID, RoundID: w45.ID})
	require.NoError(t, err)
	require.Equal(t, []store.FeedbackRequest{req45}, reqs)
}

// testLastFeedback: when each person last received feedback the viewer
// may see, in one read; who never did is left out.
func testLastFeedback(t *testing.T, s store.Store) {
	ctx := t.Context()
	lead := savePerson(t, s, bot.Person{Name: "Lead"})
	ada := savePerson(t, s, bot.Person{Name: "Ada", ManagerID: lead.ID})
	bo := savePerson(t, s, bot.Person{Name: "Bo", ManagerID: lead.ID})
	cy := savePerson(t, s, bot.Person{Name: "Cy", ManagerID: lead.ID})
	peer := savePerson(t, s, bot.Person{Name: "Peer"})
	hr := savePerson(t, s, bot.Person{Name: "HR", Roles: []bot.Role{bot.RoleHR}})
	day := 24 * time.Hour
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: bo.ID, RecipientID: ada.ID, Text: "thanks",
		Points: 1, Public: true, CreatedAt: feedbackAt})
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackSBI, GiverID: lead.ID, RecipientID: ada.ID,
		Situation: "s", Behavior: "b", Impact: "i", CreatedAt: feedbackAt.Add(3 * day)})
	saveFeedback(t, s, store.Feedback{Kind: store.FeedbackPraise, GiverID: ada.ID, RecipientID: bo.ID, Text: "well done",
		Public: true, CreatedAt: feedbackAt.Add(day)})
	ids := []int64{ada.ID, bo.ID, cy.ID}

	got, err := s.LastFeedback(ctx, store.Viewer(lead.ID), ids)
	require.NoError(t, err)
	want := map[int64]time.Time{ada.ID: feedbackAt.Add(3 * day), bo.ID: feedbackAt.Add(day)}
	require.Equal(t, want, got, "the newest of praise and SBI; Cy never had any")
	for _, v := range []store.Viewer{store.System, store.Viewer(hr.ID)} {
		got, err = s.LastFeedback(ctx, v, append(ids, ada.ID))
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	got, err = s.LastFeedback(ctx, store.Viewer(peer.ID), ids)
	require.NoError(t, err)
	require.Equal(t, map[int64]time.Time{ada.ID: feedbackAt, bo.ID: feedbackAt.Add(day)}, got,
		"a peer sees the public praise, not the SBI feedback")
	got, err = s.LastFeedback(ctx, store.System, nil)
	require.NoError(t, err)
	require.Empty(t, got)
}
