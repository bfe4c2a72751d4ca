package dingtalk

import (
	"context"
	"fmt"

	"github.com/perfbot/perfbot/bot"
)

var _ bot.Directory = (*Adapter)(nil)

// Members lists the organisation's users (see Directory), for
// internal/directory. DingTalk gives each user's first department and
// manager, but no locale or time zone.
func (a *Adapter) Members(ctx context.Context) ([]bot.Member, error) {
	_, users, err := a.Directory(ctx)
	if err != nil {
		return nil, fmt.Errorf("dingtalk: list members: %w", err)
	}
	members := make([]bot.Member, 0, len(users))
	for _, u := range users {
		members = append(members, a.member(u))
	}
	return members, nil
}

// member translates a DingTalk user.
func (a *Adapter) member(u User) bot.Member {
	var manager bot.Identity
	if u.ManagerUserID != "" {
		manager = a.identity(u.ManagerUserID)
	}
	return bot.Member{
		Identity: a.identity(u.UserID), Name: u.Name, Email: u.EmailAddress(),
		Department: u.Department, Manager: manager, Accounts: u.Accounts(),
		// user/list lists only the organisation's current staff: people
		// who left are not in it.
		Active: true,
	}
}
