package conversations

import "github.com/perfbot/perfbot/bot"

// groups is what perfbot says in a group chat: that it talks one to one.
type groups struct {
	*turn
	base
}

func (groups) owns() owns { return owns{events: []event{evGroup}} }

func (c groups) on(event) {
	ev := c.in.Event
	c.res.Out = append(c.res.Out, Outbound{
		Channel: bot.Address{Identity: bot.Identity{Platform: ev.From.Platform, Tenant: ev.From.Tenant}, Channel: ev.Channel},
		Message: bot.Message{Text: c.t.T("group.only")},
	})
}
