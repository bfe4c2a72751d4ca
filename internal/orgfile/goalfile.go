package orgfile

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// A goal file (FORMAT.md, "Goals") is one key result a row: the rows of a
// goal share its reference in the goal column and give the goal's own
// cells once. Reading and checking it is pure, over what the store held
// (goalWorld), so the whole of it can be fuzzed.

// The columns of a goal file.
const (
	gcGoal       = "goal"
	gcLevel      = "level"
	gcOwner      = "owner"
	gcLead       = "lead"
	gcPeriod     = "period"
	gcParent     = "parent"
	gcKind       = "kind"
	gcTitle      = "title"
	gcGoalWeight = "goal_weight"
	gcKR         = "kr"
	gcUnit       = "unit"
	gcStart      = "start"
	gcTarget     = "target"
	gcDirection  = "direction"
	gcDue        = "due"
	gcWeight     = "weight"
	gcEvidence   = "evidence"
)

// goalImportColumns are the columns an import reads, in FORMAT.md's order.
func goalImportColumns() []string {
	return []string{gcGoal, gcLevel, gcOwner, gcLead, gcPeriod, gcParent, gcKind, gcTitle, gcGoalWeight,
		gcKR, gcUnit, gcStart, gcTarget, gcDirection, gcDue, gcWeight, gcEvidence}
}

// goalCells are the columns that belong to the goal, not the key result:
// a goal's later rows leave them empty or repeat them.
var goalCells = []string{gcLevel, gcOwner, gcLead, gcPeriod, gcParent, gcKind, gcTitle, gcGoalWeight}

// The columns only an export has: an import skips them, so an exported
// file can be edited and imported (into another perfbot, say).
const (
	gcStatus     = "status"
	gcTeam       = "team"
	gcOwnerName  = "owner_name"
	gcProgress   = "progress"
	gcCurrent    = "current"
	gcKRProgress = "kr_progress"
	gcConfidence = "confidence"
	gcUpdates    = "updates"
	gcLate       = "late_updates"
	gcNoEvidence = "no_evidence_updates"
	gcAutomatic  = "automatic_updates"
	gcLastUpdate = "last_update"
)

func goalExportOnlyColumns() []string {
	return []string{gcStatus, gcTeam, gcOwnerName, gcProgress, gcCurrent, gcKRProgress, gcConfidence,
		gcUpdates, gcLate, gcNoEvidence, gcAutomatic, gcLastUpdate}
}

// maxKeyResults is how many key results an objective may have, as in chat.
const maxKeyResults = 5

// objectiveSpec is one goal of the file, its cells checked. (goalSpec is
// the org file's goals column.)
type objectiveSpec struct {
	line   int    // its first row
	ref    string // its goal cell; "" for a goal of one row
	level  store.GoalLevel
	owner  string // an email (lower case) or, for a team goal, a team's name
	lead   string // an email, lower case, or ""
	period string // a quarter, or "" for a range of its own
	starts string
	ends   string
	parent string // a reference of the file or a goal id; "" for none
	kind   store.GoalKind
	title  string
	weight float64
	krs    []krSpec
	// raw are its goal cells as first given, to compare later rows with.
	raw map[string]string
}

// krSpec is one key result of the file, with its row.
type krSpec struct {
	line int
	kr   store.KeyResult
}

// goalFile is a goal file read and checked on its own.
type goalFile struct {
	goals []*objectiveSpec // in file order; those with problems too (check skips nothing)
	byRef map[string]*objectiveSpec
}

// goalTexts says the problems of a goal file in the operator's language.
type goalTexts struct{ t i18n.Texts }

func (g goalTexts) say(id string, pairs ...any) string { return g.t.T("goalfile."+id, pairs...) }

// file tells the problems of a file too broken to read (readTable's) in
// the operator's language.
func (g goalTexts) file(err error) error {
	var rows *RowErrors
	if !errors.As(err, &rows) {
		return err
	}
	told := &RowErrors{More: rows.More}
	for _, re := range rows.Errors {
		switch {
		case re.Message == msgEmpty:
			re.Message = g.say("empty_file")
		case re.Message == msgNotUTF8:
			re.Message = g.say("not_utf8")
		case strings.HasPrefix(re.Message, msgBadCSV):
			re.Message = g.say("bad_csv", "Detail", strings.TrimPrefix(re.Message, msgBadCSV))
		}
		told.Errors = append(told.Errors, re)
	}
	return told
}

// excelEpoch is day 0 of Excel's serial dates (which count 1900 as a leap
// year: from March 1900 on, this epoch gives the right day).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDay reads a day: YYYY-MM-DD, or the serial number an XLSX cell that
// Excel made a date holds (2027-03-31 is 46477).
func parseDay(s string) (string, bool) {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s, true
	}
	if n, err := strconv.Atoi(s); err == nil && n > 60 && n < 2958466 {
		return excelEpoch.AddDate(0, 0, n).Format(time.DateOnly), true
	}
	return "", false
}

// quarterRE is a quarter: 2027-Q1 (q in any case).
var quarterRE = regexp.MustCompile(`^(\d{4})-[Qq]([1-4])$`)

// quarterOf is the quarter "2027-Q1" bounds: its first and last day.
func quarterOf(s string) (starts, ends string, ok bool) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	first := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
	return first.Format(time.DateOnly), first.AddDate(0, 3, -1).Format(time.DateOnly), true
}

// QuarterName is the quarter day (YYYY-MM-DD) is in: "2027-Q1".
func QuarterName(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())+2)/3)
}

// parsePeriod reads a period cell: a quarter, or two days joined by ".."
// or "~" (the full-width ～ too). Empty is the quarter of today.
func parsePeriod(s, today string) (name, starts, ends string, ok bool) {
	if s == "" {
		s = QuarterName(today)
	}
	if a, b, ok := quarterOf(s); ok {
		return strings.ToUpper(s), a, b, true
	}
	s = strings.ReplaceAll(s, "～", "~")
	for _, sep := range []string{"..", "~"} {
		a, b, found := strings.Cut(s, sep)
		if !found {
			continue
		}
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		da, err1 := time.Parse(time.DateOnly, a)
		db, err2 := time.Parse(time.DateOnly, b)
		if err1 != nil || err2 != nil || db.Before(da) {
			return "", "", "", false
		}
		return "", a, b, true
	}
	return "", "", "", false
}

// number reads a number cell: "1,500" and "1 500" too; not NaN or ±Inf.
func number(s string) (float64, bool) {
	s = strings.NewReplacer(",", "", " ", "", "，", "").Replace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseGoalFile checks every row of t on its own, adding what is wrong to p.
func parseGoalFile(t table, texts goalTexts, today string, p *problems) *goalFile {
	f := &goalFile{byRef: map[string]*objectiveSpec{}}
	cols, ok := parseGoalHeader(t, texts, p)
	if !ok {
		return f
	}
	for _, r := range t.rows {
		parseGoalRow(f, cols, t.header, r, texts, today, p)
	}
	for _, g := range f.goals {
		switch n := len(g.krs); {
		case g.kind == store.KindKPI && n != 1:
			p.add(g.line, gcKind, "%s", texts.say("kpi_one", "Count", n))
		case n > maxKeyResults:
			p.add(g.krs[maxKeyResults].line, gcKR, "%s", texts.say("too_many", "Max", maxKeyResults))
		}
	}
	return f
}

func parseGoalHeader(t table, texts goalTexts, p *problems) (columns, bool) {
	known := goalImportColumns()
	cols := columns{}
	ok := true
	for i, h := range t.header {
		if h == "" {
			continue
		}
		name := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(h))
		switch {
		case slices.Contains(goalExportOnlyColumns(), name):
			// An export's: skipped.
		case !slices.Contains(known, name):
			p.add(t.headerLine, h, "%s", texts.say("unknown_column", "Columns", strings.Join(known, ", ")))
			ok = false
		case cols.has(name):
			p.add(t.headerLine, name, "%s", texts.say("column_twice"))
			ok = false
		default:
			cols[name] = i
		}
	}
	for _, required := range []string{gcLevel, gcOwner, gcTitle} {
		if !cols.has(required) {
			p.add(t.headerLine, required, "%s", texts.say("missing_column"))
			ok = false
		}
	}
	return cols, ok
}

// parseGoalRow reads one row: a new goal, or a key result more of the goal
// its reference names.
func parseGoalRow(f *goalFile, cols columns, header []string, r row, texts goalTexts, today string, p *problems) {
	get := func(c string) string { return cols.get(r, c) }
	ref := get(gcGoal)
	g, more := f.byRef[ref]
	if ref == "" || !more {
		g = parseGoal(cols, r, texts, today, p)
		g.ref = ref
		f.goals = append(f.goals, g)
		if ref != "" {
			f.byRef[ref] = g
		}
	} else {
		for _, c := range goalCells {
			if v := get(c); v != "" && v != g.raw[c] {
				p.add(r.line, c, "%s", texts.say("differs", "Goal", quoteShort(ref), "Line", g.line))
			}
		}
	}
	if kr, ok := parseKeyResult(cols, r, g, texts, p); ok {
		g.krs = append(g.krs, krSpec{line: r.line, kr: kr})
	}
	// A value under no named column is a shifted row.
	for i, c := range r.cells {
		if c != "" && (i >= len(header) || header[i] == "") {
			p.add(r.line, "", "%s", texts.say("unnamed", "Value", quoteShort(c), "N", i+1))
			break
		}
	}
}

func parseGoal(cols columns, r row, texts goalTexts, today string, p *problems) *objectiveSpec {
	get := func(c string) string { return cols.get(r, c) }
	g := &objectiveSpec{line: r.line, raw: map[string]string{}, weight: 1}
	for _, c := range goalCells {
		g.raw[c] = get(c)
	}
	switch level := strings.ToLower(get(gcLevel)); level {
	case "":
		p.add(r.line, gcLevel, "%s", texts.say("required"))
	case string(store.LevelCompany), string(store.LevelTeam), string(store.LevelPerson):
		g.level = store.GoalLevel(level)
	default:
		p.add(r.line, gcLevel, "%s", texts.say("level", "Value", quoteShort(get(gcLevel))))
	}
	g.owner = get(gcOwner)
	switch {
	case g.owner == "":
		p.add(r.line, gcOwner, "%s", texts.say("required"))
	case g.level == store.LevelTeam:
	default:
		email, err := parseEmail(g.owner)
		if err != nil {
			p.add(r.line, gcOwner, "%s", texts.say("owner_email", "Value", quoteShort(g.owner)))
		}
		g.owner = email
	}
	if s := get(gcLead); s != "" {
		email, err := parseEmail(s)
		if err != nil {
			p.add(r.line, gcLead, "%s", texts.say("owner_email", "Value", quoteShort(s)))
		}
		g.lead = email
	}
	var ok bool
	if g.period, g.starts, g.ends, ok = parsePeriod(get(gcPeriod), today); !ok {
		p.add(r.line, gcPeriod, "%s", texts.say("period", "Value", quoteShort(get(gcPeriod))))
	}
	g.parent = strings.TrimPrefix(get(gcParent), "#")
	switch kind := strings.ToLower(get(gcKind)); kind {
	case "", string(store.KindOKR):
		g.kind = store.KindOKR
	case string(store.KindKPI):
		g.kind = store.KindKPI
	default:
		p.add(r.line, gcKind, "%s", texts.say("kind", "Value", quoteShort(get(gcKind))))
	}
	if g.title = get(gcTitle); g.title == "" {
		p.add(r.line, gcTitle, "%s", texts.say("required"))
	} else if n := len([]rune(g.title)); n > maxTitle {
		p.add(r.line, gcTitle, "%s", texts.say("too_long", "Count", n, "Max", maxTitle))
	}
	if s := get(gcGoalWeight); s != "" {
		if w, ok := number(s); !ok || w < 0 {
			p.add(r.line, gcGoalWeight, "%s", texts.say("weight", "Value", quoteShort(s)))
		} else {
			g.weight = w
		}
	}
	return g
}

// maxTitle bounds the title of a goal or key result, as in chat.
const maxTitle = 200

// parseKeyResult reads the key result cells of r, if it has any.
func parseKeyResult(cols columns, r row, g *objectiveSpec, texts goalTexts, p *problems) (store.KeyResult, bool) {
	get := func(c string) string { return cols.get(r, c) }
	krCols := []string{gcKR, gcUnit, gcStart, gcTarget, gcDirection, gcDue, gcWeight, gcEvidence}
	if !slices.ContainsFunc(krCols, func(c string) bool { return get(c) != "" }) {
		return store.KeyResult{}, false
	}
	before := len(p.list)
	k := store.KeyResult{Title: get(gcKR), Unit: get(gcUnit), Weight: 1}
	if k.Title == "" {
		p.add(r.line, gcKR, "%s", texts.say("required"))
	} else if n := len([]rune(k.Title)); n > maxTitle {
		p.add(r.line, gcKR, "%s", texts.say("too_long", "Count", n, "Max", maxTitle))
	}
	if s := get(gcStart); s != "" {
		var ok bool
		if k.Start, ok = number(s); !ok {
			p.add(r.line, gcStart, "%s", texts.say("number", "Value", quoteShort(s)))
		}
	}
	if s := get(gcTarget); s == "" {
		p.add(r.line, gcTarget, "%s", texts.say("required"))
	} else {
		var ok bool
		if k.Target, ok = number(s); !ok {
			p.add(r.line, gcTarget, "%s", texts.say("number", "Value", quoteShort(s)))
		}
	}
	k.Current = k.Start
	switch d := strings.ToLower(get(gcDirection)); d {
	case "":
		k.Direction = store.Up
		if k.Target < k.Start {
			k.Direction = store.Down
		}
	case string(store.Up), string(store.Down):
		k.Direction = store.Direction(d)
	default:
		p.add(r.line, gcDirection, "%s", texts.say("direction", "Value", quoteShort(get(gcDirection))))
	}
	if s := get(gcDue); s != "" {
		day, ok := parseDay(s)
		if !ok {
			p.add(r.line, gcDue, "%s", texts.say("date", "Value", quoteShort(s)))
		} else if g.starts != "" && (day < g.starts || day > g.ends) {
			p.add(r.line, gcDue, "%s", texts.say("due_outside", "Due", day, "Starts", g.starts, "Ends", g.ends))
		}
		k.Due = day
	}
	if s := get(gcWeight); s != "" {
		if w, ok := number(s); !ok || w < 0 {
			p.add(r.line, gcWeight, "%s", texts.say("weight", "Value", quoteShort(s)))
		} else {
			k.Weight = w
		}
	}
	switch s := strings.ToLower(get(gcEvidence)); s {
	case "", "no", "false", "0", "否":
	case "yes", "true", "1", "是":
		k.RequiresEvidence = true
	default:
		p.add(r.line, gcEvidence, "%s", texts.say("evidence", "Value", quoteShort(get(gcEvidence))))
	}
	return k, len(p.list) == before
}

// goalWorld is what the store holds that a goal file names.
type goalWorld struct {
	people map[string]bot.Person // by lower-case email
	byID   map[int64]bot.Person
	teams  map[string]store.Team // by lower-case name
	goals  map[int64]store.Objective
}

// resolved is a goal of the file as it will be saved: every name made an id.
type resolved struct {
	spec *objectiveSpec
	o    store.Objective
	// parent is the goal of the file it supports, or nil.
	parent *resolved
}

func levelRank(l store.GoalLevel) int {
	return slices.Index([]store.GoalLevel{store.LevelCompany, store.LevelTeam, store.LevelPerson}, l)
}

// check resolves the file's goals against w, adding what is wrong to p, and
// returns them parents first.
func (f *goalFile) check(w goalWorld, texts goalTexts, p *problems) []*resolved {
	out := make([]*resolved, len(f.goals))
	byRef := map[string]*resolved{}
	for i, g := range f.goals {
		r := &resolved{spec: g, o: store.Objective{Level: g.level, Kind: g.kind, Title: g.title, Period: g.period,
			Starts: g.starts, Ends: g.ends, Weight: g.weight, Status: store.GoalApproved}}
		for _, k := range g.krs {
			r.o.KeyResults = append(r.o.KeyResults, k.kr)
		}
		out[i] = r
		if g.ref != "" {
			byRef[g.ref] = r
		}
		f.resolveOwner(r, w, texts, p)
	}
	// Parents: a goal of the file first, else a goal perfbot has.
	for _, r := range out {
		g := r.spec
		if g.parent == "" || g.level == "" {
			continue
		}
		parentLevel := store.GoalLevel("")
		if pr, ok := byRef[g.parent]; ok {
			r.parent, parentLevel = pr, pr.spec.level
		} else if id, err := strconv.ParseInt(g.parent, 10, 64); err == nil && w.goals[id].ID != 0 {
			r.o.ParentID, parentLevel = id, w.goals[id].Level
		} else {
			p.add(g.line, gcParent, "%s", texts.say("no_parent", "Value", quoteShort(g.parent)))
			continue
		}
		if parentLevel != "" && levelRank(parentLevel) > levelRank(g.level) {
			p.add(g.line, gcParent, "%s", texts.say("parent_level", "Level", string(g.level), "Parent", string(parentLevel)))
		}
	}
	order, loops := parentsFirst(out)
	for _, r := range loops {
		p.add(r.spec.line, gcParent, "%s", texts.say("parent_loop", "Goal", quoteShort(r.spec.ref)))
	}
	f.checkDuplicates(out, w, texts, p)
	return order
}

// resolveOwner sets the owner (and team) of r's goal.
func (f *goalFile) resolveOwner(r *resolved, w goalWorld, texts goalTexts, p *problems) {
	g := r.spec
	person := func(column, email string) (int64, bool) {
		if email == "" {
			return 0, false
		}
		if pp, ok := w.people[email]; ok {
			return pp.ID, true
		}
		p.add(g.line, column, "%s", texts.say("no_person", "Email", email))
		return 0, false
	}
	switch g.level {
	case store.LevelCompany, store.LevelPerson:
		r.o.OwnerID, _ = person(gcOwner, g.owner)
		if g.lead != "" {
			p.add(g.line, gcLead, "%s", texts.say("lead_team_only"))
		}
	case store.LevelTeam:
		if g.owner == "" {
			return
		}
		t, ok := w.teams[strings.ToLower(g.owner)]
		if !ok {
			names := make([]string, 0, len(w.teams))
			for _, t := range w.teams {
				names = append(names, t.Name)
			}
			slices.Sort(names)
			p.add(g.line, gcOwner, "%s", texts.say("no_team", "Team", quoteShort(g.owner), "Teams", strings.Join(names, ", ")))
			return
		}
		r.o.TeamID = t.ID
		if g.lead != "" {
			r.o.OwnerID, _ = person(gcLead, g.lead)
			return
		}
		if r.o.OwnerID = teamLead(w, t.ID); r.o.OwnerID == 0 {
			p.add(g.line, gcLead, "%s", texts.say("no_lead", "Team", t.Name))
		}
	}
}

// teamLead is who a team goal without a lead is for: the one manager most
// of the team's members report to; 0 when there is none or a tie.
func teamLead(w goalWorld, teamID int64) int64 {
	count := map[int64]int{}
	for _, pp := range w.people {
		if pp.TeamID == teamID && pp.ManagerID != 0 {
			count[pp.ManagerID]++
		}
	}
	var best int64
	most, tie := 0, false
	for id, n := range count {
		switch {
		case n > most:
			best, most, tie = id, n, false
		case n == most:
			tie = true
		}
	}
	if tie {
		return 0
	}
	return best
}

// parentsFirst orders the goals so that a goal of the file comes after
// the one it supports, and returns the goals in a loop, cut from it.
func parentsFirst(list []*resolved) (order, loops []*resolved) {
	state := map[*resolved]int{} // 1 on the path, 2 done
	var visit func(r *resolved)
	visit = func(r *resolved) {
		// Walk up iteratively: the chain of parents to the first done one.
		var path []*resolved
		for at := r; at != nil && state[at] != 2; at = at.parent {
			if state[at] == 1 {
				loops = append(loops, at)
				at.parent = nil // cut, so the rest can be ordered
				break
			}
			state[at] = 1
			path = append(path, at)
		}
		for i := len(path) - 1; i >= 0; i-- {
			state[path[i]] = 2
			order = append(order, path[i])
		}
	}
	for _, r := range list {
		visit(r)
	}
	return order, loops
}

// goalKey is what makes two goals the same goal twice.
func goalKey(o store.Objective) string {
	return fmt.Sprintf("%s|%d|%d|%s|%s|%s|%s", o.Level, o.OwnerID, o.TeamID, o.Period, o.Starts, o.Ends,
		strings.ToLower(strings.TrimSpace(o.Title)))
}

func (f *goalFile) checkDuplicates(list []*resolved, w goalWorld, texts goalTexts, p *problems) {
	have := make(map[string]int64, len(w.goals))
	for _, o := range w.goals {
		have[goalKey(o)] = o.ID
	}
	seen := map[string]int{}
	for _, r := range list {
		if r.o.OwnerID == 0 || r.o.Level == "" || r.o.Title == "" {
			continue
		}
		k := goalKey(r.o)
		if id, ok := have[k]; ok {
			p.add(r.spec.line, gcTitle, "%s", texts.say("exists", "ID", id))
		} else if line, ok := seen[k]; ok {
			p.add(r.spec.line, gcTitle, "%s", texts.say("twice", "Line", line))
		} else {
			seen[k] = r.spec.line
		}
	}
}

// sortedGoals is objs ordered for an export: company, team, person goals;
// within a level by team, owner and id.
func sortedGoals(objs []store.Objective, teamOf func(store.Objective) string, ownerOf func(store.Objective) string) {
	slices.SortStableFunc(objs, func(a, b store.Objective) int {
		return cmp.Or(cmp.Compare(levelRank(a.Level), levelRank(b.Level)), strings.Compare(teamOf(a), teamOf(b)),
			strings.Compare(ownerOf(a), ownerOf(b)), cmp.Compare(a.ID, b.ID))
	})
}
