package orgfile

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// snapshot is what the store holds that an import depends on, read once in
// the import's transaction. Reading everyone up front costs one query where
// looking people up row by row would cost several per row.
type snapshot struct {
	people     map[string]bot.Person // by lower-case email
	byID       map[int64]bot.Person
	byIdentity map[bot.Identity]bot.Person
	teams      map[string]store.Team // by lower-case name
}

func loadSnapshot(ctx context.Context, st store.Store) (snapshot, error) {
	people, err := st.People(ctx, store.PeopleFilter{})
	if err != nil {
		return snapshot{}, fmt.Errorf("read people: %w", err)
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return snapshot{}, fmt.Errorf("read teams: %w", err)
	}
	s := snapshot{
		people:     make(map[string]bot.Person, len(people)),
		byID:       make(map[int64]bot.Person, len(people)),
		byIdentity: make(map[bot.Identity]bot.Person, len(people)),
		teams:      make(map[string]store.Team, len(teams)),
	}
	for _, p := range people {
		s.people[strings.ToLower(p.Email)] = p
		s.byID[p.ID] = p
		for _, id := range p.Identities {
			s.byIdentity[id] = p
		}
	}
	for _, t := range teams {
		s.teams[strings.ToLower(t.Name)] = t
	}
	return s, nil
}

// check adds to p what is wrong with the file given what the store holds:
// managers nobody knows, identities someone else has, manager cycles.
func (f *orgFile) check(s snapshot, p *problems) {
	for _, e := range f.entries {
		if e.manager != "" {
			_, inFile := f.lines[e.manager]
			if _, inStore := s.people[e.manager]; !inFile && !inStore {
				p.add(e.line, colManager, "no person has the email %s, in the file or in perfbot", e.manager)
			}
		}
		for _, id := range e.identities {
			if owner, ok := s.byIdentity[id]; ok && strings.ToLower(owner.Email) != e.email {
				p.add(e.line, string(id.Platform), "%s already belongs to %s", id.UserID, owner.Email)
			}
		}
	}
	f.checkCycles(s, p)
}

// checkCycles rejects managers that would make someone their own manager
// through others. The chain is followed as it will be after the import:
// through the file where it says, through the store beyond it.
func (f *orgFile) checkCycles(s snapshot, p *problems) {
	for _, e := range f.entries {
		chain := []string{e.email}
		seen := map[string]bool{e.email: true}
		for m := f.managerOf(s, e.email); m != ""; m = f.managerOf(s, m) {
			chain = append(chain, m)
			if m == e.email {
				// Report a cycle once, on its first line in the file.
				if f.firstLine(chain) == e.line {
					p.add(e.line, colManager, "managers go round in a circle: %s", strings.Join(chain, " → "))
				}
				break
			}
			if seen[m] {
				break // a circle above e, reported on a line of its own
			}
			seen[m] = true
		}
	}
}

// managerOf returns the email of the manager the person with email will
// have after the import, or "".
func (f *orgFile) managerOf(s snapshot, email string) string {
	if e, ok := f.byEmail[email]; ok && f.cols.has(colManager) {
		return e.manager
	}
	if p, ok := s.people[email]; ok {
		if m, ok := s.byID[p.ManagerID]; ok {
			return strings.ToLower(m.Email)
		}
	}
	return ""
}

// firstLine returns the smallest line of the emails that are in the file.
func (f *orgFile) firstLine(emails []string) int {
	first := 0
	for _, m := range emails {
		if e, ok := f.byEmail[m]; ok && (first == 0 || e.line < first) {
			first = e.line
		}
	}
	return first
}

// ordered returns the entries with every manager in the file before their
// reports, so that a manager's id is known when a report is saved. It
// relies on checkCycles having passed.
func (f *orgFile) ordered() []*entry {
	depth := make(map[*entry]int, len(f.entries))
	var depthOf func(e *entry) int
	depthOf = func(e *entry) int {
		if d, ok := depth[e]; ok {
			return d
		}
		d := 0
		if m, ok := f.byEmail[e.manager]; ok && f.cols.has(colManager) {
			d = depthOf(m) + 1
		}
		depth[e] = d
		return d
	}
	sorted := slices.Clone(f.entries)
	slices.SortStableFunc(sorted, func(a, b *entry) int { return cmp.Compare(depthOf(a), depthOf(b)) })
	return sorted
}
