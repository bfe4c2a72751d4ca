package loadgen

import (
	"fmt"
	"strings"
)

// Platform names a chat platform people use.
type Platform string

// The platforms the generator speaks.
const (
	Slack    Platform = "slack"
	WeCom    Platform = "wecom"
	DingTalk Platform = "dingtalk"
)

// platforms is their order in an org and in reports.
var platforms = []Platform{Slack, WeCom, DingTalk}

// person is one simulated person.
type person struct {
	Platform Platform
	ID       string // their user id on the platform
	Name     string
	Manager  *person // nil for a manager
}

func (p *person) email() string { return strings.ToLower(p.ID) + "@load.example.com" }

// reportsPerManager is how many people each manager has, about a real
// team's span.
const reportsPerManager = 8

// Mix is how many people use each platform.
type Mix map[Platform]int

// ParseMix reads "slack=50,wecom=2000,dingtalk=100".
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		var n int
		if _, err := fmt.Sscanf(v, "%d", &n); !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("mix %q: want platform=count,... such as slack=50,wecom=2000,dingtalk=100", s)
		}
		p := Platform(k)
		switch p {
		case Slack, WeCom, DingTalk:
			m[p] = n
		default:
			return nil, fmt.Errorf("mix %q: unknown platform %q (slack, wecom or dingtalk)", s, k)
		}
	}
	return m, nil
}

// String is the mix as ParseMix reads it.
func (m Mix) String() string {
	var parts []string
	for _, p := range platforms {
		parts = append(parts, fmt.Sprintf("%s=%d", p, m[p]))
	}
	return strings.Join(parts, ",")
}

// org is the people of a run: on each platform, its employees and a
// manager for every reportsPerManager of them, on the same platform.
type org struct {
	employees []*person
	managers  []*person
}

func newOrg(m Mix) org {
	var o org
	for _, p := range platforms {
		prefix := strings.ToUpper(string(p[0]))
		var mgr *person
		for i := range m[p] {
			if i%reportsPerManager == 0 {
				id := fmt.Sprintf("%sM%05d", prefix, i/reportsPerManager)
				mgr = &person{Platform: p, ID: id, Name: "Load " + id}
				o.managers = append(o.managers, mgr)
			}
			id := fmt.Sprintf("%sE%05d", prefix, i)
			o.employees = append(o.employees, &person{Platform: p, ID: id, Name: "Load " + id, Manager: mgr})
		}
	}
	return o
}

// csv is the org as `perfbot org import` reads it.
func (o org) csv() string {
	var b strings.Builder
	b.WriteString("email,name,roles,manager_email,slack,wecom,dingtalk\n")
	row := func(p *person, role, manager string) {
		cells := map[Platform]string{p.Platform: p.ID}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s\n", p.email(), p.Name, role, manager, cells[Slack], cells[WeCom], cells[DingTalk])
	}
	for _, m := range o.managers {
		row(m, "manager", "")
	}
	for _, e := range o.employees {
		row(e, "employee", e.Manager.email())
	}
	return b.String()
}
