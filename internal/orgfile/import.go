package orgfile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// ImportOptions configures Import.
type ImportOptions struct {
	// Format is FormatCSV or FormatXLSX; FormatOf derives it from a path.
	Format string
	// Tenants is the tenant of each platform for identity cells that give
	// only a user id.
	Tenants map[bot.Platform]string
	// DefaultLocale and DefaultTimeZone are given to new people whose row
	// leaves them empty. They default to English and UTC.
	DefaultLocale   string
	DefaultTimeZone string
	// Actor is who the audit log says imported, e.g. "cli". Default "system".
	Actor string
}

// ImportResult counts what Import did.
type ImportResult struct {
	Created int // people created
	Updated int // people changed
	// Unchanged counts the people in the file that perfbot already had
	// exactly so; they are not written.
	Unchanged int
	Teams     int // teams created
}

// ErrInvalidOption is wrapped by the errors of Import about its options.
var ErrInvalidOption = errors.New("invalid import option")

// auditAction names import entries in the audit log.
const auditAction = "org.import"

// Import reads an organisation file (see FORMAT.md) and upserts its people
// by email, with their managers, teams, goals and identities.
//
// It is all or nothing. Every row is checked first, and if any has a
// problem the error is a [*RowErrors] listing them all and nothing is
// written. The writes then happen in one transaction, so a failing database
// leaves nothing behind either.
func Import(ctx context.Context, st store.Store, r io.Reader, opt ImportOptions) (ImportResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return ImportResult{}, err
	}
	t, err := readTable(r, opt.Format)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	var p problems
	f := parseFile(t, opt, &p)
	var res ImportResult
	err = st.InTx(ctx, func(tx store.Store) error {
		// Read the store in the transaction, so what is checked is what
		// is written over.
		s, err := loadSnapshot(ctx, tx)
		if err != nil {
			return err
		}
		if f.cols != nil {
			f.check(s, &p)
		}
		if err := p.err(); err != nil {
			return err
		}
		res, err = f.write(ctx, tx, s, opt)
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// withDefaults validates opt and fills in its defaults.
func (opt ImportOptions) withDefaults() (ImportOptions, error) {
	if err := checkFormat(opt.Format); err != nil {
		return opt, fmt.Errorf("import: %w", err)
	}
	var err error
	if opt.DefaultLocale, err = parseLocale(opt.DefaultLocale); err != nil {
		return opt, fmt.Errorf("import: %w: default locale: %w", ErrInvalidOption, err)
	}
	if opt.DefaultTimeZone, err = parseTimeZone(opt.DefaultTimeZone); err != nil {
		return opt, fmt.Errorf("import: %w: default time zone: %w", ErrInvalidOption, err)
	}
	opt.DefaultLocale = cmp.Or(opt.DefaultLocale, bot.LocaleEN)
	opt.DefaultTimeZone = cmp.Or(opt.DefaultTimeZone, "UTC")
	opt.Actor = cmp.Or(opt.Actor, "system")
	return opt, nil
}

// write saves the checked file: teams, then people (managers first), then
// their goals, with an audit entry for each person created or changed.
func (f *orgFile) write(ctx context.Context, tx store.Store, s snapshot, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	teams, err := f.writeTeams(ctx, tx, s, opt, &res)
	if err != nil {
		return res, err
	}
	ids := make(map[string]int64, len(f.entries)) // email -> id of the people written
	for _, e := range f.ordered() {
		old, exists := s.people[e.email]
		p := f.person(e, old, exists, s, teams, ids, opt)
		var changes []string
		if exists {
			changes = personChanges(old, p)
		}
		if !exists || len(changes) > 0 {
			if err := tx.SavePerson(ctx, &p); err != nil {
				return res, fmt.Errorf("line %d: save %s: %w", e.line, e.email, err)
			}
		}
		ids[e.email] = p.ID
		goals, err := writeGoals(ctx, tx, p.ID, exists, e.goals)
		if err != nil {
			return res, fmt.Errorf("line %d: goals of %s: %w", e.line, e.email, err)
		}
		changes = append(changes, goals...)

		var detail string
		switch {
		case !exists:
			res.Created++
			detail = fmt.Sprintf("created from line %d", e.line)
		case len(changes) > 0:
			res.Updated++
			detail = fmt.Sprintf("updated from line %d: %s", e.line, strings.Join(changes, ", "))
		default:
			res.Unchanged++
			continue
		}
		entry := store.AuditEntry{Actor: opt.Actor, Action: auditAction, Object: fmt.Sprintf("person:%d", p.ID), Detail: detail}
		if err := tx.Audit(ctx, entry); err != nil {
			return res, fmt.Errorf("audit: %w", err)
		}
	}
	return res, nil
}

// writeTeams creates the teams the file names that do not exist yet, and
// returns the id of every team named, by lower-case name.
func (f *orgFile) writeTeams(ctx context.Context, tx store.Store, s snapshot, opt ImportOptions, res *ImportResult) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, e := range f.entries {
		key := strings.ToLower(e.team)
		if _, done := ids[key]; done || e.team == "" {
			continue
		}
		if t, ok := s.teams[key]; ok {
			ids[key] = t.ID
			continue
		}
		// A new team sends each check-in to the person's manager: that is
		// what check-ins are for, until someone sets the team otherwise.
		t := store.Team{Name: e.team, NotifyManager: true}
		if err := tx.SaveTeam(ctx, &t); err != nil {
			return nil, fmt.Errorf("line %d: create team %q: %w", e.line, e.team, err)
		}
		entry := store.AuditEntry{Actor: opt.Actor, Action: auditAction, Object: fmt.Sprintf("team:%d", t.ID), Detail: fmt.Sprintf("created from line %d", e.line)}
		if err := tx.Audit(ctx, entry); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		ids[key] = t.ID
		res.Teams++
	}
	return ids, nil
}
