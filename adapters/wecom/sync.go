package wecom

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

// SyncOptions configure a directory sync.
type SyncOptions struct {
	// DefaultLocale and DefaultTimeZone are given to people the sync
	// creates: WeCom tells neither.
	DefaultLocale   string
	DefaultTimeZone string
	Clock           func() time.Time
}

// SyncResult counts what a sync did.
type SyncResult struct {
	Created   int
	Updated   int
	Unchanged int
	Skipped   int // members disabled or gone from the corp
	// Cycles lists members whose direct leader was not set because it
	// would make someone their own manager.
	Cycles []string
}

// syncActor is who the audit log says changed people.
const syncActor = "sync:wecom"

// SyncDirectory reads the directory and brings perfbot's people in line
// with it (see Sync).
func (a *Adapter) SyncDirectory(ctx context.Context, st store.Store, opt SyncOptions) (SyncResult, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	if opt.Clock == nil {
		opt.Clock = a.now
	}
	return Sync(ctx, st, a.cfg.CorpID, dir, opt)
}

// Sync upserts dir's members as people of corp in one transaction. A
// member is matched by email, then by their WeCom identity, else created
// (as an employee, in opt's locale and time zone). Their name, main
// department and WeCom identity follow WeCom; their direct leader becomes
// their manager, once everyone exists, and gets the manager role. Nobody
// is deleted. Each change is audited.
func Sync(ctx context.Context, st store.Store, corp string, dir Directory, opt SyncOptions) (SyncResult, error) {
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	var res SyncResult
	err := st.InTx(ctx, func(tx store.Store) error {
		res = SyncResult{}
		s := &syncer{tx: tx, corp: corp, opt: opt, now: opt.Clock(), res: &res,
			people: map[string]*bot.Person{}, changes: map[int64][]string{}, created: map[int64]bool{}}
		for _, m := range dir.Members {
			if m.Status == statusDisabled || m.Status == statusLeft {
				res.Skipped++
				continue
			}
			if err := s.member(ctx, m, dir.department(m.MainDepartment)); err != nil {
				return err
			}
		}
		for _, m := range dir.Members {
			if err := s.manager(ctx, m); err != nil {
				return err
			}
		}
		return s.save(ctx)
	})
	return res, err
}

// syncer is one sync in progress.
type syncer struct {
	tx      store.Store
	corp    string
	opt     SyncOptions
	now     time.Time
	res     *SyncResult
	people  map[string]*bot.Person // by userid
	order   []string               // userids as first met, for stable writes
	changes map[int64][]string     // person id -> what changed
	created map[int64]bool         // people this sync created
}

// member finds or creates m's person and brings it in line (unsaved yet,
// except a new person, who needs an id for managers).
func (s *syncer) member(ctx context.Context, m Member, department string) error {
	id := bot.Identity{Platform: bot.WeCom, Tenant: s.corp, UserID: m.UserID}
	email := strings.ToLower(strings.TrimSpace(m.Email))
	if email == "" {
		email = strings.ToLower(strings.TrimSpace(m.BizMail))
	}
	p, err := s.find(ctx, email, id)
	if err != nil {
		return err
	}
	if p == nil {
		p = &bot.Person{
			Name: m.Name, Email: email, Locale: cmp.Or(i18n.Normalize(s.opt.DefaultLocale), bot.LocaleEN),
			TimeZone: cmp.Or(s.opt.DefaultTimeZone, "UTC"), Roles: []bot.Role{bot.RoleEmployee},
			Department: department, Identities: []bot.Identity{id},
		}
		if err := s.tx.SavePerson(ctx, p); err != nil {
			return fmt.Errorf("wecom sync: create %s: %w", m.UserID, err)
		}
		s.res.Created++
		s.created[p.ID] = true
		s.people[m.UserID] = p
		s.order = append(s.order, m.UserID)
		return s.audit(ctx, p.ID, "created from WeCom "+m.UserID)
	}
	var changed []string
	if m.Name != "" && p.Name != m.Name {
		p.Name, changed = m.Name, append(changed, "name")
	}
	if email != "" && p.Email == "" {
		p.Email, changed = email, append(changed, "email")
	}
	if department != "" && p.Department != department {
		p.Department, changed = department, append(changed, "department")
	}
	if !slices.Contains(p.Identities, id) {
		// One WeCom identity per corp: a new userid replaces the old one.
		p.Identities = slices.DeleteFunc(p.Identities, func(i bot.Identity) bool {
			return i.Platform == bot.WeCom && i.Tenant == s.corp
		})
		p.Identities, changed = append(p.Identities, id), append(changed, "identity")
	}
	s.people[m.UserID] = p
	s.order = append(s.order, m.UserID)
	s.changes[p.ID] = append(s.changes[p.ID], changed...)
	return nil
}

// find returns the person with email, else the one with id, else nil.
func (s *syncer) find(ctx context.Context, email string, id bot.Identity) (*bot.Person, error) {
	if email != "" {
		p, err := s.tx.PersonByEmail(ctx, email)
		if err == nil {
			return &p, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("wecom sync: find %s: %w", email, err)
		}
	}
	p, err := s.tx.PersonByIdentity(ctx, id)
	switch {
	case err == nil:
		return &p, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, nil
	}
	return nil, fmt.Errorf("wecom sync: find %s: %w", id.UserID, err)
}

// manager makes m's first direct leader their manager, unless that would
// close a loop, and gives the leader the manager role.
func (s *syncer) manager(ctx context.Context, m Member) error {
	p, ok := s.people[m.UserID]
	if !ok || len(m.DirectLeader) == 0 {
		return nil
	}
	leader, ok := s.people[m.DirectLeader[0]]
	if !ok || leader.ID == p.ID || p.ManagerID == leader.ID {
		return nil
	}
	loop, err := s.manages(ctx, p.ID, leader)
	if err != nil {
		return err
	}
	if loop {
		s.res.Cycles = append(s.res.Cycles, m.UserID)
		return nil
	}
	p.ManagerID = leader.ID
	s.changes[p.ID] = append(s.changes[p.ID], "manager")
	if !leader.Has(bot.RoleManager) {
		leader.Roles = append(leader.Roles, bot.RoleManager)
		s.changes[leader.ID] = append(s.changes[leader.ID], "roles")
	}
	return nil
}

// manages reports whether person id is above p in the management chain as
// it stands in this sync.
func (s *syncer) manages(ctx context.Context, id int64, p *bot.Person) (bool, error) {
	byID := map[int64]*bot.Person{}
	for _, q := range s.people {
		byID[q.ID] = q
	}
	for next, hops := p.ManagerID, 0; next != 0 && hops < 10000; hops++ {
		if next == id {
			return true, nil
		}
		q, ok := byID[next]
		if !ok {
			other, err := s.tx.Person(ctx, next)
			if err != nil {
				return false, fmt.Errorf("wecom sync: read manager chain: %w", err)
			}
			q = &other
		}
		next = q.ManagerID
	}
	return false, nil
}

// save writes every changed person once, and audits it.
func (s *syncer) save(ctx context.Context) error {
	saved := map[int64]bool{}
	for _, uid := range s.order {
		p := s.people[uid]
		if saved[p.ID] {
			continue
		}
		saved[p.ID] = true
		changed := slices.Compact(slices.Sorted(slices.Values(s.changes[p.ID])))
		if len(changed) == 0 {
			if !s.created[p.ID] {
				s.res.Unchanged++
			}
			continue
		}
		if err := s.tx.SavePerson(ctx, p); err != nil {
			return fmt.Errorf("wecom sync: update %s: %w", uid, err)
		}
		if !s.created[p.ID] {
			s.res.Updated++
		}
		if err := s.audit(ctx, p.ID, "updated from WeCom "+uid+": "+strings.Join(changed, ", ")); err != nil {
			return err
		}
	}
	return nil
}

func (s *syncer) audit(ctx context.Context, personID int64, detail string) error {
	err := s.tx.Audit(ctx, store.AuditEntry{
		At: s.now, Actor: syncActor, Action: "org.sync", Object: fmt.Sprintf("person:%d", personID), Detail: detail,
	})
	if err != nil {
		return fmt.Errorf("wecom sync: audit: %w", err)
	}
	return nil
}
