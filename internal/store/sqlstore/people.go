package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// SavePerson inserts p (setting p.ID) when p.ID is 0, or updates it, and
// replaces its identities, all in one transaction.
func (s *Store) SavePerson(ctx context.Context, p *bot.Person) error {
	roles, err := jsonArg(p.Roles)
	if err != nil {
		return wrap("save person", err)
	}
	id := p.ID
	err = s.inTx(ctx, func(tx *Store) error {
		args := []any{p.Name, nullString(p.Email), p.Locale, p.TimeZone, roles,
			nullID(p.ManagerID), p.Department, nullID(p.TeamID), p.AwayUntil}
		if id == 0 {
			err := tx.queryRow(ctx, `INSERT INTO people
				(name, email, locale, time_zone, roles, manager_id, department, team_id, away_until)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&id)
			if err != nil {
				return wrap("save person", err)
			}
		} else {
			err := tx.execOne(ctx, "save person", `UPDATE people SET
				name = ?, email = ?, locale = ?, time_zone = ?, roles = ?, manager_id = ?, department = ?, team_id = ?,
				away_until = ?
				WHERE id = ?`, append(args, id)...)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM identities WHERE person_id = ?`, id); err != nil {
				return wrap("save person", err)
			}
		}
		for _, i := range p.Identities {
			_, err := tx.exec(ctx, `INSERT INTO identities (person_id, platform, tenant, user_id)
				VALUES (?, ?, ?, ?)`, id, string(i.Platform), i.Tenant, i.UserID)
			if err != nil {
				return wrap("save person identity "+i.String(), err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// Person reads the person with id.
func (s *Store) Person(ctx context.Context, id int64) (bot.Person, error) {
	return s.onePerson(ctx, "person", "p.id = ?", id)
}

// PersonByEmail reads the person with email, in any case.
func (s *Store) PersonByEmail(ctx context.Context, email string) (bot.Person, error) {
	return s.onePerson(ctx, "person by email", "lower(p.email) = lower(?)", email)
}

// PersonByIdentity reads the person who has identity id.
func (s *Store) PersonByIdentity(ctx context.Context, id bot.Identity) (bot.Person, error) {
	return s.onePerson(ctx, "person by identity",
		"p.id = (SELECT person_id FROM identities WHERE platform = ? AND tenant = ? AND user_id = ?)",
		string(id.Platform), id.Tenant, id.UserID)
}

// People lists the people f selects, by name.
func (s *Store) People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error) {
	var conds []string
	var args []any
	if f.TeamID != 0 {
		conds, args = append(conds, "p.team_id = ?"), append(args, f.TeamID)
	}
	if f.ManagerID != 0 {
		conds, args = append(conds, "p.manager_id = ?"), append(args, f.ManagerID)
	}
	if f.Away {
		conds = append(conds, "p.away_until <> ''")
	}
	people, err := s.people(ctx, conds, args)
	if err != nil {
		return nil, wrap("people", err)
	}
	return people, nil
}

func (s *Store) onePerson(ctx context.Context, op, cond string, args ...any) (bot.Person, error) {
	people, err := s.people(ctx, []string{cond}, args)
	if err != nil {
		return bot.Person{}, wrap(op, err)
	}
	if len(people) == 0 {
		return bot.Person{}, wrap(op, sql.ErrNoRows)
	}
	return people[0], nil
}

// people reads the people matching all conds with their identities, in one
// statement so a concurrent SavePerson cannot split the two.
func (s *Store) people(ctx context.Context, conds []string, args []any) ([]bot.Person, error) {
	q := `SELECT p.id, p.name, p.email, p.locale, p.time_zone, p.roles, p.manager_id, p.department, p.team_id,
		p.away_until, i.platform, i.tenant, i.user_id
		FROM people p LEFT JOIN identities i ON i.person_id = p.id`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY p.name, p.id, i.id"
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Person
	for rows.Next() {
		var (
			p                        bot.Person
			platform, tenant, userID sql.NullString
		)
		err := rows.Scan(&p.ID, &p.Name, stringCol{&p.Email}, &p.Locale, &p.TimeZone, jsonCol[bot.Role]{&p.Roles},
			idCol{&p.ManagerID}, &p.Department, idCol{&p.TeamID}, &p.AwayUntil, &platform, &tenant, &userID)
		if err != nil {
			return nil, err
		}
		// One row per identity: the person's columns repeat.
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			out = append(out, p)
		}
		if platform.Valid {
			last := &out[len(out)-1]
			last.Identities = append(last.Identities,
				bot.Identity{Platform: bot.Platform(platform.String), Tenant: tenant.String, UserID: userID.String})
		}
	}
	return out, rows.Err()
}

// ClearAway ends the absence of person id if it is still the one until
// names, and reports whether it did: of several replicas noticing the same
// return, one does.
func (s *Store) ClearAway(ctx context.Context, id int64, until string) (bool, error) {
	res, err := s.exec(ctx, `UPDATE people SET away_until = '' WHERE id = ? AND away_until = ? AND away_until <> ''`, id, until)
	if err != nil {
		return false, wrap("clear away", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrap("clear away", err)
	}
	return n == 1, nil
}
