package slack

import (
	"cmp"
	"context"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// slackbot is the user id of Slack's built-in bot, which users.list lists
// as a person.
const slackbot = "USLACKBOT"

var _ bot.Directory = (*Adapter)(nil)

// Members lists the workspace's users (users.list, with locales), for
// internal/directory. Slack gives locales and time zones but no managers or
// departments, and emails only to apps with users:read.email.
func (a *Adapter) Members(ctx context.Context) ([]bot.Member, error) {
	users, err := a.users(ctx)
	if err != nil {
		return nil, fmt.Errorf("slack: list members: %w", err)
	}
	members := make([]bot.Member, 0, len(users))
	for _, u := range users {
		members = append(members, member(u))
	}
	return members, nil
}

// member translates a Slack user.
func member(u slackapi.User) bot.Member {
	return bot.Member{
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
