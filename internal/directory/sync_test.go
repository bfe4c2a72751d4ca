package directory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

const tenant = "T1"

func id(uid string) bot.Identity {
	return bot.Identity{Platform: bot.WeCom, Tenant: tenant, UserID: uid}
}

// active is an active member with a name.
func active(uid, name, email string) bot.Member {
	return bot.Member{Identity: id(uid), Name: name, Email: email, Active: true}
}

// listing is a platform directory that lists members, or fails with err.
type listing struct {
	platform bot.Platform
	members  []bot.Member
	err      error
}

func (l listing) Platform() bot.Platform { return l.platform }

func (l listing) Members(context.Context) ([]bot.Member, error) { return l.members, l.err }

// wecom lists members as a WeCom corp.
func wecom(members []bot.Member) listing { return listing{platform: bot.WeCom, members: members} }

func options(f *enginetest.Fixture) directory.Options {
	return directory.Options{Actor: "sync:wecom", DefaultLocale: "zh_CN", DefaultTimeZone: "Asia/Shanghai", Clock: f.Clock.Now}
}

// eachBackend runs test on the embedded store and on PostgreSQL.
func eachBackend(t *testing.T, test func(t *testing.T, f *enginetest.Fixture)) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, enginetest.New(t, b))
		})
	}
}

func person(t *testing.T, st store.Store, id int64) bot.Person {
	t.Helper()
	p, err := st.Person(context.Background(), id)
	require.NoError(t, err)
	return p
}

func TestSyncMatchesCreatesAndUpdates(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		byEmail := f.Add("anna", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleHR, bot.Identity{Platform: bot.Slack, Tenant: "S", UserID: "U1"})
		otherCorp := bot.Identity{Platform: bot.WeCom, Tenant: "T2", UserID: "ben"}
		byID := f.Add("ben", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, otherCorp, id("ben"))
		noEmail := bot.Person{Name: "carl", Locale: bot.LocaleEN, TimeZone: "UTC", Roles: []bot.Role{bot.RoleEmployee}, Identities: []bot.Identity{id("carl")}}
		require.NoError(t, f.Store.SavePerson(ctx, &noEmail))
		moved := f.Add("dora", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("dora-old"))
		gone := f.Add("gone", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("gone"))

		anna := active("anna", "Anna Schmidt", " ANNA@example.com ")
		anna.Department, anna.Locale, anna.TimeZone = "R&D", "zh-Hans-CN", "Asia/Shanghai"
		ben := active("ben", "Ben", "ben.new@example.com") // a new email: matched by identity
		ben.Locale, ben.TimeZone = "fr-FR", "Mars/Olympus" // not perfbot's: unsaid
		carl := active("carl", "carl", "Carl@Example.com")
		dora := active("dora-new", "dora", "dora@example.com") // a new user id replaces the old
		eve := active("eve", "陈晨", "eve@example.com")
		fay := active("fay", "Fay", "")
		fay.Locale, fay.TimeZone = "en-GB", "America/New_York"
		off := active("gone", "Gone", "gone@example.com")
		off.Active = false
		offNew := active("never", "Never", "never@example.com")
		offNew.Active = false
		members := []bot.Member{anna, ben, carl, dora, eve, fay, off, offNew}

		res, err := directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 2, Updated: 4, Skipped: 2}, res)

		got := person(t, f.Store, byEmail.ID)
		require.Equal(t, "Anna Schmidt", got.Name)
		require.Equal(t, "anna@example.com", got.Email)
		require.Equal(t, "R&D", got.Department)
		require.Equal(t, bot.LocaleZH, got.Locale)
		require.Equal(t, "Asia/Shanghai", got.TimeZone)
		require.Equal(t, []bot.Role{bot.RoleHR}, got.Roles, "roles are kept")
		require.ElementsMatch(t, []bot.Identity{{Platform: bot.Slack, Tenant: "S", UserID: "U1"}, id("anna")}, got.Identities,
			"identities on other platforms are kept")

		got = person(t, f.Store, byID.ID)
		require.Equal(t, "Ben", got.Name)
		require.Equal(t, "ben@example.com", got.Email, "an email perfbot has is kept")
		require.Equal(t, bot.LocaleEN, got.Locale, "an unknown locale is unsaid")
		require.Equal(t, "Europe/Berlin", got.TimeZone, "an unknown time zone is unsaid")
		require.ElementsMatch(t, []bot.Identity{otherCorp, id("ben")}, got.Identities, "identities in other tenants are kept")

		got = person(t, f.Store, noEmail.ID)
		require.Equal(t, "carl@example.com", got.Email, "a missing email is filled in")

		got = person(t, f.Store, moved.ID)
		require.Equal(t, []bot.Identity{id("dora-new")}, got.Identities)

		created, err := f.Store.PersonByIdentity(ctx, id("eve"))
		require.NoError(t, err)
		require.Equal(t, "陈晨", created.Name)
		require.Equal(t, "eve@example.com", created.Email)
		require.Equal(t, bot.LocaleZH, created.Locale, "the default locale, normalized")
		require.Equal(t, "Asia/Shanghai", created.TimeZone)
		require.Equal(t, []bot.Role{bot.RoleEmployee}, created.Roles)

		created, err = f.Store.PersonByIdentity(ctx, id("fay"))
		require.NoError(t, err)
		require.Equal(t, bot.LocaleEN, created.Locale, "the platform's locale wins over the default")
		require.Equal(t, "America/New_York", created.TimeZone)

		require.Equal(t, gone, person(t, f.Store, gone.ID), "inactive members are left as they are")
		_, err = f.Store.PersonByIdentity(ctx, id("never"))
		require.ErrorIs(t, err, store.ErrNotFound, "inactive members are not created")

		log, err := f.Store.AuditLog(ctx, fmt.Sprintf("person:%d", byEmail.ID), 0)
		require.NoError(t, err)
		require.Len(t, log, 1, "one entry per person")
		require.Equal(t, "sync:wecom", log[0].Actor)
		require.Equal(t, "org.sync", log[0].Action)
		require.True(t, enginetest.Start.Equal(log[0].At), "stamped by the clock")
		require.Equal(t, "updated from wecom user anna: name, department, locale zh-CN, time zone Asia/Shanghai, identity wecom:T1:anna", log[0].Detail)
		log, err = f.Store.AuditLog(ctx, fmt.Sprintf("person:%d", created.ID), 0)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "created from wecom user fay", log[0].Detail)

		// Again: nothing to do, and nothing audited.
		all, err := f.Store.AuditLog(ctx, "", 0)
		require.NoError(t, err)
		res, err = directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 6, Skipped: 2}, res)
		again, err := f.Store.AuditLog(ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, again, len(all))
	})
}

func TestSyncSetsManagersOnceEveryoneExists(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		hr := f.Add("wang", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleHR)
		// Li is listed before his manager Wang, who exists already; Anna
		// before Li, who is created.
		anna := active("anna", "Anna", "anna@example.com")
		anna.Manager = id("li")
		li := active("li", "Li", "li@example.com")
		li.Manager = id("wang")
		wang := active("wang", "Wang", "wang@example.com")
		wang.Manager = id("nobody") // not in the sync: left unset
		off := active("off", "Off", "off@example.com")
		off.Active, off.Manager = false, id("wang")
		members := []bot.Member{anna, li, wang, off}

		res, err := directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 2, Updated: 1, Skipped: 1}, res)

		w := person(t, f.Store, hr.ID)
		require.Zero(t, w.ManagerID)
		require.Equal(t, []bot.Role{bot.RoleHR, bot.RoleManager}, w.Roles, "a manager gets the role and keeps theirs")
		l, err := f.Store.PersonByIdentity(ctx, id("li"))
		require.NoError(t, err)
		require.Equal(t, hr.ID, l.ManagerID)
		require.Equal(t, []bot.Role{bot.RoleEmployee, bot.RoleManager}, l.Roles)
		a, err := f.Store.PersonByIdentity(ctx, id("anna"))
		require.NoError(t, err)
		require.Equal(t, l.ID, a.ManagerID)
		require.Equal(t, []bot.Role{bot.RoleEmployee}, a.Roles)

		log, err := f.Store.AuditLog(ctx, fmt.Sprintf("person:%d", l.ID), 0)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, "created from wecom user li, then role manager, manager", log[0].Detail)

		res, err = directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 3, Skipped: 1}, res, "a second sync changes nothing")
	})
}

func TestSyncRefusesManagementLoops(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		// In perfbot, P is managed by Q, who is not on the platform and is
		// managed by R.
		r := f.Add("r", bot.LocaleEN, "UTC", 0, bot.RoleManager, id("r"))
		q := f.Add("q", bot.LocaleEN, "UTC", r.ID, bot.RoleManager)
		p := f.Add("p", bot.LocaleEN, "UTC", q.ID, bot.RoleEmployee, id("p"))

		a := active("a", "A", "")
		a.Manager = id("b")
		b := active("b", "B", "")
		b.Manager = id("a")
		self := active("self", "Self", "")
		self.Manager = id("self")
		rm := active("r", "r", "")
		rm.Manager = id("p") // P is below R through Q
		members := []bot.Member{a, b, self, rm, active("p", "p", "")}

		res, err := directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 3, Unchanged: 2, Cycles: []string{"b", "self", "r"}}, res)

		pa, err := f.Store.PersonByIdentity(ctx, id("a"))
		require.NoError(t, err)
		pb, err := f.Store.PersonByIdentity(ctx, id("b"))
		require.NoError(t, err)
		require.Equal(t, pb.ID, pa.ManagerID, "the first of the loop is set")
		require.Zero(t, pb.ManagerID)
		require.Zero(t, person(t, f.Store, r.ID).ManagerID)
		require.Equal(t, q.ID, person(t, f.Store, p.ID).ManagerID)

		res, err = directory.Sync(ctx, f.Store, wecom(members), options(f))
		require.NoError(t, err)
		require.Equal(t, directory.Result{Unchanged: 5, Cycles: []string{"b", "self", "r"}}, res, "reported again, nothing changed")
	})
}

func TestSyncLeavesOutWhatItCannotPlace(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		anna := f.Add("anna", bot.LocaleEN, "UTC", 0, bot.RoleEmployee)
		ben := f.Add("ben", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("anna"))
		carl := f.Add("carl", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("carl"))

		members := []bot.Member{
			active("anna", "Anna", "anna@example.com"),        // Anna's email, Ben's identity
			active("carl", "Carl", ""),                        // no email, known identity
			active("carl2", "Carl Again", "CARL@example.com"), // Carl twice
			active("nomail", "No Mail", ""),
		}
		opt := options(f)
		opt.RequireEmail = true
		res, err := directory.Sync(ctx, f.Store, wecom(members), opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Updated: 1, Unplaced: []directory.Unplaced{
			{UserID: "anna", Reason: directory.IdentityTaken},
			{UserID: "carl2", Reason: directory.SamePerson},
			{UserID: "nomail", Reason: directory.NoEmail},
		}}, res)
		require.Equal(t, "skipped carl2: "+string(directory.SamePerson), res.Problems()[1])
		require.Equal(t, anna, person(t, f.Store, anna.ID))
		require.Equal(t, ben, person(t, f.Store, ben.ID))
		require.Equal(t, "Carl", person(t, f.Store, carl.ID).Name)

		opt.RequireEmail = false
		res, err = directory.Sync(ctx, f.Store, wecom(members[3:]), opt)
		require.NoError(t, err)
		require.Equal(t, directory.Result{Created: 1}, res, "without RequireEmail, created")
	})
}

func TestSyncNeedsAnActor(t *testing.T) {
	f := enginetest.New(t, enginetest.Embedded)
	_, err := directory.Sync(context.Background(), f.Store, listing{members: []bot.Member{active("a", "A", "")}}, directory.Options{})
	require.Error(t, err, "no actor and no platform to name one after")
}

// The audit names the platform's sync unless told otherwise.
func TestSyncActorIsThePlatform(t *testing.T) {
	ctx := context.Background()
	f := enginetest.New(t, enginetest.Embedded)
	opt := options(f)
	opt.Actor = ""
	res, err := directory.Sync(ctx, f.Store, listing{platform: bot.DingTalk, members: []bot.Member{active("a", "A", "a@example.com")}}, opt)
	require.NoError(t, err)
	require.Equal(t, directory.Result{Created: 1}, res)
	log, err := f.Store.AuditLog(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, "sync:dingtalk", log[0].Actor)
	require.True(t, f.Clock.Now().Equal(log[0].At), "the clock given")
}

// A directory that cannot be read changes nothing.
func TestSyncListingFails(t *testing.T) {
	ctx := context.Background()
	f := enginetest.New(t, enginetest.Embedded)
	res, err := directory.Sync(ctx, f.Store, listing{platform: bot.Slack, err: errBroken}, options(f))
	require.ErrorIs(t, err, errBroken)
	require.ErrorContains(t, err, "slack")
	require.Zero(t, res)
	people, err := f.Store.People(ctx, store.PeopleFilter{})
	require.NoError(t, err)
	require.Empty(t, people)
}

// errBroken is what a failing store returns.
var errBroken = errors.New("disk on fire")

// failing is a real store that fails one write: the Nth call of op.
type failing struct {
	store.Store
	op    string // "save" or "audit"
	n     int
	calls *int
}

func (f *failing) InTx(ctx context.Context, fn func(store.Store) error) error {
	return f.Store.InTx(ctx, func(tx store.Store) error {
		return fn(&failing{Store: tx, op: f.op, n: f.n, calls: f.calls})
	})
}

func (f *failing) fail(op string) bool {
	if op != f.op {
		return false
	}
	*f.calls++
	return *f.calls == f.n
}

func (f *failing) SavePerson(ctx context.Context, p *bot.Person) error {
	if f.fail("save") {
		return errBroken
	}
	return f.Store.SavePerson(ctx, p)
}

func (f *failing) Audit(ctx context.Context, e store.AuditEntry) error {
	if f.fail("audit") {
		return errBroken
	}
	return f.Store.Audit(ctx, e)
}

func TestSyncIsAllOrNothing(t *testing.T) {
	for _, fail := range []struct {
		op string
		n  int
	}{{"save", 1}, {"save", 3}, {"audit", 1}, {"audit", 3}} {
		t.Run(fmt.Sprintf("%s %d", fail.op, fail.n), func(t *testing.T) {
			eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
				ctx := context.Background()
				boss := f.Add("boss", bot.LocaleEN, "UTC", 0, bot.RoleEmployee)
				m1 := active("m1", "M1", "m1@example.com")
				m1.Manager = id("boss")
				m2 := active("m2", "M2", "m2@example.com")
				m2.Manager = id("boss")
				members := []bot.Member{m1, m2, active("boss", "Boss", "boss@example.com")}

				broken := &failing{Store: f.Store, op: fail.op, n: fail.n, calls: new(int)}
				res, err := directory.Sync(ctx, broken, wecom(members), options(f))
				require.ErrorIs(t, err, errBroken)
				require.Zero(t, res)
				require.Equal(t, fail.n, *broken.calls, "it stopped at the failure")

				people, err := f.Store.People(ctx, store.PeopleFilter{})
				require.NoError(t, err)
				require.Equal(t, []bot.Person{boss}, people, "nothing created or changed")
				log, err := f.Store.AuditLog(ctx, "", 0)
				require.NoError(t, err)
				require.Empty(t, log)

				res, err = directory.Sync(ctx, f.Store, wecom(members), options(f))
				require.NoError(t, err)
				require.Equal(t, directory.Result{Created: 2, Updated: 1}, res, "and a sync that works does it all")
			})
		})
	}
}

// Tool accounts a platform knows (a custom profile field named after the
// tool) are given to the person, replacing the one perfbot had on that
// tool; one that another person has is left where it is, and said.
func TestSyncFillsToolAccounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *enginetest.Fixture) {
		ctx := context.Background()
		anna := f.Add("anna", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("anna"), bot.ToolAccount(bot.GitHub, "anna-old"))
		ben := f.Add("ben", bot.LocaleEN, "UTC", 0, bot.RoleEmployee, id("ben"), bot.ToolAccount(bot.Jira, "557058:ben"))

		annaM := active("anna", "anna", "")
		annaM.Accounts = []bot.Identity{bot.ToolAccount(bot.GitHub, "Anna-GH"), bot.ToolAccount(bot.Jira, "557058:ben")}
		newM := active("cleo", "Cleo", "cleo@example.com")
		newM.Accounts = []bot.Identity{bot.ToolAccount(bot.GitLab, "cleo")}
		res, err := directory.Sync(ctx, f.Store, wecom([]bot.Member{annaM, newM}), options(f))
		require.NoError(t, err)
		require.Equal(t, []string{"jira:557058:ben of anna"}, res.AccountsTaken)
		require.Contains(t, res.Problems(), "account not set: jira:557058:ben of anna belongs to another person in perfbot")
		require.ElementsMatch(t, []bot.Identity{id("anna"), bot.ToolAccount(bot.GitHub, "anna-gh")}, person(t, f.Store, anna.ID).Identities)
		require.Equal(t, ben.Identities, person(t, f.Store, ben.ID).Identities)
		cleo, err := f.Store.PersonByIdentity(ctx, bot.ToolAccount(bot.GitLab, "cleo"))
		require.NoError(t, err)
		require.Equal(t, "cleo@example.com", cleo.Email)
	})
}
