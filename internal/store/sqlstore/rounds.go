package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

const roundCols = `id, person_id, period, opened_at, version, ` + roundDataCols

// roundDataCols are the columns a save writes, in the order of roundData.
const roundDataCols = `team_id, status, skip_reason, answers, goals, mood,
	started_at, submitted_at, updated_at, reviewed_by, reviewed_at, remind_at`

func scanRound(sc scanner) (store.Round, error) {
	var r store.Round
	err := sc.Scan(&r.ID, &r.PersonID, &r.Period, timeCol{&r.OpenedAt}, &r.Version,
		idCol{&r.TeamID}, (*string)(&r.Status), &r.SkipReason,
		jsonCol[store.Answer]{&r.Answers}, jsonCol[store.GoalProgress]{&r.Goals}, &r.Mood,
		timeCol{&r.StartedAt}, timeCol{&r.SubmittedAt}, timeCol{&r.UpdatedAt},
		idCol{&r.ReviewedBy}, timeCol{&r.ReviewedAt}, timeCol{&r.RemindAt})
	return r, err
}

// roundData is the arguments for roundDataCols. It brings the times of r to
// what the store keeps, so r reads back equal.
func (s *Store) roundData(r *store.Round) ([]any, error) {
	for _, t := range []*time.Time{&r.OpenedAt, &r.StartedAt, &r.SubmittedAt, &r.UpdatedAt, &r.ReviewedAt, &r.RemindAt} {
		*t = normTime(*t)
	}
	answers, err := jsonArg(r.Answers)
	if err != nil {
		return nil, err
	}
	goals, err := jsonArg(r.Goals)
	if err != nil {
		return nil, err
	}
	return []any{nullID(r.TeamID), string(r.Status), r.SkipReason, answers, goals, r.Mood,
		s.d.timeArg(r.StartedAt), s.d.timeArg(r.SubmittedAt), s.d.timeArg(r.UpdatedAt),
		nullID(r.ReviewedBy), s.d.timeArg(r.ReviewedAt), s.d.timeArg(r.RemindAt)}, nil
}

// OpenRound creates the round of r.PersonID for r.Period from r unless it
// exists. A new round is pending unless r says otherwise, opened now unless
// r says when, and at version 1. Concurrent calls create one round: the
// loser of the insert reads the winner's.
func (s *Store) OpenRound(ctx context.Context, r store.Round) (store.Round, bool, error) {
	r.UpdatedAt = s.now()
	if r.OpenedAt.IsZero() {
		r.OpenedAt = r.UpdatedAt
	}
	if r.Status == "" {
		r.Status = store.StatusPending
	}
	data, err := s.roundData(&r)
	if err != nil {
		return store.Round{}, false, wrap("open round", err)
	}
	args := append([]any{r.PersonID, r.Period, s.d.timeArg(r.OpenedAt)}, data...)
	created, err := scanRound(s.queryRow(ctx, `INSERT INTO rounds (person_id, period, opened_at, version, `+roundDataCols+`)
		VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, period) DO NOTHING
		RETURNING `+roundCols, args...))
	if err == nil {
		return created, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.Round{}, false, wrap("open round", err)
	}
	existing, err := scanRound(s.queryRow(ctx, `SELECT `+roundCols+` FROM rounds WHERE person_id = ? AND period = ?`,
		r.PersonID, r.Period))
	if err != nil {
		return store.Round{}, false, wrap("open round", err)
	}
	return existing, false, nil
}

// SaveRound writes r if its version is still the stored one, then sets
// r.Version and r.UpdatedAt to what was stored. r is unchanged on error.
func (s *Store) SaveRound(ctx context.Context, r *store.Round) error {
	next := *r
	next.UpdatedAt = s.now()
	data, err := s.roundData(&next)
	if err != nil {
		return wrap("save round", err)
	}
	res, err := s.exec(ctx, `UPDATE rounds SET (`+roundDataCols+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),
		version = version + 1
		WHERE id = ? AND version = ?`, append(data, r.ID, r.Version)...)
	if err != nil {
		return wrap("save round", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap("save round", err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: save round %d at version %d: %w", r.ID, r.Version, store.ErrConflict)
	}
	next.Version++
	*r = next
	return nil
}

// Round reads the round with id as v sees it.
func (s *Store) Round(ctx context.Context, v store.Viewer, id int64) (store.Round, error) {
	return s.oneRound(ctx, "round", v, []string{"id = ?"}, []any{id})
}

// RoundByPeriod reads the round of personID for period as v sees it.
func (s *Store) RoundByPeriod(ctx context.Context, v store.Viewer, personID int64, period string) (store.Round, error) {
	return s.oneRound(ctx, "round by period", v, []string{"person_id = ?", "period = ?"}, []any{personID, period})
}

// Rounds lists the rounds f selects that v may see, by period then person.
func (s *Store) Rounds(ctx context.Context, v store.Viewer, f store.RoundFilter) ([]store.Round, error) {
	var conds []string
	var args []any
	add := func(cond string, arg any) { conds, args = append(conds, cond), append(args, arg) }
	if f.PersonID != 0 {
		add("person_id = ?", f.PersonID)
	}
	if f.TeamID != 0 {
		add("team_id = ?", f.TeamID)
	}
	// ISO weeks ("2026-W08") order as text.
	if f.FromPeriod != "" {
		add("period >= ?", f.FromPeriod)
	}
	if f.ToPeriod != "" {
		add("period <= ?", f.ToPeriod)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if !f.RemindDue.IsZero() {
		add("remind_at IS NOT NULL AND remind_at <= ?", s.d.timeArg(normTime(f.RemindDue)))
	}
	rounds, err := s.rounds(ctx, v, conds, args)
	if err != nil {
		return nil, wrap("rounds", err)
	}
	return rounds, nil
}

func (s *Store) oneRound(ctx context.Context, op string, v store.Viewer, conds []string, args []any) (store.Round, error) {
	rounds, err := s.rounds(ctx, v, conds, args)
	if err != nil {
		return store.Round{}, wrap(op, err)
	}
	if len(rounds) == 0 {
		// Also when the round exists but v may not see it.
		return store.Round{}, wrap(op, sql.ErrNoRows)
	}
	return rounds[0], nil
}

// rounds reads the rounds matching all conds that v may see. The query
// decides visibility: v's own rounds and those of everyone below v in the
// manager chain (reports), or all of them when v holds the hr or admin role.
func (s *Store) rounds(ctx context.Context, v store.Viewer, conds []string, args []any) ([]store.Round, error) {
	q, all := asViewer(v, `SELECT `+roundCols+` FROM rounds`, conds, args,
		`person_id IN (SELECT id FROM reports) OR `+s.d.hasRole(2),
		int64(v), string(bot.RoleHR), string(bot.RoleAdmin))
	rows, err := s.query(ctx, q+` ORDER BY period, person_id`, all...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRound)
}
