package bot

import (
	"context"
	"strings"
)

// Directory is an Adapter whose platform keeps a directory of its people
// (Slack's users, WeCom's and DingTalk's organisation). internal/directory
// brings perfbot's people in line with what Members lists; the adapter only
// reads and translates.
type Directory interface {
	// Members lists every user of the directory the app may see, each once,
	// as the platform has them: disabled users, leavers and bots too, with
	// Active false.
	Members(ctx context.Context) ([]Member, error)
}

// Member is one user of a platform's directory. An empty field means the
// platform does not say.
type Member struct {
	Identity Identity
	Name     string
	Email    string
	// Department is the user's main department or team, by name.
	Department string
	// Locale is the platform's language setting, in the platform's spelling
	// ("en-US", "zh_CN").
	Locale string
	// TimeZone is the platform's time zone setting, an IANA name.
	TimeZone string
	// Manager is the user's manager on the platform; zero for none or unknown.
	Manager Identity
	// Active is false for users the platform says are disabled, deactivated
	// or gone, and for accounts that are not people (bots).
	Active bool
	// Accounts are the user's accounts on business tools, where the
	// platform knows them: a custom profile field the admin named after
	// the tool (see ToolNamed). Identities without a tenant.
	Accounts []Identity
}

// ToolNamed is the tool a custom profile field is named after ("GitHub",
// "gitlab", "Jira", "HubSpot"; case and spaces ignored), if any.
func ToolNamed(name string) (Platform, bool) {
	n := Platform(strings.ToLower(strings.TrimSpace(name)))
	for _, t := range Tools() {
		if t == n {
			return t, true
		}
	}
	return "", false
}
