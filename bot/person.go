package bot

import (
	"slices"
	"strings"
)

// Platform names a chat platform.
type Platform string

// The platforms perfbot speaks to.
const (
	Slack     Platform = "slack"
	WeCom     Platform = "wecom"
	DingTalk  Platform = "dingtalk"
	Simulator Platform = "simulator"
)

// The business tools whose accounts identify people in their webhooks (a
// merged pull request names a GitHub login). They are kept as identities
// with an empty Tenant, one instance of each tool per perfbot, but they are
// never an address: no adapter speaks them, so Reach never picks one.
const (
	GitHub  Platform = "github"
	GitLab  Platform = "gitlab"
	Jira    Platform = "jira"
	HubSpot Platform = "hubspot"
)

// Tools are the business tools with accounts.
func Tools() []Platform { return []Platform{GitHub, GitLab, Jira, HubSpot} }

// ToolAccount is the identity of handle on tool as perfbot keeps it:
// GitHub logins and GitLab usernames ignore case, so they are kept in lower
// case; a Jira accountId or HubSpot user id is kept as it is.
func ToolAccount(tool Platform, handle string) Identity {
	handle = strings.TrimSpace(handle)
	if tool == GitHub || tool == GitLab {
		handle = strings.ToLower(handle)
	}
	return Identity{Platform: tool, UserID: handle}
}

// Identity is one person's account on one platform. Tenant is the workspace,
// corp or organisation id: user ids are only unique inside it.
type Identity struct {
	Platform Platform `json:"platform"`
	Tenant   string   `json:"tenant"`
	UserID   string   `json:"user_id"`
}

// IsZero reports whether the identity is unset.
func (i Identity) IsZero() bool { return i == Identity{} }

func (i Identity) String() string { return string(i.Platform) + ":" + i.Tenant + ":" + i.UserID }

// Role is what a person may do in perfbot.
type Role string

// The roles.
const (
	RoleEmployee Role = "employee"
	RoleManager  Role = "manager"
	RoleHR       Role = "hr"
	RoleAdmin    Role = "admin"
)

// Roles lists every valid role.
var Roles = []Role{RoleEmployee, RoleManager, RoleHR, RoleAdmin}

// Locales perfbot speaks. Every text a person reads exists in each.
const (
	LocaleEN = "en"
	LocaleZH = "zh-CN"
)

// Person is someone in the organisation.
type Person struct {
	ID         int64
	Name       string
	Email      string
	Locale     string // LocaleEN or LocaleZH
	TimeZone   string // IANA name, e.g. Asia/Shanghai
	Roles      []Role
	ManagerID  int64 // 0 when the person has no manager
	Department string
	TeamID     int64 // 0 when the person is in no team
	Identities []Identity
	// AwayUntil is the first day back (YYYY-MM-DD, in the person's own time
	// zone) of someone out of office: until then perfbot sends them no
	// prompts or reminders. Empty when they are not away.
	AwayUntil string
}

// AwayOn reports whether p is out of office on day (YYYY-MM-DD).
func (p Person) AwayOn(day string) bool { return p.AwayUntil != "" && day < p.AwayUntil }

// Has reports whether the person holds role r.
func (p Person) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// IdentityOn returns the person's identity on platform, if any.
func (p Person) IdentityOn(platform Platform) (Identity, bool) {
	for _, id := range p.Identities {
		if id.Platform == platform {
			return id, true
		}
	}
	return Identity{}, false
}

// Reach picks the identity to reach p on: the one on preferred if up says
// its platform is reachable, else the first whose platform is.
func (p Person) Reach(preferred Platform, up func(Platform) bool) (Identity, bool) {
	if id, ok := p.IdentityOn(preferred); ok && up(id.Platform) {
		return id, true
	}
	for _, id := range p.Identities {
		if up(id.Platform) {
			return id, true
		}
	}
	return Identity{}, false
}
