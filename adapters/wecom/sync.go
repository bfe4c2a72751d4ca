package wecom

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/store"
)

// SyncDirectory reads the directory (see Directory) into st with
// directory.Sync, which holds the matching rules. opt.Actor defaults to
// "sync:wecom" and opt.Clock to the adapter's clock. WeCom gives each
// member's main department and direct leader, but no locale or time zone.
func (a *Adapter) SyncDirectory(ctx context.Context, st store.Store, opt directory.Options) (directory.Result, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return directory.Result{}, fmt.Errorf("wecom: sync directory: %w", err)
	}
	opt.Actor = cmp.Or(opt.Actor, "sync:wecom")
	if opt.Clock == nil {
		opt.Clock = a.now
	}
	res, err := directory.Sync(ctx, st, a.members(dir), opt)
	if err != nil {
		return directory.Result{}, fmt.Errorf("wecom: sync directory: %w", err)
	}
	return res, nil
}

// members translates dir's members.
func (a *Adapter) members(dir Directory) []directory.Member {
	out := make([]directory.Member, 0, len(dir.Members))
	for _, m := range dir.Members {
		var leader bot.Identity
		if len(m.DirectLeader) > 0 {
			leader = a.identity(m.DirectLeader[0]) // the first is the one who manages
		}
		out = append(out, directory.Member{
			Identity: a.identity(m.UserID),
			Name:     m.Name,
			// The address the member entered, else their corp mailbox.
			Email:      cmp.Or(strings.TrimSpace(m.Email), strings.TrimSpace(m.BizMail)),
			Department: dir.department(m.MainDepartment),
			Manager:    leader,
			// Members not yet activated are people and get their check-ins
			// once they join; disabled ones and leavers do not.
			Active: m.Status != statusDisabled && m.Status != statusLeft,
		})
	}
	return out
}
