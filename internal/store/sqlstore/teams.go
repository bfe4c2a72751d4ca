package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// SaveTeam inserts t (setting t.ID) when t.ID is 0, or updates it. The
// channel keeps its platform, tenant and channel id.
func (s *Store) SaveTeam(ctx context.Context, t *store.Team) error {
	questions, err := jsonArg(t.Questions)
	if err != nil {
		return wrap("save team", err)
	}
	rules, err := json.Marshal(t.Rules)
	if err != nil {
		return wrap("save team", err)
	}
	args := []any{t.Name, questions, t.NotifyManager,
		string(t.Channel.Platform), t.Channel.Tenant, t.Channel.Channel, t.Deadline, t.Cadence, string(rules), t.PraiseFeed, string(t.ChannelPosts)}
	if t.ID != 0 {
		return s.execOne(ctx, "save team", `UPDATE teams SET
			name = ?, questions = ?, notify_manager = ?, channel_platform = ?, channel_tenant = ?, channel_id = ?,
			deadline = ?, cadence = ?, rules = ?, praise_feed = ?, channel_posts = ?
			WHERE id = ?`, append(args, t.ID)...)
	}
	err = s.queryRow(ctx, `INSERT INTO teams
		(name, questions, notify_manager, channel_platform, channel_tenant, channel_id, deadline, cadence, rules, praise_feed, channel_posts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&t.ID)
	if err != nil {
		return wrap("save team", err)
	}
	return nil
}

const teamCols = `id, name, questions, notify_manager, channel_platform, channel_tenant, channel_id, deadline, cadence, rules, praise_feed, channel_posts`

func scanTeam(sc scanner) (store.Team, error) {
	var t store.Team
	var platform, posts string
	err := sc.Scan(&t.ID, &t.Name, jsonCol[store.Question]{&t.Questions}, &t.NotifyManager,
		&platform, &t.Channel.Tenant, &t.Channel.Channel, &t.Deadline, &t.Cadence, objectCol[store.TeamRules]{&t.Rules}, &t.PraiseFeed, &posts)
	t.Channel.Platform, t.ChannelPosts = bot.Platform(platform), store.ChannelPosts(posts)
	return t, err
}

// Team reads the team with id.
func (s *Store) Team(ctx context.Context, id int64) (store.Team, error) {
	t, err := scanTeam(s.queryRow(ctx, `SELECT `+teamCols+` FROM teams WHERE id = ?`, id))
	if err != nil {
		return store.Team{}, wrap("team", err)
	}
	return t, nil
}

// TeamByName reads the team called name.
func (s *Store) TeamByName(ctx context.Context, name string) (store.Team, error) {
	t, err := scanTeam(s.queryRow(ctx, `SELECT `+teamCols+` FROM teams WHERE name = ?`, name))
	if err != nil {
		return store.Team{}, wrap("team by name", err)
	}
	return t, nil
}

// Teams lists every team, by name.
func (s *Store) Teams(ctx context.Context) ([]store.Team, error) {
	rows, err := s.query(ctx, `SELECT `+teamCols+` FROM teams ORDER BY name`)
	if err != nil {
		return nil, wrap("teams", err)
	}
	teams, err := collect(rows, scanTeam)
	if err != nil {
		return nil, wrap("teams", err)
	}
	return teams, nil
}

// DeleteTeam deletes team id; the schema leaves its members and rounds
// without a team (ON DELETE SET NULL).
func (s *Store) DeleteTeam(ctx context.Context, id int64) error {
	return s.execOne(ctx, "delete team", `DELETE FROM teams WHERE id = ?`, id)
}

// SaveGoal inserts g (setting g.ID) when g.ID is 0, or updates it.
func (s *Store) SaveGoal(ctx context.Context, g *store.Goal) error {
	if g.ID != 0 {
		return s.execOne(ctx, "save goal",
			`UPDATE goals SET person_id = ?, title = ?, target = ?, progress = ? WHERE id = ?`,
			g.PersonID, g.Title, g.Target, g.Progress, g.ID)
	}
	err := s.queryRow(ctx, `INSERT INTO goals (person_id, title, target, progress) VALUES (?, ?, ?, ?) RETURNING id`,
		g.PersonID, g.Title, g.Target, g.Progress).Scan(&g.ID)
	if err != nil {
		return wrap("save goal", err)
	}
	return nil
}

// Goals lists the goals of a person, oldest first.
func (s *Store) Goals(ctx context.Context, personID int64) ([]store.Goal, error) {
	rows, err := s.query(ctx, `SELECT id, person_id, title, target, progress FROM goals WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return nil, wrap("goals", err)
	}
	goals, err := collect(rows, func(sc scanner) (store.Goal, error) {
		var g store.Goal
		err := sc.Scan(&g.ID, &g.PersonID, &g.Title, &g.Target, &g.Progress)
		return g, err
	})
	if err != nil {
		return nil, wrap("goals", err)
	}
	return goals, nil
}
