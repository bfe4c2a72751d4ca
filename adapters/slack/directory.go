package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// SyncOptions configures SyncDirectory.
type SyncOptions struct {
	// DefaultLocale and DefaultTimeZone are given to new people Slack says
	// nothing usable about. They default to English and UTC.
	DefaultLocale   string
	DefaultTimeZone string
}

// SyncResult counts what SyncDirectory did.
type SyncResult struct {
	Created   int
	Updated   int
	Unchanged int
	// Ignored counts bots, deactivated users and Slackbot.
	Ignored int
	// Skipped counts people perfbot could not place: no email and no known
	// identity, or an identity that belongs to someone else.
	Skipped int
}

// syncActor is who the audit log says synced.
const syncActor = "sync:slack"

// slackbot is the user id of Slack's built-in bot, which users.list lists
// as a person.
const slackbot = "USLACKBOT"

// SyncDirectory reads the workspace's users (users.list, with locales) into
// st: each is matched to a person by email, then by Slack identity, or
// created; Slack's time zone and locale are set where Slack gives them, and
// the Slack identity added. Everything is written in one transaction, with
// an audit entry per person created or changed.
func (a *Adapter) SyncDirectory(ctx context.Context, st store.Store, opt SyncOptions) (SyncResult, error) {
	opt.DefaultLocale = cmp.Or(i18n.Normalize(opt.DefaultLocale), bot.LocaleEN)
	opt.DefaultTimeZone = cmp.Or(validZone(opt.DefaultTimeZone), "UTC")
	users, err := a.users(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	var res SyncResult
	err = st.InTx(ctx, func(tx store.Store) error {
		res = SyncResult{}
		for _, u := range users {
			if u.IsBot || u.IsAppUser || u.Deleted || u.ID == slackbot {
				res.Ignored++
				continue
			}
			if err := a.syncUser(ctx, tx, u, opt, &res); err != nil {
				return fmt.Errorf("slack user %s: %w", u.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return SyncResult{}, fmt.Errorf("slack: sync directory: %w", err)
	}
	return res, nil
}

// users lists every member of the workspace, a page at a time.
func (a *Adapter) users(ctx context.Context) ([]slackapi.User, error) {
	var all []slackapi.User
	page := a.api.GetUsersPaginated(slackapi.GetUsersOptionLimit(200), slackapi.GetUsersOptionIncludeLocale(true))
	for {
		err := a.call(ctx, "users.list", "", func(ctx context.Context) error {
			next, err := page.Next(ctx)
			if err == nil {
				page = next
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Users...)
		if page.Cursor == "" {
			return all, nil
		}
	}
}

func (a *Adapter) syncUser(ctx context.Context, tx store.Store, u slackapi.User, opt SyncOptions, res *SyncResult) error {
	id := identity(u.TeamID, u.ID)
	email := strings.ToLower(strings.TrimSpace(u.Profile.Email))
	p, found, err := find(ctx, tx, email, id)
	if err != nil {
		return err
	}
	if owner, err := tx.PersonByIdentity(ctx, id); err == nil && found && owner.ID != p.ID {
		a.log.WarnContext(ctx, "slack sync: identity belongs to someone else", "user", u.ID, "person", owner.ID)
		res.Skipped++
		return nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	locale := i18n.Normalize(u.Locale)
	zone := validZone(u.TZ)
	var changes []string
	if !found {
		if email == "" {
			a.log.InfoContext(ctx, "slack sync: user without an email skipped", "user", u.ID)
			res.Skipped++
			return nil
		}
		p = bot.Person{
			Name:   cmp.Or(u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name),
			Email:  email,
			Locale: cmp.Or(locale, opt.DefaultLocale), TimeZone: cmp.Or(zone, opt.DefaultTimeZone),
			Roles: []bot.Role{bot.RoleEmployee},
		}
	} else {
		// Slack's settings are the person's own and follow them when they
		// travel or switch language, so they win over what was imported.
		if locale != "" && locale != p.Locale {
			p.Locale = locale
			changes = append(changes, "locale "+locale)
		}
		if zone != "" && zone != p.TimeZone {
			p.TimeZone = zone
			changes = append(changes, "time zone "+zone)
		}
	}
	if !slices.Contains(p.Identities, id) {
		// One Slack identity per workspace: a new user id replaces the old.
		p.Identities = slices.DeleteFunc(p.Identities, func(i bot.Identity) bool {
			return i.Platform == bot.Slack && i.Tenant == id.Tenant
		})
		p.Identities = append(p.Identities, id)
		changes = append(changes, "slack identity "+id.Tenant+":"+id.UserID)
	}
	var detail string
	switch {
	case !found:
		res.Created++
		detail = "created from Slack user " + u.ID
	case len(changes) > 0:
		res.Updated++
		detail = "updated from Slack user " + u.ID + ": " + strings.Join(changes, ", ")
	default:
		res.Unchanged++
		return nil
	}
	if err := tx.SavePerson(ctx, &p); err != nil {
		return fmt.Errorf("save person: %w", err)
	}
	return tx.Audit(ctx, store.AuditEntry{Actor: syncActor, Action: "org.sync", Object: fmt.Sprintf("person:%d", p.ID), Detail: detail})
}

// find looks a Slack user up among perfbot's people: by email, then by
// their Slack identity.
func find(ctx context.Context, tx store.Store, email string, id bot.Identity) (bot.Person, bool, error) {
	if email != "" {
		p, err := tx.PersonByEmail(ctx, email)
		if err == nil {
			return p, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return p, false, err
		}
	}
	p, err := tx.PersonByIdentity(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return bot.Person{}, false, nil
	}
	return p, err == nil, err
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
