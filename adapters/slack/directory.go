package slack

import (
	"cmp"
	"context"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/store"
)

// slackbot is the user id of Slack's built-in bot, which users.list lists
// as a person.
const slackbot = "USLACKBOT"

// SyncDirectory reads the workspace's users (users.list, with locales) into
// st with directory.Sync, which holds the matching rules. opt.Actor defaults
// to "sync:slack" and opt.Clock to the adapter's clock. Slack gives locales
// and time zones but no managers or departments.
func (a *Adapter) SyncDirectory(ctx context.Context, st store.Store, opt directory.Options) (directory.Result, error) {
	users, err := a.users(ctx)
	if err != nil {
		return directory.Result{}, fmt.Errorf("slack: sync directory: %w", err)
	}
	members := make([]directory.Member, 0, len(users))
	for _, u := range users {
		members = append(members, member(u))
	}
	opt.Actor = cmp.Or(opt.Actor, "sync:slack")
	if opt.Clock == nil {
		opt.Clock = a.now
	}
	// Slack shows emails only to apps with users:read.email; without one a
	// user cannot be told apart from the person an import will add later.
	opt.RequireEmail = true
	res, err := directory.Sync(ctx, st, members, opt)
	if err != nil {
		return directory.Result{}, fmt.Errorf("slack: sync directory: %w", err)
	}
	return res, nil
}

// member translates a Slack user.
func member(u slackapi.User) directory.Member {
	return directory.Member{
		Identity: identity(u.TeamID, u.ID),
		Name:     cmp.Or(u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name),
		Email:    u.Profile.Email,
		Locale:   u.Locale,
		TimeZone: u.TZ,
		// Bots and Slackbot are not people: they are left out like
		// deactivated users.
		Active: !u.IsBot && !u.IsAppUser && !u.Deleted && u.ID != slackbot,
	}
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
