package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// SyncOptions are what a directory sync needs besides the users.
type SyncOptions struct {
	CorpID          string
	DefaultLocale   string // for people created; DingTalk does not say
	DefaultTimeZone string // likewise
	Now             func() time.Time
}

// SyncResult counts what a sync did.
type SyncResult struct {
	Created, Updated, Unchanged int
	// Skipped lists users that could not be matched safely (their DingTalk
	// id belongs to someone with another email).
	Skipped []string
}

// Sync brings the people in st in line with DingTalk's users: each is
// matched by email, then by their DingTalk identity, else created; names,
// departments, identities and managers are updated, and each change is
// audited as "sync:dingtalk". Everything is written in one transaction.
func Sync(ctx context.Context, st store.Store, users []User, o SyncOptions) (SyncResult, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	var res SyncResult
	err := st.InTx(ctx, func(tx store.Store) error {
		res = SyncResult{}
		people := map[string]*bot.Person{} // by DingTalk user id
		changed := map[string][]string{}
		for _, u := range users {
			p, what, err := match(ctx, tx, u, o)
			if errors.Is(err, errSkip) {
				res.Skipped = append(res.Skipped, u.UserID)
				continue
			}
			if err != nil {
				return err
			}
			people[u.UserID], changed[u.UserID] = p, what
		}
		// First everyone exists, so new managers have ids; then managers.
		created := map[string]bool{}
		for _, u := range users {
			if p := people[u.UserID]; p != nil && len(changed[u.UserID]) > 0 {
				created[u.UserID] = p.ID == 0
				if err := tx.SavePerson(ctx, p); err != nil {
					return fmt.Errorf("dingtalk sync: save %s: %w", u.UserID, err)
				}
			}
		}
		for _, u := range users {
			p, m := people[u.UserID], people[u.ManagerUserID]
			if p == nil || m == nil || m.ID == p.ManagerID || closesLoop(users, u.UserID, u.ManagerUserID) {
				continue
			}
			p.ManagerID = m.ID
			changed[u.UserID] = append(changed[u.UserID], "manager")
			if err := tx.SavePerson(ctx, p); err != nil {
				return fmt.Errorf("dingtalk sync: save %s: %w", u.UserID, err)
			}
		}
		for _, u := range users {
			p, what := people[u.UserID], changed[u.UserID]
			switch {
			case p == nil:
				continue
			case len(what) == 0:
				res.Unchanged++
				continue
			case created[u.UserID]:
				res.Created++
			default:
				res.Updated++
			}
			err := tx.Audit(ctx, store.AuditEntry{
				At: o.Now(), Actor: "sync:dingtalk", Action: "org.sync",
				Object: fmt.Sprintf("person:%d", p.ID), Detail: "dingtalk:" + u.UserID + " " + strings.Join(what, ","),
			})
			if err != nil {
				return fmt.Errorf("dingtalk sync: audit: %w", err)
			}
		}
		return nil
	})
	return res, err
}

var errSkip = errors.New("skip")

// match finds or makes the person for u (unsaved) and applies u's fields to
// it, returning what changed. Managers are set later, once everyone exists.
func match(ctx context.Context, tx store.Store, u User, o SyncOptions) (*bot.Person, []string, error) {
	id := bot.Identity{Platform: bot.DingTalk, Tenant: o.CorpID, UserID: u.UserID}
	var (
		p   bot.Person
		err error = store.ErrNotFound
	)
	if email := u.EmailAddress(); email != "" {
		p, err = tx.PersonByEmail(ctx, email)
	}
	if errors.Is(err, store.ErrNotFound) {
		p, err = tx.PersonByIdentity(ctx, id)
	}
	var what []string
	switch {
	case errors.Is(err, store.ErrNotFound):
		p = bot.Person{Email: u.EmailAddress(), Locale: o.DefaultLocale, TimeZone: o.DefaultTimeZone, Roles: []bot.Role{bot.RoleEmployee}}
		what = append(what, "created")
	case err != nil:
		return nil, nil, fmt.Errorf("dingtalk sync: find %s: %w", u.UserID, err)
	}
	if holder, err := tx.PersonByIdentity(ctx, id); err == nil && holder.ID != p.ID {
		// Their DingTalk id is someone else's in perfbot: saving would fail
		// the whole sync, and guessing would merge two people.
		return nil, nil, errSkip
	}
	if u.Name != "" && p.Name != u.Name {
		p.Name = u.Name
		what = append(what, "name")
	}
	if u.Department != "" && p.Department != u.Department {
		p.Department = u.Department
		what = append(what, "department")
	}
	if cur, ok := p.IdentityOn(bot.DingTalk); !ok || cur != id {
		var ids []bot.Identity
		for _, i := range p.Identities {
			if i.Platform != bot.DingTalk || i.Tenant != o.CorpID {
				ids = append(ids, i)
			}
		}
		p.Identities = append(ids, id)
		what = append(what, "identity")
	}
	return &p, what, nil
}

// closesLoop reports whether making manager the manager of userID would
// close a loop: userID is already above manager in DingTalk's chain.
func closesLoop(users []User, userID, manager string) bool {
	up := map[string]string{}
	for _, u := range users {
		up[u.UserID] = u.ManagerUserID
	}
	for at, steps := manager, 0; at != "" && steps <= len(users); at, steps = up[at], steps+1 {
		if at == userID {
			return true
		}
	}
	return false
}
