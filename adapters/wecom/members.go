package wecom

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

var _ bot.Directory = (*Adapter)(nil)

// Members lists the members visible to the app (see Directory), for
// internal/directory. WeCom gives each member's main department and direct
// leader, but no locale or time zone.
func (a *Adapter) Members(ctx context.Context) ([]bot.Member, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return nil, fmt.Errorf("wecom: list members: %w", err)
	}
	out := make([]bot.Member, 0, len(dir.Members))
	for _, m := range dir.Members {
		var leader bot.Identity
		if len(m.DirectLeader) > 0 {
			leader = a.identity(m.DirectLeader[0]) // the first is the one who manages
		}
		out = append(out, bot.Member{
			Identity: a.identity(m.UserID),
			Name:     m.Name,
			// The address the member entered, else their corp mailbox.
			Email:      cmp.Or(strings.TrimSpace(m.Email), strings.TrimSpace(m.BizMail)),
			Department: dir.department(m.MainDepartment),
			Manager:    leader,
			// Members not yet activated are people and get their check-ins
			// once they join; disabled ones and leavers do not.
			Active:   m.Status != statusDisabled && m.Status != statusLeft,
			Accounts: accounts(m.ExtAttr.Attrs),
		})
	}
	return out, nil
}

// accounts are the tool accounts in a member's custom text fields named
// after a tool (GitHub, GitLab, Jira, HubSpot).
func accounts(attrs []extAttr) []bot.Identity {
	var out []bot.Identity
	for _, at := range attrs {
		if tool, ok := bot.ToolNamed(at.Name); ok && at.Type == 0 && strings.TrimSpace(at.Text.Value) != "" {
			out = append(out, bot.ToolAccount(tool, at.Text.Value))
		}
	}
	return out
}
