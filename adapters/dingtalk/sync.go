package dingtalk

import (
	"cmp"
	"context"
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/store"
)

// SyncDirectory reads the directory (see Directory) into st with
// directory.Sync, which holds the matching rules. opt.Actor defaults to
// "sync:dingtalk" and opt.Clock to the adapter's clock. DingTalk gives each
// user's first department and manager, but no locale or time zone.
func (a *Adapter) SyncDirectory(ctx context.Context, st store.Store, opt directory.Options) (directory.Result, error) {
	_, users, err := a.Directory(ctx)
	if err != nil {
		return directory.Result{}, fmt.Errorf("dingtalk: sync directory: %w", err)
	}
	members := make([]directory.Member, 0, len(users))
	for _, u := range users {
		members = append(members, a.member(u))
	}
	opt.Actor = cmp.Or(opt.Actor, "sync:dingtalk")
	if opt.Clock == nil {
		opt.Clock = a.now
	}
	res, err := directory.Sync(ctx, st, members, opt)
	if err != nil {
		return directory.Result{}, fmt.Errorf("dingtalk: sync directory: %w", err)
	}
	return res, nil
}

// member translates a DingTalk user.
func (a *Adapter) member(u User) directory.Member {
	var manager bot.Identity
	if u.ManagerUserID != "" {
		manager = a.identity(u.ManagerUserID)
	}
	return directory.Member{
		Identity: a.identity(u.UserID), Name: u.Name, Email: u.EmailAddress(),
		Department: u.Department, Manager: manager,
		// user/list lists only the organisation's current staff: people
		// who left are not in it.
		Active: true,
	}
}
