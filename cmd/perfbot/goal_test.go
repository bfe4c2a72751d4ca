package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// goalOrgCSV is the people internal/orgfile/testdata/goals.csv names.
const goalOrgCSV = "email,name,roles,manager_email,team\n" +
	"wang.fang@example.com,王芳,hr,,\n" +
	"li.wei@example.com,李伟,manager,wang.fang@example.com,Platform\n" +
	"anna.schmidt@example.com,Anna Schmidt,manager,wang.fang@example.com,增长 Growth\n" +
	"marcus.johnson@example.com,Marcus Johnson,,anna.schmidt@example.com,增长 Growth\n"

// badGoalsCSV has problems on every line but the header; none is imported.
const badGoalsCSV = "goal,level,owner,lead,period,parent,kind,title,goal_weight,kr,unit,start,target,direction,due,weight,evidence\n" +
	"X1,region,wang.fang@example.com,,2027-Q5,,,Bad level,,KR,,0,abc,,,,\n" +
	"X2,person,nobody@example.com,,2027-Q1,X9,,No owner,,KR,,0,10,sideways,2027-05-01,,maybe\n" +
	"X3,team,Nowhere,,2027-Q1,,kpi,Two KRs,,A,,0,1,,,,\n" +
	"X3,,,,,,,,,B,,0,1,,,,\n" +
	"X3,company,,,,,,,,C,,0,1,,,,\n" +
	"X4,company,wang.fang@example.com,,2027-Q1,X5,,Loop A,,,,,,,,,\n" +
	"X5,company,wang.fang@example.com,,2027-Q1,X4,,Loop B,,,,,,,,,\n" +
	"X6,company,wang.fang@example.com,,2027-Q1,X2,,Under a person,,,,,,,,,\n"

// goalBackends are the databases the goal commands are tested on.
var goalBackends = map[string]func(t *testing.T) map[string]string{
	"sqlite": sqliteVars,
	"postgres": func(t *testing.T) map[string]string {
		return map[string]string{"PERFBOT_DATABASE_URL": testdb.Postgres(t)}
	},
}

func TestGoalCommands(t *testing.T) {
	for name, vars := range goalBackends {
		t.Run(name, func(t *testing.T) { testGoalCommands(t, vars(t), vars(t)) })
	}
}

func testGoalCommands(t *testing.T, vars, fresh map[string]string) {
	ctx := context.Background()
	dir := t.TempDir()
	org := filepath.Join(dir, "org.csv")
	require.NoError(t, os.WriteFile(org, []byte(goalOrgCSV), 0o600))
	for _, v := range []map[string]string{vars, fresh} {
		code, _, stderr := perfbot(t, v, "org", "import", org)
		require.Equal(t, 0, code, stderr)
	}
	good, err := filepath.Abs("../../internal/orgfile/testdata/goals.csv")
	require.NoError(t, err)

	// A bad file: nothing imported, every problem by line and column.
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte(badGoalsCSV), 0o600))
	code, _, stderr := perfbot(t, vars, "goal", "import", bad)
	require.Equal(t, 1, code)
	for _, want := range []string{
		bad + ": nothing was imported; 13 problems in the file:",
		`line 2, column level: "region" is not a level: write company, team or person`,
		`line 2, column period: "2027-Q5" is not a quarter like 2027-Q1 or a date range like 2027-01-01..2027-03-31`,
		`line 2, column target: "abc" is not a number`,
		`line 3, column owner: nobody in perfbot has the email nobody@example.com`,
		`line 3, column parent: "X9" is neither a goal of this file nor the id of a goal in perfbot`,
		`line 3, column direction: "sideways" is not a direction: write up or down`,
		`line 3, column due: 2027-05-01 is outside the goal's period, 2027-01-01 to 2027-03-31`,
		`line 3, column evidence: "maybe": write yes or no`,
		`line 4, column owner: no team named "Nowhere" (teams: Platform, 增长 Growth)`,
		`line 4, column kind: a KPI has exactly one key result; this goal has 3`,
		`line 6, column level: this row adds a key result to goal "X3" of line 4; leave the goal's cells empty or the same`,
		`line 7, column parent: goal "X4" supports itself, through its parents`,
		`line 9, column parent: a company goal cannot support a person goal`,
	} {
		require.Contains(t, stderr, want)
	}
	code, _, stderr = perfbot(t, withVar(vars, "LANG", "zh_CN.UTF-8"), "goal", "import", bad)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, bad+"：未导入任何内容；文件中有 13 个问题：")
	require.Contains(t, stderr, `第 2 行，target 列："abc" 不是数字`)

	st, err := sqlstore.Open(ctx, vars["PERFBOT_DATABASE_URL"], time.Now)
	require.NoError(t, err)
	defer st.Close()
	objs, err := st.Objectives(ctx, store.System, store.ObjectiveFilter{})
	require.NoError(t, err)
	require.Empty(t, objs, "nothing of a bad file is imported")

	// The example file.
	code, stdout, stderr := perfbot(t, vars, "goal", "import", good)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "imported "+good+": 4 goals with 6 key results, agreed\n", stdout)
	objs, err = st.Objectives(ctx, store.System, store.ObjectiveFilter{})
	require.NoError(t, err)
	require.Len(t, objs, 4)
	person := func(email string) int64 {
		p, err := st.PersonByEmail(ctx, email)
		require.NoError(t, err)
		return p.ID
	}
	growth, err := st.TeamByName(ctx, "增长 Growth")
	require.NoError(t, err)
	c1, g1, p1, p2 := objs[0], objs[1], objs[2], objs[3]
	require.Equal(t, store.Objective{ID: c1.ID, Level: store.LevelCompany, OwnerID: person("wang.fang@example.com"),
		Kind: store.KindKPI, Title: "Revenue 12M", Period: "2027-Q1", Starts: "2027-01-01", Ends: "2027-03-31",
		Status: store.GoalApproved, Weight: 1, Version: 1},
		withoutTimes(c1))
	require.Equal(t, []store.KeyResult{{Title: "Revenue", Unit: "M", Target: 12, Direction: store.Up, Due: "2027-03-31", Weight: 1}},
		krsOf(c1))
	require.Equal(t, "Grow weekly active teams", g1.Title)
	require.Equal(t, store.LevelTeam, g1.Level)
	require.Equal(t, growth.ID, g1.TeamID)
	require.Equal(t, person("anna.schmidt@example.com"), g1.OwnerID, "the lead answers for the team's goal")
	require.Equal(t, c1.ID, g1.ParentID)
	require.Equal(t, 2.0, g1.Weight)
	require.Equal(t, []store.KeyResult{
		{Title: "Weekly active teams", Unit: "teams", Start: 300, Current: 300, Target: 500, Direction: store.Up, Due: "2027-03-31", Weight: 2},
		{Title: "Churn", Unit: "%", Start: 8, Current: 8, Target: 4, Direction: store.Down, Due: "2027-03-15", Weight: 1, RequiresEvidence: true},
	}, krsOf(g1))
	require.Equal(t, g1.ID, p1.ParentID, "a parent by its reference in the file")
	require.Equal(t, person("marcus.johnson@example.com"), p1.OwnerID)
	require.Len(t, p1.KeyResults, 2)
	require.Equal(t, "Launch the partner program", p1.Title)
	require.Equal(t, c1.ID, p2.ParentID)
	require.Equal(t, []string{"", "2027-01-01", "2027-02-28"}, []string{p2.Period, p2.Starts, p2.Ends})
	require.Equal(t, store.Down, p2.KeyResults[0].Direction, "a target below the start goes down")
	require.Equal(t, "Platform uptime", p2.Title)

	// The same file again: every goal is there already.
	code, _, stderr = perfbot(t, vars, "goal", "import", good)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "4 problems in the file:")
	require.Contains(t, stderr, fmt.Sprintf("line 7, column title: perfbot already has this goal, with the same owner and period (goal %d)", p2.ID))

	// Progress, as check-ins and a hook make it.
	partners, revenue, incidents, churn := p1.KeyResults[0], p1.KeyResults[1], p2.KeyResults[0], g1.KeyResults[1]
	for _, u := range []store.ProgressUpdate{
		{KeyResultID: partners.ID, AuthorID: p1.OwnerID, Value: 7, At: time.Date(2027, 3, 25, 9, 0, 0, 0, time.UTC)},
		{KeyResultID: revenue.ID, Value: 100, Add: true, Automatic: true, Source: "deal_won", At: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)},
		{KeyResultID: incidents.ID, AuthorID: p2.OwnerID, Value: 2, Confidence: store.AtRisk, At: time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)},
		{KeyResultID: churn.ID, AuthorID: g1.OwnerID, Value: 6, At: time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)},
	} {
		_, err := st.AddProgress(ctx, &u)
		require.NoError(t, err)
	}

	// By hand: P1 = (7/10 + 100/200) / 2 = 60 %; G1 rolls up its one child,
	// P1: 60 %; P2 = (6-2)/(6-1) = 80 %; C1 = (2×60 % + 1×80 %) / 3 = 67 %.
	code, stdout, stderr = perfbot(t, vars, "goal", "tree")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "• Revenue 12M (王芳)  ▓▓▓▓▓▓▓░░░ 67%\n"+
		"   • Grow weekly active teams (Anna Schmidt)  ▓▓▓▓▓▓░░░░ 60%\n"+
		"      • Launch the partner program (Marcus Johnson)  ▓▓▓▓▓▓░░░░ 60%\n"+
		"   • Platform uptime (李伟)  ▓▓▓▓▓▓▓▓░░ 80%\n", stdout)
	code, stdout, stderr = perfbot(t, vars, "goal", "tree", "--team", "增长 Growth")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "• Revenue 12M (王芳)  ▓▓▓▓▓▓▓░░░ 67%\n"+
		"   • Grow weekly active teams (Anna Schmidt)  ▓▓▓▓▓▓░░░░ 60%\n"+
		"      • Launch the partner program (Marcus Johnson)  ▓▓▓▓▓▓░░░░ 60%\n", stdout,
		"the company goal the team supports stays, rolled up over everyone")
	code, stdout, stderr = perfbot(t, withVar(vars, "LANG", "zh_CN.UTF-8"), "goal", "tree", "--team", "Platform")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "• Revenue 12M（王芳）  ▓▓▓▓▓▓▓░░░ 67%\n   • Platform uptime（李伟）  ▓▓▓▓▓▓▓▓░░ 80%\n", stdout, "in Chinese")
	code, _, stderr = perfbot(t, vars, "goal", "tree", "--team", "Sales")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, `no team named "Sales"`)

	// The export: per key result, with progress and what the updates were.
	code, stdout, stderr = perfbot(t, vars, "goal", "export")
	require.Equal(t, 0, code, stderr)
	rows := readCSV(t, stdout)
	require.Len(t, rows, 6)
	partnersRow := rowWith(t, rows, "kr", "Partners signed")
	require.Equal(t, map[string]string{"goal": fmt.Sprint(p1.ID), "parent": fmt.Sprint(g1.ID), "team": "增长 Growth",
		"owner": "marcus.johnson@example.com", "progress": "60%", "current": "7", "kr_progress": "70%", "updates": "1",
		"late_updates": "1", "no_evidence_updates": "0", "automatic_updates": "0", "last_update": "2027-03-25T09:00:00Z"},
		pick(partnersRow, "goal", "parent", "team", "owner", "progress", "current", "kr_progress", "updates", "late_updates",
			"no_evidence_updates", "automatic_updates", "last_update"))
	require.Equal(t, "1", rowWith(t, rows, "kr", "Partner revenue")["automatic_updates"])
	require.Equal(t, "1", rowWith(t, rows, "kr", "Churn")["no_evidence_updates"])
	require.Equal(t, "at_risk", rowWith(t, rows, "kr", "Incidents")["confidence"])
	require.Equal(t, "增长 Growth", rowWith(t, rows, "kr", "Churn")["owner"], "a team goal's owner is the team")
	code, stdout, stderr = perfbot(t, vars, "goal", "export", "--team", "Platform")
	require.Equal(t, 0, code, stderr)
	require.Len(t, readCSV(t, stdout), 1, "Li Wei's goal only")

	// Round trip: the XLSX export imports into another perfbot as the same goals.
	out := filepath.Join(dir, "goals.xlsx")
	code, stdout, stderr = perfbot(t, vars, "goal", "export", "--format", "xlsx", "-o", out)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "wrote 6 rows to "+out+"\n", stdout)
	code, stdout, stderr = perfbot(t, fresh, "goal", "import", out)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "imported "+out+": 4 goals with 6 key results, agreed\n", stdout)
	other, err := sqlstore.Open(ctx, fresh["PERFBOT_DATABASE_URL"], time.Now)
	require.NoError(t, err)
	defer other.Close()
	again, err := other.Objectives(ctx, store.System, store.ObjectiveFilter{})
	require.NoError(t, err)
	require.Equal(t, shapes(t, ctx, st, objs), shapes(t, ctx, other, again))
}

// withVar is vars and one more.
func withVar(vars map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

// withoutTimes is o without what the store stamps, and without key results.
func withoutTimes(o store.Objective) store.Objective {
	o.CreatedAt, o.UpdatedAt, o.ApprovedAt, o.KeyResults = time.Time{}, time.Time{}, time.Time{}, nil
	return o
}

// krsOf are o's key results without ids and times.
func krsOf(o store.Objective) []store.KeyResult {
	out := make([]store.KeyResult, len(o.KeyResults))
	for i, k := range o.KeyResults {
		k.ID, k.ObjectiveID, k.UpdatedAt = 0, 0, time.Time{}
		out[i] = k
	}
	return out
}

// shapes are goals as a file says them: owners by email, parents by
// title, key results without their progress.
func shapes(t *testing.T, ctx context.Context, st *sqlstore.Store, objs []store.Objective) []string {
	title := map[int64]string{}
	for _, o := range objs {
		title[o.ID] = o.Title
	}
	var out []string
	for _, o := range objs {
		owner, err := st.Person(ctx, o.OwnerID)
		require.NoError(t, err)
		team := ""
		if o.TeamID != 0 {
			tm, err := st.Team(ctx, o.TeamID)
			require.NoError(t, err)
			team = tm.Name
		}
		s := fmt.Sprintf("%s %s %s/%s %s-%s %s %s w%v parent=%q:", o.Level, owner.Email, team, o.Period, o.Starts, o.Ends,
			o.Kind, o.Title, o.Weight, title[o.ParentID])
		for _, k := range o.KeyResults {
			s += fmt.Sprintf(" [%s %s %v→%v %s %s w%v %v]", k.Title, k.Unit, k.Start, k.Target, k.Direction, k.Due, k.Weight, k.RequiresEvidence)
		}
		out = append(out, s)
	}
	slices.Sort(out) // the export orders goals by team, not as the file did
	return out
}

// readCSV reads an export into rows by column name.
func readCSV(t *testing.T, s string) []map[string]string {
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func rowWith(t *testing.T, rows []map[string]string, col, value string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if r[col] == value {
			return r
		}
	}
	require.Failf(t, "no row", "%s=%s", col, value)
	return nil
}

func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

func TestGoalHelp(t *testing.T) {
	code, stdout, _ := perfbot(t, nil, "help")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "perfbot goal import ")
	code, stdout, _ = perfbot(t, nil, "help", "goal")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "usage: perfbot goal COMMAND")
	for _, c := range []string{"import", "export", "tree"} {
		require.Contains(t, stdout, "  perfbot goal "+c+" ")
	}
	code, stdout, _ = perfbot(t, nil, "help", "goal", "export")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "usage: perfbot goal export [--team T] [--format csv|xlsx] [-o FILE]")
	require.Contains(t, stdout, "--team")
	code, _, stderr := perfbot(t, nil, "goal", "import")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "takes one FILE")
	code, _, stderr = perfbot(t, sqliteVars(t), "goal", "export", "--format", "ods")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "--format must be csv or xlsx")
}
