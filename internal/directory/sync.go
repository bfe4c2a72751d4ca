package directory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Sync lists from's members and brings the people in st in line with them,
// in one transaction (see the package documentation for the rules). On an
// error nothing is written and the Result is zero.
func Sync(ctx context.Context, st store.Store, from Source, opt Options) (Result, error) {
	if opt.Actor == "" && from.Platform() != "" {
		opt.Actor = "sync:" + string(from.Platform())
	}
	if opt.Actor == "" {
		return Result{}, errors.New("directory: sync: no Options.Actor, and the source names no platform")
	}
	members, err := from.Members(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("directory: sync: list the %s directory: %w", from.Platform(), err)
	}
	opt.DefaultLocale = cmp.Or(i18n.Normalize(opt.DefaultLocale), bot.LocaleEN)
	opt.DefaultTimeZone = cmp.Or(validZone(opt.DefaultTimeZone), "UTC")
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	var res Result
	err = st.InTx(ctx, func(tx store.Store) error {
		s := &syncer{tx: tx, opt: opt, byIdentity: map[bot.Identity]*entry{}, byPerson: map[int64]*entry{}}
		for _, m := range members {
			if err := s.place(ctx, m); err != nil {
				return err
			}
		}
		// Managers only now: a manager may be listed after the people they
		// manage, and needs an id.
		for _, e := range s.entries {
			if err := s.manage(ctx, e); err != nil {
				return err
			}
		}
		if err := s.save(ctx); err != nil {
			return err
		}
		res = s.res
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// syncer is one sync in progress, inside its transaction.
type syncer struct {
	tx         store.Store
	opt        Options
	res        Result
	entries    []*entry // in the members' order, so writes are stable
	byIdentity map[bot.Identity]*entry
	byPerson   map[int64]*entry
}

// entry is a member placed on a person, and how the sync changed them.
type entry struct {
	member  bot.Member
	person  bot.Person
	created bool
	changes []string // what changed, for the audit log
}

func (e *entry) change(what string) { e.changes = append(e.changes, what) }

// place finds or creates m's person and applies m to it. A new person is
// saved at once, so managers can point at them; changes to the others are
// saved by save.
func (s *syncer) place(ctx context.Context, m bot.Member) error {
	if m.Identity.UserID == "" {
		return fmt.Errorf("directory: sync: member %q has no identity", m.Name)
	}
	if !m.Active {
		s.res.Skipped++
		return nil
	}
	if s.byIdentity[m.Identity] != nil {
		s.unplaced(m, SamePerson)
		return nil
	}
	email := strings.ToLower(strings.TrimSpace(m.Email))
	p, found, err := s.find(ctx, email, m.Identity)
	if err != nil {
		return err
	}
	e := &entry{member: m, person: p, created: !found}
	switch {
	case found && s.byPerson[p.ID] != nil:
		s.unplaced(m, SamePerson)
		return nil
	case found:
		taken, err := s.identityTaken(ctx, m.Identity, p.ID)
		if err != nil {
			return err
		}
		if taken {
			s.unplaced(m, IdentityTaken)
			return nil
		}
	case email == "" && s.opt.RequireEmail:
		s.unplaced(m, NoEmail)
		return nil
	default:
		e.person = bot.Person{
			Email: email, Locale: s.opt.DefaultLocale, TimeZone: s.opt.DefaultTimeZone,
			Roles: []bot.Role{bot.RoleEmployee},
		}
	}
	if e.member.Accounts, err = s.freeAccounts(ctx, m, e.person.ID); err != nil {
		return err
	}
	apply(e, email)
	if e.created {
		if err := s.tx.SavePerson(ctx, &e.person); err != nil {
			return fmt.Errorf("directory: sync: create %s: %w", m.Identity, err)
		}
		e.changes = nil // "created" says it all
	}
	s.entries = append(s.entries, e)
	s.byIdentity[m.Identity] = e
	s.byPerson[e.person.ID] = e
	return nil
}

func (s *syncer) unplaced(m bot.Member, why Reason) {
	s.res.Unplaced = append(s.res.Unplaced, Unplaced{UserID: m.Identity.UserID, Reason: why})
}

// find returns the person with email, else the one with id; found is false
// when there is neither.
func (s *syncer) find(ctx context.Context, email string, id bot.Identity) (p bot.Person, found bool, err error) {
	if email != "" {
		p, err = s.tx.PersonByEmail(ctx, email)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return p, err == nil, wrapFind(id, err)
		}
	}
	p, err = s.tx.PersonByIdentity(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return bot.Person{}, false, nil
	}
	return p, err == nil, wrapFind(id, err)
}

func wrapFind(id bot.Identity, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("directory: sync: find %s: %w", id, err)
}

// freeAccounts are m's tool accounts that nobody but person (0 for one
// not yet saved) has; the others are noted in the result.
func (s *syncer) freeAccounts(ctx context.Context, m bot.Member, person int64) ([]bot.Identity, error) {
	var free []bot.Identity
	for _, acc := range m.Accounts {
		if acc.UserID == "" {
			continue
		}
		taken, err := s.identityTaken(ctx, acc, person)
		if err != nil {
			return nil, err
		}
		if taken {
			s.res.AccountsTaken = append(s.res.AccountsTaken, string(acc.Platform)+":"+acc.UserID+" of "+m.Identity.UserID)
			continue
		}
		free = append(free, acc)
	}
	return free, nil
}

// identityTaken reports whether someone other than person has id.
func (s *syncer) identityTaken(ctx context.Context, id bot.Identity, person int64) (bool, error) {
	owner, err := s.tx.PersonByIdentity(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, wrapFind(id, err)
	}
	return owner.ID != person, nil
}

// apply makes e's person say what the platform says about them.
func apply(e *entry, email string) {
	m, p := e.member, &e.person
	if m.Name != "" && p.Name != m.Name {
		p.Name = m.Name
		e.change("name")
	}
	if email != "" && p.Email == "" {
		// Only filled in: an email perfbot has is how imports match people.
		p.Email = email
		e.change("email")
	}
	if m.Department != "" && p.Department != m.Department {
		p.Department = m.Department
		e.change("department")
	}
	// A platform's language and time zone are the person's own settings and
	// follow them when they travel or switch, so they win over an import.
	if l := i18n.Normalize(m.Locale); l != "" && p.Locale != l {
		p.Locale = l
		e.change("locale " + l)
	}
	if z := validZone(m.TimeZone); z != "" && p.TimeZone != z {
		p.TimeZone = z
		e.change("time zone " + z)
	}
	if !slices.Contains(p.Identities, m.Identity) {
		// One identity per platform tenant: a new user id replaces the old.
		p.Identities = slices.DeleteFunc(p.Identities, func(i bot.Identity) bool {
			return i.Platform == m.Identity.Platform && i.Tenant == m.Identity.Tenant
		})
		p.Identities = append(p.Identities, m.Identity)
		e.change("identity " + m.Identity.String())
	}
	// A tool account the platform knows replaces the one perfbot has on
	// that tool: the platform's profile is where people keep it current.
	for _, acc := range m.Accounts {
		if slices.Contains(p.Identities, acc) {
			continue
		}
		p.Identities = slices.DeleteFunc(p.Identities, func(i bot.Identity) bool { return i.Platform == acc.Platform })
		p.Identities = append(p.Identities, acc)
		e.change("account " + string(acc.Platform) + ":" + acc.UserID)
	}
}

// manage makes e's platform manager their manager, unless that closes a
// loop, and gives the manager the manager role.
func (s *syncer) manage(ctx context.Context, e *entry) error {
	if e.member.Manager.IsZero() {
		return nil
	}
	boss := s.byIdentity[e.member.Manager]
	if boss == nil {
		return nil // not in this sync: inactive, unplaced or unknown
	}
	if e.person.ManagerID != boss.person.ID {
		loop, err := s.above(ctx, e.person.ID, boss)
		if err != nil {
			return err
		}
		if loop {
			s.res.Cycles = append(s.res.Cycles, e.member.Identity.UserID)
			return nil
		}
		e.person.ManagerID = boss.person.ID
		e.change("manager")
	}
	if !boss.person.Has(bot.RoleManager) {
		boss.person.Roles = append(boss.person.Roles, bot.RoleManager)
		boss.change("role manager")
	}
	return nil
}

// above reports whether person id is boss or above boss in the management
// chain as it stands in this sync: people of the sync as changed so far,
// others as stored.
func (s *syncer) above(ctx context.Context, id int64, boss *entry) (bool, error) {
	seen := map[int64]bool{}
	for at := boss.person; ; {
		if at.ID == id {
			return true, nil
		}
		if at.ManagerID == 0 || seen[at.ID] {
			return false, nil // the top, or a loop perfbot already had
		}
		seen[at.ID] = true
		if e := s.byPerson[at.ManagerID]; e != nil {
			at = e.person
			continue
		}
		next, err := s.tx.Person(ctx, at.ManagerID)
		if err != nil {
			return false, fmt.Errorf("directory: sync: read the management chain: %w", err)
		}
		at = next
	}
}

// save writes every person changed since place, and audits every person
// created or changed, once each.
func (s *syncer) save(ctx context.Context) error {
	for _, e := range s.entries {
		platform, uid := e.member.Identity.Platform, e.member.Identity.UserID
		var detail string
		switch {
		case e.created:
			s.res.Created++
			detail = fmt.Sprintf("created from %s user %s", platform, uid)
			if len(e.changes) > 0 {
				detail += ", then " + strings.Join(e.changes, ", ")
			}
		case len(e.changes) > 0:
			s.res.Updated++
			detail = fmt.Sprintf("updated from %s user %s: %s", platform, uid, strings.Join(e.changes, ", "))
		default:
			s.res.Unchanged++
			continue
		}
		if len(e.changes) > 0 {
			if err := s.tx.SavePerson(ctx, &e.person); err != nil {
				return fmt.Errorf("directory: sync: update %s: %w", e.member.Identity, err)
			}
		}
		err := s.tx.Audit(ctx, store.AuditEntry{
			At: s.opt.Clock(), Actor: s.opt.Actor, Action: "org.sync",
			Object: fmt.Sprintf("person:%d", e.person.ID), Detail: detail,
		})
		if err != nil {
			return fmt.Errorf("directory: sync: audit %s: %w", e.member.Identity, err)
		}
	}
	return nil
}

// validZone returns tz if it names an IANA time zone, else "".
func validZone(tz string) string {
	if tz == "" || tz == "Local" {
		return ""
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return ""
	}
	return tz
}
