package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

const objectiveDataCols = `level, owner_id, team_id, parent_id, kind, title, period, starts_on, ends_on, status,
	weight, note, approved_by, approved_at, changed_by, created_at, updated_at, version, dedup_key`

const objectiveCols = `id, ` + objectiveDataCols

func scanObjective(sc scanner) (store.Objective, error) {
	var o store.Objective
	err := sc.Scan(&o.ID, (*string)(&o.Level), &o.OwnerID, idCol{&o.TeamID}, idCol{&o.ParentID}, (*string)(&o.Kind),
		&o.Title, &o.Period, &o.Starts, &o.Ends, (*string)(&o.Status), &o.Weight, &o.Note, idCol{&o.ApprovedBy},
		timeCol{&o.ApprovedAt}, idCol{&o.ChangedBy}, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt}, &o.Version,
		stringCol{&o.DedupKey})
	return o, err
}

const keyResultDataCols = `objective_id, position, title, unit, start_value, target, current_value, direction, due,
	weight, confidence, requires_evidence, updated_at, ref`

// automaticCol is what business events added to a key result, read with
// it (progress_updates_kr_idx finds its updates).
const automaticCol = `(SELECT COALESCE(SUM(p.delta), 0) FROM progress_updates p
	WHERE p.key_result_id = key_results.id AND p.automatic)`

func scanKeyResult(sc scanner) (store.KeyResult, error) {
	var k store.KeyResult
	var position int
	err := sc.Scan(&k.ID, &k.ObjectiveID, &position, &k.Title, &k.Unit, &k.Start, &k.Target, &k.Current,
		(*string)(&k.Direction), &k.Due, &k.Weight, (*string)(&k.Confidence), &k.RequiresEvidence, timeCol{&k.UpdatedAt}, &k.Ref,
		&k.Automatic)
	return k, err
}

// checkObjective refuses what the tables' checks would, with a clearer
// error.
func checkObjective(o *store.Objective) error {
	switch {
	case !slices.Contains([]store.GoalLevel{store.LevelCompany, store.LevelTeam, store.LevelPerson}, o.Level):
		return fmt.Errorf("unknown goal level %q", o.Level)
	case o.Kind != store.KindOKR && o.Kind != store.KindKPI:
		return fmt.Errorf("unknown goal kind %q", o.Kind)
	case !slices.Contains([]store.GoalStatus{store.GoalDraft, store.GoalPending, store.GoalApproved, store.GoalChanges}, o.Status):
		return fmt.Errorf("unknown goal status %q", o.Status)
	case o.Level == store.LevelTeam && o.TeamID == 0:
		return fmt.Errorf("a team goal needs its team")
	case o.Weight < 0:
		return fmt.Errorf("negative weight")
	case o.ID != 0 && o.ParentID == o.ID:
		return fmt.Errorf("goal %d cannot support itself", o.ID)
	}
	for _, k := range o.KeyResults {
		if k.Direction != store.Up && k.Direction != store.Down {
			return fmt.Errorf("key result %q: unknown direction %q", k.Title, k.Direction)
		}
		if k.Weight < 0 {
			return fmt.Errorf("key result %q: negative weight", k.Title)
		}
	}
	return nil
}

// SaveObjective inserts o with its key results, or updates it at its
// version, and keeps the version it made; all in one transaction.
func (s *Store) SaveObjective(ctx context.Context, o *store.Objective) error {
	if err := checkObjective(o); err != nil {
		return fmt.Errorf("sqlstore: save objective: %w", err)
	}
	return s.inTx(ctx, func(tx *Store) error { return tx.saveObjective(ctx, o) })
}

func (s *Store) saveObjective(ctx context.Context, o *store.Objective) error {
	next := *o
	next.KeyResults = slices.Clone(o.KeyResults)
	now := s.now()
	next.UpdatedAt = now
	if next.CreatedAt.IsZero() {
		next.CreatedAt = now
	}
	next.CreatedAt, next.ApprovedAt = normTime(next.CreatedAt), normTime(next.ApprovedAt)
	args := func(version int64) []any {
		return []any{string(next.Level), next.OwnerID, nullID(next.TeamID), nullID(next.ParentID), string(next.Kind),
			next.Title, next.Period, next.Starts, next.Ends, string(next.Status), next.Weight, next.Note, nullID(next.ApprovedBy),
			s.d.timeArg(next.ApprovedAt), nullID(next.ChangedBy), s.d.timeArg(next.CreatedAt), s.d.timeArg(next.UpdatedAt),
			version, nullString(next.DedupKey)}
	}
	if next.ID == 0 {
		next.Version = 1
		existed := false
		err := s.insertOnce(ctx, `INSERT INTO objectives (`+objectiveDataCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args(1), &next.ID, func() (err error) {
			existed = true
			next, err = only(s.objectives(ctx, store.System, []string{"dedup_key = ?"}, []any{next.DedupKey}))("objective by key")
			return err
		})
		if err != nil {
			return wrap("save objective", err)
		}
		if existed {
			*o = next
			return nil
		}
	} else {
		n, err := s.execCount(ctx, "save objective", `UPDATE objectives SET (`+objectiveDataCols+`) =
			(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ? AND version = ?`,
			append(args(next.Version+1), next.ID, next.Version)...)
		if err != nil {
			return err
		}
		if n == 0 {
			if _, err := s.Objective(ctx, store.System, next.ID); err != nil {
				return err
			}
			return fmt.Errorf("sqlstore: save objective %d at version %d: %w", next.ID, next.Version, store.ErrConflict)
		}
		next.Version++
	}
	if err := s.saveKeyResults(ctx, &next); err != nil {
		return err
	}
	snapshot, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("sqlstore: save objective: %w", err)
	}
	if _, err := s.exec(ctx, `INSERT INTO objective_versions (objective_id, version, changed_by, at, snapshot)
		VALUES (?, ?, ?, ?, ?)`, next.ID, next.Version, nullID(next.ChangedBy), s.d.timeArg(now), string(snapshot)); err != nil {
		return wrap("save objective version", err)
	}
	*o = next
	return nil
}

// saveKeyResults makes o's key results the stored ones: updated by id,
// inserted without, and the rest deleted.
func (s *Store) saveKeyResults(ctx context.Context, o *store.Objective) error {
	rows, err := s.query(ctx, `SELECT id FROM key_results WHERE objective_id = ?`, o.ID)
	if err != nil {
		return wrap("key results", err)
	}
	had, err := collect(rows, func(sc scanner) (id int64, err error) { return id, sc.Scan(&id) })
	if err != nil {
		return wrap("key results", err)
	}
	var kept []int64
	for i := range o.KeyResults {
		k := &o.KeyResults[i]
		k.ObjectiveID = o.ID
		if k.UpdatedAt.IsZero() {
			k.UpdatedAt = o.UpdatedAt
		}
		k.UpdatedAt = normTime(k.UpdatedAt)
		args := []any{o.ID, i, k.Title, k.Unit, k.Start, k.Target, k.Current, string(k.Direction), k.Due, k.Weight,
			string(k.Confidence), k.RequiresEvidence, s.d.timeArg(k.UpdatedAt), k.Ref}
		switch {
		case k.ID == 0:
			err = s.queryRow(ctx, `INSERT INTO key_results (`+keyResultDataCols+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&k.ID)
			if err != nil {
				return wrap("save key result", err)
			}
		case slices.Contains(had, k.ID):
			if err := s.execOne(ctx, "save key result", `UPDATE key_results SET (`+keyResultDataCols+`) =
				(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(args, k.ID)...); err != nil {
				return err
			}
		default:
			return fmt.Errorf("sqlstore: save key result %d of objective %d: %w", k.ID, o.ID, store.ErrNotFound)
		}
		kept = append(kept, k.ID)
	}
	for _, id := range had {
		if !slices.Contains(kept, id) {
			if _, err := s.exec(ctx, `DELETE FROM key_results WHERE id = ?`, id); err != nil {
				return wrap("delete key result", err)
			}
		}
	}
	return nil
}

// Objective reads the objective with id, with its key results, as v sees
// it.
func (s *Store) Objective(ctx context.Context, v store.Viewer, id int64) (store.Objective, error) {
	return only(s.objectives(ctx, v, []string{"id = ?"}, []any{id}))("objective")
}

// Objectives lists the objectives f selects that v may see, company goals
// first, then team, then person, each by id.
func (s *Store) Objectives(ctx context.Context, v store.Viewer, f store.ObjectiveFilter) ([]store.Objective, error) {
	var w where
	if f.OwnerID != 0 {
		w.add("owner_id = ?", f.OwnerID)
	}
	if f.TeamID != 0 {
		w.add("team_id = ?", f.TeamID)
	}
	if f.ParentID != 0 {
		w.add("parent_id = ?", f.ParentID)
	}
	if f.Level != "" {
		w.add("level = ?", string(f.Level))
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Period != "" {
		w.add("period = ?", f.Period)
	}
	if len(f.OwnerIDs) > 0 {
		w.add(s.d.idsIn("owner_id"), idsArg(f.OwnerIDs))
	}
	list, err := s.objectives(ctx, v, w.conds, w.args)
	if err != nil {
		return nil, wrap("objectives", err)
	}
	return list, nil
}

// objectiveRule is who may see an objective (see store.GoalStore), as a
// condition over objectives' columns that may use reports(id), and its
// arguments after the viewer's id.
func (s *Store) objectiveRule(v store.Viewer) (string, []any) {
	return `owner_id IN (SELECT id FROM reports) OR ` + s.d.hasRole(1) + ` OR (status = ? AND (level = ? OR
		(level = ? AND team_id IN (SELECT member.team_id FROM people member WHERE member.id IN (SELECT id FROM reports)))))`,
		[]any{int64(v), string(bot.RoleHR), string(store.GoalApproved), string(store.LevelCompany), string(store.LevelTeam)}
}

// objectives reads the objectives matching all conds that v may see, and
// their key results.
func (s *Store) objectives(ctx context.Context, v store.Viewer, conds []string, args []any) ([]store.Objective, error) {
	rule, ruleArgs := s.objectiveRule(v)
	q, all := asViewer(v, `SELECT `+objectiveCols+` FROM objectives`, conds, args, rule, ruleArgs...)
	rows, err := s.query(ctx, q+` ORDER BY CASE level WHEN 'company' THEN 0 WHEN 'team' THEN 1 ELSE 2 END, id`, all...)
	if err != nil {
		return nil, err
	}
	list, err := collect(rows, scanObjective)
	if err != nil {
		return nil, err
	}
	return list, s.keyResultsOf(ctx, list)
}

// keyResultsChunk bounds the ids of one IN list.
const keyResultsChunk = 500

// keyResultsOf reads the key results of list into it, in their order.
func (s *Store) keyResultsOf(ctx context.Context, list []store.Objective) error {
	at := make(map[int64]int, len(list))
	for i, o := range list {
		at[o.ID] = i
	}
	for chunk := range slices.Chunk(list, keyResultsChunk) {
		ids := make([]any, len(chunk))
		for i, o := range chunk {
			ids[i] = o.ID
		}
		rows, err := s.query(ctx, `SELECT id, `+keyResultDataCols+`, `+automaticCol+` FROM key_results WHERE objective_id IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) ORDER BY objective_id, position`, ids...)
		if err != nil {
			return err
		}
		krs, err := collect(rows, scanKeyResult)
		if err != nil {
			return err
		}
		for _, k := range krs {
			o := &list[at[k.ObjectiveID]]
			o.KeyResults = append(o.KeyResults, k)
		}
	}
	return nil
}

// ObjectiveVersions lists every kept version of objective id, oldest
// first, when v may see it.
func (s *Store) ObjectiveVersions(ctx context.Context, v store.Viewer, id int64) ([]store.GoalVersion, error) {
	if _, err := s.Objective(ctx, v, id); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT version, changed_by, at, snapshot FROM objective_versions
		WHERE objective_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, wrap("objective versions", err)
	}
	list, err := collect(rows, func(sc scanner) (store.GoalVersion, error) {
		var g store.GoalVersion
		var snapshot []byte
		if err := sc.Scan(&g.Version, idCol{&g.ChangedBy}, timeCol{&g.At}, &snapshot); err != nil {
			return g, err
		}
		return g, json.Unmarshal(snapshot, &g.Objective)
	})
	if err != nil {
		return nil, wrap("objective versions", err)
	}
	return list, nil
}
