package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/okr"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

// operatorTexts are the texts in the language of whoever runs the command:
// LC_ALL or LANG when they name a locale perfbot speaks ("zh_CN.UTF-8"),
// else perfbot's default locale.
func operatorTexts(env environment, cfg config.Config, c *i18n.Catalog) i18n.Texts {
	for _, v := range []string{"LC_ALL", "LANG"} {
		if loc := i18n.Normalize(strings.SplitN(env.getenv(v), ".", 2)[0]); loc != "" {
			return c.For(loc)
		}
	}
	return c.For(cfg.DefaultLocale)
}

// toldProblems is a goal file's problems as the operator reads them.
type toldProblems struct {
	text string
	err  error
}

func (e toldProblems) Error() string { return e.text }
func (e toldProblems) Unwrap() error { return e.err }

// tellProblems says err's problems with file, if it has them, in t.
func tellProblems(t i18n.Texts, file string, err error) error {
	var rows *orgfile.RowErrors
	if !errors.As(err, &rows) {
		return fmt.Errorf("%s: %w", file, err)
	}
	lines := []string{t.T("goalfile.problems", "File", file, "Count", len(rows.Errors)+rows.More)}
	for _, re := range rows.Errors {
		line := t.T("goalfile.problem", "Line", re.Line, "Message", re.Message)
		if re.Column != "" {
			line = t.T("goalfile.problem_cell", "Line", re.Line, "Column", re.Column, "Message", re.Message)
		}
		lines = append(lines, "  "+line)
	}
	if rows.More > 0 {
		lines = append(lines, "  "+t.T("goalfile.more", "Count", rows.More))
	}
	return toldProblems{strings.Join(lines, "\n"), err}
}

func goalImport(ctx context.Context, env environment, args []string) error {
	f, format, err := importFile("goal import", args)
	if err != nil {
		return err
	}
	defer f.Close()
	path := f.Name()
	return withApp(ctx, env, func(a *app) error {
		t := operatorTexts(env, a.cfg, a.texts)
		res, err := orgfile.ImportGoals(ctx, a.store, f, orgfile.GoalImportOptions{
			Format: format, Texts: t, Now: env.clock(), Actor: "cli"})
		if err != nil {
			return tellProblems(t, path, err)
		}
		fmt.Fprintln(env.stdout, t.T("goalfile.imported", "File", path, "Goals", res.Goals, "KeyResults", res.KeyResults))
		return nil
	})
}

func goalExport(ctx context.Context, env environment, args []string) error {
	var team string
	var e exportFlags
	if _, err := flags("goal export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&team, "team", "", "only this team's goals and its members' (default: everyone's)")
		e.define(fs)
	}); err != nil {
		return err
	}
	if err := e.check(); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		var teamID int64
		if team != "" {
			t, err := findTeam(ctx, a.store, team)
			if err != nil {
				return err
			}
			teamID = t.ID
		}
		return e.write(env.stdout, "row", func(w io.Writer) (int, error) {
			// The operator running the CLI reads as perfbot itself.
			return orgfile.ExportGoals(ctx, a.store, store.System, orgfile.GoalExportOptions{Format: e.format, TeamID: teamID}, w)
		})
	})
}

func goalTree(ctx context.Context, env environment, args []string) error {
	var team string
	if _, err := flags("goal tree", args, func(fs *flag.FlagSet) {
		fs.StringVar(&team, "team", "", "only this team's goals, its members' and the goals they support (default: all)")
	}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		t := operatorTexts(env, a.cfg, a.texts)
		var scope store.Team
		if team != "" {
			var err error
			if scope, err = findTeam(ctx, a.store, team); err != nil {
				return err
			}
		}
		people, err := a.store.People(ctx, store.PeopleFilter{})
		if err != nil {
			return err
		}
		objs, err := a.store.Objectives(ctx, store.System, store.ObjectiveFilter{})
		if err != nil {
			return err
		}
		names := make(map[int64]string, len(people))
		teamOf := make(map[int64]int64, len(people))
		for _, p := range people {
			names[p.ID], teamOf[p.ID] = p.Name, p.TeamID
		}
		// Rolled up over every goal; then cut to the team's branches.
		roots := okr.Tree(objs)
		if scope.ID != 0 {
			in := func(o store.Objective) bool {
				return (o.Level == store.LevelTeam && o.TeamID == scope.ID) ||
					(o.Level == store.LevelPerson && teamOf[o.OwnerID] == scope.ID)
			}
			roots = prune(roots, in)
		}
		if len(roots) == 0 {
			if scope.ID != 0 {
				fmt.Fprintln(env.stdout, t.T("goalfile.tree_team_none", "Team", bot.Neutralize(scope.Name)))
				return nil
			}
			fmt.Fprintln(env.stdout, t.T("goalfile.tree_none"))
			return nil
		}
		_, err = fmt.Fprintln(env.stdout, strings.Join(conversations.TreeLines(t, roots, names), "\n"))
		return err
	})
}

// prune keeps the nodes in scope, their descendants and their ancestors,
// with the progress rolled up over the whole tree.
func prune(nodes []*okr.Node, in func(store.Objective) bool) []*okr.Node {
	var kept []*okr.Node
	for _, n := range nodes {
		if in(n.Objective) {
			kept = append(kept, n)
			continue
		}
		if children := prune(n.Children, in); len(children) > 0 {
			c := *n
			c.Children = children
			kept = append(kept, &c)
		}
	}
	return kept
}
