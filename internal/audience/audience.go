// Package audience reads who an HR broadcast is for, as typed in chat or
// given to the command line ("everyone", "team Platform, dept Sales, role
// manager, a@example.com"), and finds those people. Chat and the CLI share
// it, so both mean the same people by the same words.
package audience

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrEmpty is an audience that names nobody.
var ErrEmpty = errors.New("audience: names nobody")

// BadItemError is a part of an audience that is not one of its forms.
type BadItemError struct{ Item string }

func (e *BadItemError) Error() string { return fmt.Sprintf("audience: cannot read %q", e.Item) }

// BadRoleError is a role perfbot does not have.
type BadRoleError struct{ Role string }

func (e *BadRoleError) Error() string { return fmt.Sprintf("audience: no role %q", e.Role) }

// kinds are the words that start an item, in either language; the value
// follows after a space or a colon (the Chinese words need neither).
var kinds = []struct {
	words []string
	add   func(a *store.Audience, v string)
}{
	{[]string{"team", "团队", "小组"}, func(a *store.Audience, v string) { a.Teams = append(a.Teams, v) }},
	{[]string{"department", "dept", "部门"}, func(a *store.Audience, v string) { a.Departments = append(a.Departments, v) }},
	{[]string{"role", "角色"}, func(a *store.Audience, v string) { a.Roles = append(a.Roles, bot.Role(strings.ToLower(v))) }},
	{[]string{"email", "邮箱"}, func(a *store.Audience, v string) { a.Emails = append(a.Emails, v) }},
}

var everyoneWords = map[string]bool{"everyone": true, "all": true, "everybody": true, "所有人": true, "全员": true, "全体": true, "大家": true}

// Parse reads an audience: items separated by commas (or 、 ， ;), each
// "everyone", "team NAME", "dept NAME", "role ROLE", "email ADDRESS" (or
// "team:NAME" and so on), or an email address alone.
func Parse(s string) (store.Audience, error) {
	var a store.Audience
	items := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，、;；", r) })
	for _, raw := range items {
		item := strings.TrimSpace(raw)
		if item == "" {
			continue
		}
		if err := parseItem(&a, item); err != nil {
			return store.Audience{}, err
		}
	}
	for _, r := range a.Roles {
		if !slices.Contains(bot.Roles, r) {
			return store.Audience{}, &BadRoleError{Role: string(r)}
		}
	}
	if a.IsZero() {
		return store.Audience{}, ErrEmpty
	}
	return a, nil
}

func parseItem(a *store.Audience, item string) error {
	lower := strings.ToLower(item)
	if everyoneWords[lower] {
		a.Everyone = true
		return nil
	}
	for _, k := range kinds {
		for _, w := range k.words {
			rest, ok := strings.CutPrefix(lower, w)
			if !ok {
				continue
			}
			// The value keeps its case: team names are shown back.
			v := rest
			if len(lower) == len(item) {
				v = item[len(item)-len(rest):]
			}
			ascii := w[0] < 0x80
			if ascii && !strings.HasPrefix(v, " ") && !strings.HasPrefix(v, ":") {
				continue // "teams", "rolex": not this word
			}
			v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
			if v == "" {
				return &BadItemError{Item: item}
			}
			k.add(a, v)
			return nil
		}
	}
	if strings.Contains(item, "@") && !strings.ContainsAny(item, " \t") {
		a.Emails = append(a.Emails, item)
		return nil
	}
	return &BadItemError{Item: item}
}

// String writes a back in the form Parse reads.
func String(a store.Audience) string {
	var parts []string
	if a.Everyone {
		parts = append(parts, "everyone")
	}
	for _, t := range a.Teams {
		parts = append(parts, item("team", t))
	}
	for _, d := range a.Departments {
		parts = append(parts, item("dept", d))
	}
	for _, r := range a.Roles {
		parts = append(parts, item("role", string(r)))
	}
	for _, e := range a.Emails {
		// An address alone, as people type it, unless alone it would read
		// as something else ("email all", "email team:x@y").
		var back store.Audience
		if parseItem(&back, e) == nil && slices.Equal(back.Emails, []string{e}) {
			parts = append(parts, e)
		} else {
			parts = append(parts, item("email", e))
		}
	}
	return strings.Join(parts, ", ")
}

// item writes "word value", or "word: value" when the value itself starts
// with a colon, which Parse would take for the separator.
func item(word, v string) string {
	if strings.HasPrefix(v, ":") {
		return word + ": " + v
	}
	return word + " " + v
}

// Directory is where Resolve finds people and teams.
type Directory interface {
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
	Teams(ctx context.Context) ([]store.Team, error)
}

// Resolution is who an audience is.
type Resolution struct {
	// People are the recipients, each once, by id.
	People []bot.Person
	// Missing are the items that matched nobody, as String writes them.
	Missing []string
}

// IDs are the recipients' ids.
func (r Resolution) IDs() []int64 {
	ids := make([]int64, len(r.People))
	for i, p := range r.People {
		ids[i] = p.ID
	}
	return ids
}

// Resolve finds the people a names: anyone matching any of its items.
// Names, departments and emails match in any case.
func Resolve(ctx context.Context, dir Directory, a store.Audience) (Resolution, error) {
	everybody, err := dir.People(ctx, store.PeopleFilter{})
	if err != nil {
		return Resolution{}, fmt.Errorf("audience: people: %w", err)
	}
	teams, err := dir.Teams(ctx)
	if err != nil {
		return Resolution{}, fmt.Errorf("audience: teams: %w", err)
	}
	var res Resolution
	chosen := map[int64]bool{}
	// pick adds everyone match selects, or notes item as missing.
	pick := func(item string, match func(bot.Person) bool) {
		found := false
		for _, p := range everybody {
			if match(p) {
				chosen[p.ID], found = true, true
			}
		}
		if !found {
			res.Missing = append(res.Missing, item)
		}
	}
	if a.Everyone {
		pick("everyone", func(bot.Person) bool { return true })
	}
	for _, name := range a.Teams {
		i := slices.IndexFunc(teams, func(t store.Team) bool { return strings.EqualFold(t.Name, name) })
		if i < 0 {
			res.Missing = append(res.Missing, "team "+name)
			continue
		}
		id := teams[i].ID
		pick("team "+name, func(p bot.Person) bool { return p.TeamID == id })
	}
	for _, d := range a.Departments {
		pick("dept "+d, func(p bot.Person) bool { return strings.EqualFold(p.Department, d) })
	}
	for _, r := range a.Roles {
		pick("role "+string(r), func(p bot.Person) bool { return p.Has(r) })
	}
	for _, e := range a.Emails {
		pick(e, func(p bot.Person) bool { return p.Email != "" && strings.EqualFold(p.Email, e) })
	}
	for _, p := range everybody {
		if chosen[p.ID] {
			res.People = append(res.People, p)
		}
	}
	slices.SortFunc(res.People, func(x, y bot.Person) int { return cmp.Compare(x.ID, y.ID) })
	return res, nil
}
