package directory

import (
	"time"

	"github.com/perfbot/perfbot/bot"
)

// Source is an adapter that is a bot.Directory: Sync lists its members and
// audits as "sync:<platform>".
type Source interface {
	Platform() bot.Platform
	bot.Directory
}

// Options configure a sync.
type Options struct {
	// Actor is who the audit log says synced; "sync:<platform>" when empty.
	Actor string
	// DefaultLocale and DefaultTimeZone are given to people the sync creates
	// when the platform does not say. They default to English and UTC.
	DefaultLocale   string
	DefaultTimeZone string
	// RequireEmail leaves out members who have no email and whom nobody is
	// known by, instead of creating them: for platforms that may hide emails,
	// where such a member cannot be told apart from the person an import
	// adds later.
	RequireEmail bool
	// Clock stamps the audit entries; time.Now when nil.
	Clock func() time.Time
}
