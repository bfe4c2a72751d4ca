package wecom

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Department is a department visible to the app.
type Department struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	ParentID int64  `json:"parentid"`
}

// Member is a member of the corp visible to the app, as user/list gives it.
// Email and others are empty when the app may not read them.
type Member struct {
	UserID         string   `json:"userid"`
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	BizMail        string   `json:"biz_mail"`
	Departments    []int64  `json:"department"`
	MainDepartment int64    `json:"main_department"`
	DirectLeader   []string `json:"direct_leader"`
	// Status: 1 active, 2 disabled, 4 not activated, 5 left the corp.
	Status int `json:"status"`
	// ExtAttr are the custom fields (扩展属性) the admin defined.
	ExtAttr struct {
		Attrs []extAttr `json:"attrs"`
	} `json:"extattr"`
}

// extAttr is one custom field; type 0 is text.
type extAttr struct {
	Type int    `json:"type"`
	Name string `json:"name"`
	Text struct {
		Value string `json:"value"`
	} `json:"text"`
}

// Member statuses that leave a member out of perfbot.
const (
	statusDisabled = 2
	statusLeft     = 5
)

// Directory is the part of the corp the app can see.
type Directory struct {
	Departments []Department
	Members     []Member // each once, by userid
}

// department returns the name of department id, or "".
func (d Directory) department(id int64) string {
	for _, dep := range d.Departments {
		if dep.ID == id {
			return dep.Name
		}
	}
	return ""
}

type departmentsAnswer struct {
	status
	Department []Department `json:"department"`
}

type membersAnswer struct {
	status
	UserList []Member `json:"userlist"`
}

// Directory reads the departments visible to the app (department/list) and
// their members (user/list, department by department).
func (a *Adapter) Directory(ctx context.Context) (Directory, error) {
	var deps departmentsAnswer
	err := a.api.call(ctx, "department/list", func(ctx context.Context, token string) error {
		deps = departmentsAnswer{}
		return a.api.getJSON(ctx, "department/list", "/cgi-bin/department/list", token, url.Values{}, &deps)
	})
	if err != nil {
		return Directory{}, err
	}
	dir := Directory{Departments: deps.Department}
	seen := map[string]bool{}
	for _, dep := range deps.Department {
		var ms membersAnswer
		err := a.api.call(ctx, "user/list", func(ctx context.Context, token string) error {
			ms = membersAnswer{}
			q := url.Values{"department_id": {strconv.FormatInt(dep.ID, 10)}}
			return a.api.getJSON(ctx, "user/list", "/cgi-bin/user/list", token, q, &ms)
		})
		if err != nil {
			return Directory{}, err
		}
		for _, m := range ms.UserList {
			if m.UserID == "" || seen[m.UserID] {
				continue
			}
			seen[m.UserID] = true
			dir.Members = append(dir.Members, m)
		}
	}
	slices.SortFunc(dir.Members, func(x, y Member) int { return strings.Compare(x.UserID, y.UserID) })
	return dir, nil
}
