package orgfile

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// GoalImportOptions configures ImportGoals.
type GoalImportOptions struct {
	// Format is FormatCSV or FormatXLSX.
	Format string
	// Texts are the operator's: the problems found are told in them.
	Texts i18n.Texts
	// Now is when the goals are agreed; an empty period is its quarter
	// (in UTC).
	Now time.Time
	// Actor is who the audit log says imported. Default "system".
	Actor string
}

// GoalImportResult counts what ImportGoals created.
type GoalImportResult struct {
	Goals      int
	KeyResults int
}

// goalAuditAction names goal import entries in the audit log.
const goalAuditAction = "goal.import"

// ImportGoals reads a goal file (FORMAT.md, "Goals") and creates its
// company, team and person goals, agreed (the people who import them are
// the ones who would approve them), aligned as the file says.
//
// It is all or nothing: every row is checked against the people, teams
// and goals perfbot has, in the transaction that then writes them, and if
// any has a problem the error is a [*RowErrors] listing them all, each
// told in opt.Texts, and nothing is written.
func ImportGoals(ctx context.Context, st store.Store, r io.Reader, opt GoalImportOptions) (GoalImportResult, error) {
	if err := checkFormat(opt.Format); err != nil {
		return GoalImportResult{}, fmt.Errorf("import goals: %w", err)
	}
	opt.Actor = cmp.Or(opt.Actor, "system")
	texts := goalTexts{opt.Texts}
	t, err := readTable(r, opt.Format)
	if err != nil {
		return GoalImportResult{}, fmt.Errorf("import goals: %w", texts.file(err))
	}
	var p problems
	f := parseGoalFile(t, texts, opt.Now.UTC().Format(time.DateOnly), &p)
	var res GoalImportResult
	err = st.InTx(ctx, func(tx store.Store) error {
		w, err := loadGoalWorld(ctx, tx)
		if err != nil {
			return err
		}
		order := f.check(w, texts, &p)
		if err := p.err(); err != nil {
			return err
		}
		for _, r := range order {
			o := r.o
			if r.parent != nil {
				o.ParentID = r.parent.o.ID
			}
			o.ApprovedAt, o.CreatedAt = opt.Now, opt.Now
			if err := tx.SaveObjective(ctx, &o); err != nil {
				return fmt.Errorf("line %d: save goal %q: %w", r.spec.line, r.spec.title, err)
			}
			r.o = o
			entry := store.AuditEntry{Actor: opt.Actor, Action: goalAuditAction, Object: fmt.Sprintf("objective:%d", o.ID),
				Detail: fmt.Sprintf("created from line %d", r.spec.line)}
			if err := tx.Audit(ctx, entry); err != nil {
				return fmt.Errorf("audit: %w", err)
			}
			res.Goals++
			res.KeyResults += len(o.KeyResults)
		}
		return nil
	})
	if err != nil {
		return GoalImportResult{}, fmt.Errorf("import goals: %w", err)
	}
	return res, nil
}

// loadGoalWorld reads what a goal file is checked against, each in one read.
func loadGoalWorld(ctx context.Context, st store.Store) (goalWorld, error) {
	s, err := loadSnapshot(ctx, st)
	if err != nil {
		return goalWorld{}, err
	}
	objs, err := st.Objectives(ctx, store.System, store.ObjectiveFilter{})
	if err != nil {
		return goalWorld{}, fmt.Errorf("read goals: %w", err)
	}
	w := goalWorld{people: s.people, byID: s.byID, teams: s.teams, goals: make(map[int64]store.Objective, len(objs))}
	for _, o := range objs {
		w.goals[o.ID] = o
	}
	return w, nil
}
