package orgfile

import (
	"fmt"
	"math"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/perfbot/perfbot/bot"
)

// This file reads single cells. Each parser returns an error whose text is
// the RowError message, written for the HR person fixing the file.

// These map the full-width punctuation a Chinese input method types to the
// ASCII separators of each kind of cell, so "manager；hr" reads as
// "manager;hr". Each touches only its own separators: text in a goal's title
// is kept as typed.
var (
	roleSeparators     = strings.NewReplacer("，", ",", "；", ";", "、", ",")
	goalSeparators     = strings.NewReplacer("；", ";", "＝", "=")
	identitySeparators = strings.NewReplacer("：", ":")
)

// parseEmail returns s as a bare, lower-case email address. Addresses are
// matched without case everywhere in perfbot's org data.
func parseEmail(s string) (string, error) {
	s = strings.ToLower(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return "", fmt.Errorf("not an email address: %q", s)
	}
	return s, nil
}

// parseLocale returns the locale s names, accepting the spellings people
// type for it; "" stays "".
func parseLocale(s string) (string, error) {
	norm := strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	switch {
	case norm == "":
		return "", nil
	case norm == "en" || strings.HasPrefix(norm, "en-"):
		return bot.LocaleEN, nil
	case norm == "zh" || norm == "zh-cn" || norm == "zh-hans" || norm == "zh-hans-cn":
		return bot.LocaleZH, nil
	}
	return "", fmt.Errorf("unknown locale %q; use %s or %s", s, bot.LocaleEN, bot.LocaleZH)
}

// parseTimeZone validates an IANA time zone name; "" stays "".
func parseTimeZone(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	// "Local" is whatever the server runs in, which no person means.
	if _, err := time.LoadLocation(s); err != nil || s == "Local" {
		return "", fmt.Errorf("unknown time zone %q", s)
	}
	return s, nil
}

// parseRoles reads a list of roles; an empty list means employee.
func parseRoles(s string) ([]bot.Role, error) {
	fields := strings.FieldsFunc(roleSeparators.Replace(s), func(r rune) bool {
		return r == ',' || r == ';' || unicode.IsSpace(r)
	})
	if len(fields) == 0 {
		return []bot.Role{bot.RoleEmployee}, nil
	}
	var roles []bot.Role
	for _, f := range fields {
		r := bot.Role(strings.ToLower(f))
		if !slices.Contains(bot.Roles, r) {
			return nil, fmt.Errorf("unknown role %q; the roles are %s", f, joinRoles(bot.Roles))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

func joinRoles(roles []bot.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// goalSpec is a goal as a file gives it.
type goalSpec struct {
	title string
	// target is the number that means done; 0 when the cell gave none.
	target float64
}

// parseGoals reads "Ship v2;Close deals=10": titles separated by
// semicolons, each with an optional numeric target after '='.
func parseGoals(s string) ([]goalSpec, error) {
	var goals []goalSpec
	for part := range strings.SplitSeq(goalSeparators.Replace(s), ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		g := goalSpec{title: part}
		if i := strings.LastIndexByte(part, '='); i >= 0 {
			g.title = strings.TrimSpace(part[:i])
			n, err := strconv.ParseFloat(strings.TrimSpace(part[i+1:]), 64)
			if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
				return nil, fmt.Errorf("goal %q: the target after '=' must be a number above 0", part)
			}
			g.target = n
		}
		if g.title == "" {
			return nil, fmt.Errorf("goal %q has no title", part)
		}
		if slices.ContainsFunc(goals, func(o goalSpec) bool { return strings.EqualFold(o.title, g.title) }) {
			return nil, fmt.Errorf("goal %q is listed twice", g.title)
		}
		goals = append(goals, g)
	}
	return goals, nil
}

// parseIdentity reads "userid" or "tenant:userid" for platform. A user id is
// only unique inside its tenant, and adapters look people up by both, so on
// a real platform an identity without one would never match anybody; the
// simulator has a single tenant and may leave it empty.
func parseIdentity(platform bot.Platform, s, defaultTenant string) (bot.Identity, error) {
	if slices.Contains(bot.Tools(), platform) {
		return parseAccount(platform, s)
	}
	tenant, user, ok := strings.Cut(identitySeparators.Replace(s), ":")
	if !ok {
		tenant, user = defaultTenant, tenant
	}
	tenant, user = strings.TrimSpace(tenant), strings.TrimSpace(user)
	if user == "" {
		return bot.Identity{}, fmt.Errorf("%q has no user id; write userid or tenant:userid", s)
	}
	if tenant == "" && platform != bot.Simulator {
		return bot.Identity{}, fmt.Errorf("%q has no tenant; write tenant:userid, or configure the default %s tenant", s, platform)
	}
	return bot.Identity{Platform: platform, Tenant: tenant, UserID: user}, nil
}

// parseAccount reads a business tool's account: a GitHub login, a GitLab
// username, a Jira accountId (which may hold a colon: 557058:f58131cb-…),
// a HubSpot user id. A tool has one instance per perfbot, so no tenant.
func parseAccount(tool bot.Platform, s string) (bot.Identity, error) {
	id := bot.ToolAccount(tool, s)
	if id.UserID == "" {
		return bot.Identity{}, fmt.Errorf("%q has no %s account", s, tool)
	}
	if strings.ContainsFunc(id.UserID, unicode.IsSpace) {
		return bot.Identity{}, fmt.Errorf("%q is not one %s account: it has a space", s, tool)
	}
	return id, nil
}
