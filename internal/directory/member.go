package directory

import (
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Member is one user of a platform's directory, as the adapter translated
// it. Empty fields mean the platform does not say: they leave the person's
// value as it is.
type Member struct {
	Identity   bot.Identity
	Name       string
	Email      string // matched case-insensitively
	Department string
	// Locale is the platform's language setting, in any spelling
	// i18n.Normalize knows; others count as unsaid.
	Locale string
	// TimeZone is an IANA name; others count as unsaid.
	TimeZone string
	// Manager is the member's manager on the platform; zero for none or
	// unknown. Only a manager who is a member of the same sync is set.
	Manager bot.Identity
	// Active is false for members the platform says are disabled,
	// deactivated or gone, and for accounts that are not people (bots):
	// the sync leaves them out.
	Active bool
}

// Options configure a sync.
type Options struct {
	// Actor is who the audit log says synced, "sync:<platform>". Required.
	Actor string
	// DefaultLocale and DefaultTimeZone are given to people the sync creates
	// when the platform does not say. They default to English and UTC.
	DefaultLocale   string
	DefaultTimeZone string
	// RequireEmail leaves out members who have no email and whom nobody is
	// known by, instead of creating them.
	RequireEmail bool
	// Clock stamps the audit entries; time.Now when nil.
	Clock func() time.Time
}
