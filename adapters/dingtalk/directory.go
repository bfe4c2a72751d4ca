package dingtalk

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// rootDepartment is the organisation itself in DingTalk's directory.
const rootDepartment = 1

// Department is one department of the organisation.
type Department struct {
	ID       int64  `json:"dept_id"`
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id"`
}

// User is one member of the organisation as DingTalk's directory has them.
type User struct {
	UserID        string  `json:"userid"`
	Name          string  `json:"name"`
	Email         string  `json:"email"`
	OrgEmail      string  `json:"org_email"`
	ManagerUserID string  `json:"manager_userid"`
	Departments   []int64 `json:"dept_id_list"`
	// Extension holds the custom fields the admin defined, as a JSON
	// object in a string: {"GitHub":"lei-gh"}.
	Extension string `json:"extension"`
	// Department is the name of the first of Departments.
	Department string `json:"-"`
}

// Accounts are the tool accounts in the user's custom fields named after a
// tool (GitHub, GitLab, Jira, HubSpot); none when the field is not JSON.
func (u User) Accounts() []bot.Identity {
	var fields map[string]any
	if json.Unmarshal([]byte(u.Extension), &fields) != nil {
		return nil
	}
	var out []bot.Identity
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		v, isText := fields[name].(string)
		if tool, ok := bot.ToolNamed(name); ok && isText && strings.TrimSpace(v) != "" {
			out = append(out, bot.ToolAccount(tool, v))
		}
	}
	return out
}

// EmailAddress is the address to match the user by: the work address if
// there is one.
func (u User) EmailAddress() string {
	return strings.ToLower(strings.TrimSpace(first(u.OrgEmail, u.Email)))
}

// Directory reads every department (walking down from the root) and every
// user in them, with each user's manager, through DINGTALK_OAPI_BASE.
func (a *Adapter) Directory(ctx context.Context) ([]Department, []User, error) {
	depts := []Department{{ID: rootDepartment}}
	for i := 0; i < len(depts); i++ {
		var subs []Department
		if err := a.api.oapi(ctx, "/topapi/v2/department/listsub", map[string]any{"dept_id": depts[i].ID}, &subs); err != nil {
			return nil, nil, err
		}
		depts = append(depts, subs...)
	}
	names := map[int64]string{}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	var users []User
	seen := map[string]bool{}
	for _, d := range depts {
		for cursor := int64(0); ; {
			var page struct {
				HasMore    bool   `json:"has_more"`
				NextCursor int64  `json:"next_cursor"`
				List       []User `json:"list"`
			}
			err := a.api.oapi(ctx, "/topapi/v2/user/list", map[string]any{"dept_id": d.ID, "cursor": cursor, "size": 100}, &page)
			if err != nil {
				return nil, nil, err
			}
			for _, u := range page.List {
				if u.UserID == "" || seen[u.UserID] {
					continue // people in several departments are listed in each
				}
				seen[u.UserID] = true
				if len(u.Departments) > 0 {
					u.Department = names[u.Departments[0]]
				}
				users = append(users, u)
			}
			if !page.HasMore {
				break
			}
			cursor = page.NextCursor
		}
	}
	for i, u := range users {
		if u.ManagerUserID != "" {
			continue
		}
		// user/list leaves the manager out; user/get has it.
		var full User
		if err := a.api.oapi(ctx, "/topapi/v2/user/get", map[string]any{"userid": u.UserID}, &full); err != nil {
			return nil, nil, err
		}
		users[i].ManagerUserID = full.ManagerUserID
	}
	return depts, users, nil
}
