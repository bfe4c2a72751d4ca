package conversations

import (
	"context"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
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

// actDashboard is the dashboard button under the weekly digest.
const actDashboard = "dashboard"

// DashboardButton is the value of a button that answers with the link,
// for messages sent from outside the flows (the weekly digest).
func DashboardButton() string { return action{Name: actDashboard}.value() }

// dashboards answers the command, and the button, with the link.
type dashboards struct {
	*turn
	base
}

func (dashboards) owns() owns { return owns{actions: []string{actDashboard}} }

// text takes the command, except as the answer to a question, where a
// person may mean the word itself.
func (c dashboards) text(command) bool {
	if !isDashboard(c.in.Event.Text) || c.expecting() {
		return false
	}
	c.link()
	return true
}

func (c dashboards) click(action) { c.link() }

func (c dashboards) link() {
	if c.in.SignInLink == "" {
		c.say(c.t.T("dashboard.chat.off"))
		return
	}
	c.say(c.t.T("dashboard.chat.link", "Link", c.in.SignInLink, "Minutes", 10))
	c.standing()
}

// wantsLink reports whether ev asks for the link: the command typed in a
// direct chat, or the button.
func wantsLink(ev bot.Event) bool {
	if a, ok := parseAction(ev.Action); ev.Kind == bot.KindAction && ok {
		return a.Name == actDashboard
	}
	return ev.Kind == bot.KindMessage && !ev.Group && isDashboard(ev.Text)
}

// load mints the link only when it is asked for.
func (dashboards) load(ctx context.Context, l *loader) error {
	if !wantsLink(l.in.Event) {
		return nil
	}
	link, err := l.r.SignInLink(ctx)
	if err != nil {
		return fmt.Errorf("conversations: sign-in link: %w", err)
	}
	l.in.SignInLink = link
	return nil
}
