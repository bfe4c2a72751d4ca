package conversations

import (
	"context"
	"fmt"
	"strings"
)

// The dashboard: "dashboard" (看板) answers with a one-time sign-in link
// to the person's insight pages. The link is minted by the reader before
// the step (a signature, no write), so the step stays pure; its one use is
// claimed when it is opened, not here.

// dashboardWords are the whole messages that ask for the link.
var dashboardWords = map[string]bool{
	"dashboard": true, "insights": true, "看板": true, "仪表盘": true, "数据看板": true,
}

// isDashboard reports whether text asks for the dashboard.
func isDashboard(text string) bool {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	t = strings.TrimRight(strings.TrimLeft(t, "/"), ".!。！")
	return dashboardWords[t]
}

// dashboards answers the command with the link.
type dashboards struct {
	*turn
	base
}

// text takes the command, except as the answer to a question, where a
// person may mean the word itself.
func (c dashboards) text(command) bool {
	if !isDashboard(c.in.Event.Text) || c.expecting() {
		return false
	}
	if c.in.SignInLink == "" {
		c.say(c.t.T("dashboard.chat.off"))
		return true
	}
	c.say(c.t.T("dashboard.chat.link", "Link", c.in.SignInLink, "Minutes", 10))
	c.standing()
	return true
}

// load mints the link only for the command.
func (dashboards) load(ctx context.Context, l *loader) error {
	ev := l.in.Event
	if ev.Text == "" || ev.Group || !isDashboard(ev.Text) {
		return nil
	}
	link, err := l.r.SignInLink(ctx)
	if err != nil {
		return fmt.Errorf("conversations: sign-in link: %w", err)
	}
	l.in.SignInLink = link
	return nil
}
