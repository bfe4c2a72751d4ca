package seal

import (
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// Audience is who may click a button: the one person a message went to,
// everyone in a channel, or everyone in a tenant (a message sent to many
// people at once, whose buttons are checked again by the step).
type Audience string

// Person is the audience of a message sent to id.
func Person(id bot.Identity) Audience {
	return audience('p', string(id.Platform), id.Tenant, id.UserID)
}

// Channel is the audience of a message sent to the channel at a.
func Channel(a bot.Address) Audience {
	return audience('c', string(a.Platform), a.Tenant, a.Channel)
}

// Tenant is the audience of a message sent to many people of one tenant.
func Tenant(p bot.Platform, tenant string) Audience {
	return audience('t', string(p), tenant)
}

// audience joins parts length-prefixed, so no two audiences read alike
// whatever their parts hold.
func audience(kind byte, parts ...string) Audience {
	var b strings.Builder
	b.WriteByte(kind)
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	return Audience(b.String())
}

// Web is the audience of a value perfbot hands out for its own web pages
// (a dashboard sign-in link, a session cookie), purpose keeping one kind
// from opening as another.
func Web(purpose string) Audience {
	return audience('w', purpose)
}
