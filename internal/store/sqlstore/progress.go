package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

const progressDataCols = `key_result_id, author_id, value, delta, confidence, why, evidence, media_id, late,
	no_evidence, automatic, source, at, dedup_key`

const progressCols = `id, ` + progressDataCols

func scanProgress(sc scanner) (store.ProgressUpdate, error) {
	var u store.ProgressUpdate
	err := sc.Scan(&u.ID, &u.KeyResultID, idCol{&u.AuthorID}, &u.Value, &u.Delta, (*string)(&u.Confidence), &u.Why,
		&u.Evidence, &u.MediaID, &u.Late, &u.NoEvidence, &u.Automatic, &u.Source, timeCol{&u.At}, stringCol{&u.DedupKey})
	return u, err
}

// AddProgress records u and moves its key result, in one transaction.
// It reports whether it recorded anything: false for a key already taken.
func (s *Store) AddProgress(ctx context.Context, u *store.ProgressUpdate) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *Store) (err error) {
		created, err = tx.addProgress(ctx, u)
		return err
	})
	return created, err
}

func (s *Store) addProgress(ctx context.Context, u *store.ProgressUpdate) (bool, error) {
	next := *u
	if next.At.IsZero() {
		next.At = s.clock()
	}
	// The day the update was made where it was made, for "late".
	day := next.At.Format(time.DateOnly)
	next.At = normTime(next.At)
	var (
		current float64
		due     string
		needs   bool
	)
	if err := s.queryRow(ctx, `SELECT current_value, due, requires_evidence FROM key_results WHERE id = ?`,
		next.KeyResultID).Scan(&current, &due, &needs); err != nil {
		return false, wrap("add progress", err)
	}
	next.Late = next.Late || (due != "" && day > due)
	next.NoEvidence = needs && next.Evidence == "" && next.MediaID == ""
	// The update first: one whose key is taken moves nothing.
	existed := false
	err := s.insertOnce(ctx, `INSERT INTO progress_updates (`+progressDataCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		[]any{next.KeyResultID, nullID(next.AuthorID), next.Value, 0.0, string(next.Confidence), next.Why, next.Evidence,
			next.MediaID, next.Late, next.NoEvidence, next.Automatic, next.Source, s.d.timeArg(next.At), nullString(next.DedupKey)},
		&next.ID, func() (err error) {
			existed = true
			next, err = scanProgress(s.queryRow(ctx, `SELECT `+progressCols+` FROM progress_updates WHERE dedup_key = ?`, next.DedupKey))
			return err
		})
	if err != nil {
		return false, wrap("add progress", err)
	}
	if existed {
		*u = next
		return false, nil
	}
	// An increment adds in the database, so concurrent ones add up.
	set, arg := `current_value = ?`, next.Value
	if next.Add {
		set = `current_value = current_value + ?`
	}
	var value float64
	if err := s.queryRow(ctx, `UPDATE key_results SET `+set+`, updated_at = ?,
		confidence = CASE WHEN ? = '' THEN confidence ELSE ? END WHERE id = ? RETURNING current_value`,
		arg, s.d.timeArg(next.At), string(next.Confidence), string(next.Confidence), next.KeyResultID).Scan(&value); err != nil {
		return false, wrap("add progress", err)
	}
	next.Delta = value - current
	if next.Add {
		next.Delta = next.Value
	}
	next.Value, next.Add = value, false
	if err := s.execOne(ctx, "add progress", `UPDATE progress_updates SET value = ?, delta = ? WHERE id = ?`,
		next.Value, next.Delta, next.ID); err != nil {
		return false, err
	}
	*u = next
	return true, nil
}

// ProgressUpdates lists the updates of key result id, oldest first, when v
// may see its objective.
func (s *Store) ProgressUpdates(ctx context.Context, v store.Viewer, keyResultID int64) ([]store.ProgressUpdate, error) {
	var objective int64
	if err := s.queryRow(ctx, `SELECT objective_id FROM key_results WHERE id = ?`, keyResultID).Scan(&objective); err != nil {
		return nil, wrap("progress updates", err)
	}
	if _, err := s.Objective(ctx, v, objective); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+progressCols+` FROM progress_updates WHERE key_result_id = ? ORDER BY at, id`, keyResultID)
	if err != nil {
		return nil, wrap("progress updates", err)
	}
	list, err := collect(rows, scanProgress)
	if err != nil {
		return nil, wrap("progress updates", err)
	}
	return list, nil
}

// ProgressTallies counts the updates of the key results of objectiveIDs
// that v may see, grouped in the database, a chunk of ids at a time.
func (s *Store) ProgressTallies(ctx context.Context, v store.Viewer, objectiveIDs []int64) (map[int64]store.ProgressTally, error) {
	out := map[int64]store.ProgressTally{}
	rule, ruleArgs := s.objectiveRule(v)
	for chunk := range slices.Chunk(objectiveIDs, keyResultsChunk) {
		ids := make([]any, len(chunk))
		for i, id := range chunk {
			ids[i] = id
		}
		in := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		q, all := asViewer(v, `SELECT u.key_result_id, COUNT(*),
			SUM(CASE WHEN u.late THEN 1 ELSE 0 END), SUM(CASE WHEN u.no_evidence THEN 1 ELSE 0 END),
			SUM(CASE WHEN u.automatic THEN 1 ELSE 0 END), MAX(u.at)
			FROM progress_updates u JOIN key_results k ON k.id = u.key_result_id`,
			[]string{`k.objective_id IN (` + in + `)`}, ids,
			`k.objective_id IN (SELECT id FROM objectives WHERE `+rule+`)`, ruleArgs...)
		rows, err := s.query(ctx, q+` GROUP BY u.key_result_id`, all...)
		if err != nil {
			return nil, wrap("progress tallies", err)
		}
		list, err := collect(rows, func(sc scanner) (t store.ProgressTally, err error) {
			return t, sc.Scan(&t.KeyResultID, &t.Updates, &t.Late, &t.NoEvidence, &t.Automatic, timeCol{&t.LastAt})
		})
		if err != nil {
			return nil, wrap("progress tallies", err)
		}
		for _, t := range list {
			out[t.KeyResultID] = t
		}
	}
	return out, nil
}

const changeDataCols = `objective_id, key_result_id, requester_id, new_target, new_due, reason, needs_hr, status,
	manager_by, manager_at, hr_by, hr_at, note, created_at, dedup_key`

const changeCols = `id, ` + changeDataCols

// floatCol scans a nullable number into *p, NULL as nil.
type floatCol struct{ p **float64 }

func (c floatCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = nil
	case float64:
		*c.p = &v
	case int64:
		f := float64(v)
		*c.p = &f
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a number", src)
	}
	return nil
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func scanChange(sc scanner) (store.GoalChange, error) {
	var c store.GoalChange
	err := sc.Scan(&c.ID, &c.ObjectiveID, &c.KeyResultID, &c.RequesterID, floatCol{&c.NewTarget}, &c.NewDue, &c.Reason,
		&c.NeedsHR, (*string)(&c.Status), idCol{&c.ManagerBy}, timeCol{&c.ManagerAt}, idCol{&c.HRBy}, timeCol{&c.HRAt},
		&c.Note, timeCol{&c.CreatedAt}, stringCol{&c.DedupKey})
	return c, err
}

// LatestProgress reads the last n updates of each key result of the
// objectives with objectiveIDs that v may see, in one query. Each key
// result's n newest are found by a short walk back from its newest in
// progress_updates_kr_idx (latestUpdates): a few index steps a key result
// however long its history, where numbering every update with a window
// function cost SQLite three times as much. Only a point's columns leave
// the database: the rest of an update was most of the reading. Who may see
// them is asked of those objectives alone, not of every objective there is.
func (s *Store) LatestProgress(ctx context.Context, v store.Viewer, objectiveIDs []int64, n int) (map[int64][]store.ProgressPoint, error) {
	out := map[int64][]store.ProgressPoint{}
	if len(objectiveIDs) == 0 {
		return out, nil
	}
	rule, ruleArgs := s.objectiveRule(v)
	ids := idsArg(objectiveIDs)
	from, args := ` FROM key_results k JOIN progress_updates u ON u.key_result_id = k.id`, []any{ids}
	if n > 0 {
		from = s.d.latestUpdates()
		args = []any{n, ids}
	}
	q, all := asViewer(v, `SELECT u.id, u.key_result_id, u.value, u.at`+from, []string{s.d.idsIn("k.objective_id")}, args,
		`k.objective_id IN (SELECT id FROM objectives WHERE `+s.d.idsIn("id")+` AND (`+rule+`))`, append([]any{ids}, ruleArgs...)...)
	rows, err := s.query(ctx, q+` ORDER BY u.key_result_id, u.at, u.id`, all...)
	if err != nil {
		return nil, wrap("latest progress", err)
	}
	list, err := collect(rows, func(sc scanner) (p store.ProgressPoint, err error) {
		return p, sc.Scan(&p.ID, &p.KeyResultID, &p.Value, timeCol{&p.At})
	})
	if err != nil {
		return nil, wrap("latest progress", err)
	}
	// In key result order: each one's points are a run of the list.
	for i := 0; i < len(list); {
		j := i + 1
		for j < len(list) && list[j].KeyResultID == list[i].KeyResultID {
			j++
		}
		out[list[i].KeyResultID] = list[i:j:j]
		i = j
	}
	return out, nil
}

// SaveGoalChange inserts c when c.ID is 0, created now unless c says when,
// or updates it.
func (s *Store) SaveGoalChange(ctx context.Context, c *store.GoalChange) error {
	next := *c
	if next.CreatedAt.IsZero() {
		next.CreatedAt = s.now()
	}
	next.CreatedAt, next.ManagerAt, next.HRAt = normTime(next.CreatedAt), normTime(next.ManagerAt), normTime(next.HRAt)
	if next.Status == "" {
		next.Status = store.ChangePending
	}
	args := []any{next.ObjectiveID, next.KeyResultID, next.RequesterID, nullFloat(next.NewTarget), next.NewDue, next.Reason,
		next.NeedsHR, string(next.Status), nullID(next.ManagerBy), s.d.timeArg(next.ManagerAt), nullID(next.HRBy),
		s.d.timeArg(next.HRAt), next.Note, s.d.timeArg(next.CreatedAt), nullString(next.DedupKey)}
	var err error
	if next.ID == 0 {
		err = s.insertOnce(ctx, `INSERT INTO goal_changes (`+changeDataCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args, &next.ID, func() (err error) {
			next, err = scanChange(s.queryRow(ctx, `SELECT `+changeCols+` FROM goal_changes WHERE dedup_key = ?`, next.DedupKey))
			return err
		})
	} else {
		err = s.execOne(ctx, "save goal change", `UPDATE goal_changes SET (`+changeDataCols+`) =
			(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(args, next.ID)...)
	}
	if err != nil {
		return wrap("save goal change", err)
	}
	*c = next
	return nil
}

// GoalChange reads the change request with id as v sees it.
func (s *Store) GoalChange(ctx context.Context, v store.Viewer, id int64) (store.GoalChange, error) {
	return only(s.changes(ctx, v, []string{"id = ?"}, []any{id}))("goal change")
}

// GoalChanges lists the change requests f selects that v may see, oldest
// first.
func (s *Store) GoalChanges(ctx context.Context, v store.Viewer, f store.ChangeFilter) ([]store.GoalChange, error) {
	var w where
	if f.ObjectiveID != 0 {
		w.add("objective_id = ?", f.ObjectiveID)
	}
	if f.RequesterID != 0 {
		w.add("requester_id = ?", f.RequesterID)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	list, err := s.changes(ctx, v, w.conds, w.args)
	if err != nil {
		return nil, wrap("goal changes", err)
	}
	return list, nil
}

// changes reads the change requests matching all conds that v may see:
// their requester, the owner's manager chain, and the hr role.
func (s *Store) changes(ctx context.Context, v store.Viewer, conds []string, args []any) ([]store.GoalChange, error) {
	q, all := asViewer(v, `SELECT `+changeCols+` FROM goal_changes`, conds, args,
		`requester_id = ? OR objective_id IN (SELECT id FROM objectives WHERE owner_id IN (SELECT id FROM reports)) OR `+s.d.hasRole(1),
		int64(v), int64(v), string(bot.RoleHR))
	rows, err := s.query(ctx, q+` ORDER BY created_at, id`, all...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanChange)
}
