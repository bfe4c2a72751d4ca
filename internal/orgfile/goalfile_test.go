package orgfile

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

func goalTextsFor(t testing.TB, locale string) goalTexts {
	c, err := i18n.Load(locale)
	require.NoError(t, err)
	return goalTexts{c.For(locale)}
}

// testWorld is a small perfbot: Ada (hr) over Mia, who leads Sales (Dan,
// Eve); Sam and Tom report to different people in Support; one company
// goal, 7.
func testWorld() goalWorld {
	people := []bot.Person{
		{ID: 1, Email: "ada@example.com"}, {ID: 2, Email: "mia@example.com", ManagerID: 1, TeamID: 10},
		{ID: 3, Email: "dan@example.com", ManagerID: 2, TeamID: 10}, {ID: 4, Email: "eve@example.com", ManagerID: 2, TeamID: 10},
		{ID: 5, Email: "sam@example.com", ManagerID: 1, TeamID: 11}, {ID: 6, Email: "tom@example.com", ManagerID: 2, TeamID: 11},
	}
	w := goalWorld{people: map[string]bot.Person{}, byID: map[int64]bot.Person{},
		teams: map[string]store.Team{"sales": {ID: 10, Name: "Sales"}, "support": {ID: 11, Name: "Support"}},
		goals: map[int64]store.Objective{7: {ID: 7, Level: store.LevelCompany, OwnerID: 1, Title: "Revenue", Period: "2027-Q1",
			Starts: "2027-01-01", Ends: "2027-03-31"}}}
	for _, p := range people {
		w.people[p.Email], w.byID[p.ID] = p, p
	}
	return w
}

// checkGoals reads and checks a CSV goal file against testWorld.
func checkGoals(t testing.TB, data []byte) ([]*resolved, *goalFile, []RowError, error) {
	tab, err := readTable(bytes.NewReader(data), FormatCSV)
	if err != nil {
		return nil, nil, nil, err
	}
	texts := goalTextsFor(t, bot.LocaleEN)
	var p problems
	f := parseGoalFile(tab, texts, "2027-02-10", &p)
	order := f.check(testWorld(), texts, &p)
	return order, f, p.list, nil
}

func TestParsePeriod(t *testing.T) {
	for _, tt := range []struct{ in, name, starts, ends string }{
		{"2027-Q1", "2027-Q1", "2027-01-01", "2027-03-31"},
		{"2027-q4", "2027-Q4", "2027-10-01", "2027-12-31"},
		{"", "2027-Q1", "2027-01-01", "2027-03-31"}, // today's quarter
		{"2027-01-15..2027-02-15", "", "2027-01-15", "2027-02-15"},
		{"2027-01-15 ～ 2027-02-15", "", "2027-01-15", "2027-02-15"},
	} {
		name, starts, ends, ok := parsePeriod(tt.in, "2027-02-10")
		require.True(t, ok, tt.in)
		require.Equal(t, []string{tt.name, tt.starts, tt.ends}, []string{name, starts, ends}, tt.in)
	}
	for _, bad := range []string{"2027-Q5", "2027-Q0", "Q1", "2027-03-01..2027-02-01", "2027-02-30..2027-03-01", "soon"} {
		_, _, _, ok := parsePeriod(bad, "2027-02-10")
		require.False(t, ok, bad)
	}
}

func TestGoalFileTeamLead(t *testing.T) {
	order, _, problems, err := checkGoals(t, []byte("level,owner,title,kr,target\nteam,sales,Win the north,Deals,10\nteam,Support,Fewer tickets,Tickets,5\n"))
	require.NoError(t, err)
	require.Equal(t, []RowError{{Line: 3, Column: gcLead, Message: "who answers for team Support's goal? Its members report to no one manager: give their email in this column"}},
		problems, "Support's two report to two managers")
	require.Equal(t, int64(2), order[0].o.OwnerID, "Sales reports to Mia")
	_, _, problems, err = checkGoals(t, []byte("level,owner,lead,title\nperson,dan@example.com,mia@example.com,Mine\n"))
	require.NoError(t, err)
	require.Equal(t, []RowError{{Line: 2, Column: gcLead, Message: "only a team goal has a lead; a company or person goal is its owner's"}}, problems)
	require.Equal(t, int64(10), order[0].o.TeamID)
}

func TestGoalFileParentsFirst(t *testing.T) {
	order, _, problems, err := checkGoals(t, []byte("goal,level,owner,parent,title\n"+
		"P,person,dan@example.com,T,Mine\nT,team,Sales,7,Ours\nQ,person,eve@example.com,#7,Straight to the company's\n"))
	require.NoError(t, err)
	require.Empty(t, problems)
	var titles []string
	for _, r := range order {
		titles = append(titles, r.o.Title)
	}
	require.Equal(t, []string{"Ours", "Mine", "Straight to the company's"}, titles, "a parent of the file is written first")
	require.Equal(t, int64(7), order[0].o.ParentID)
	require.Same(t, order[0], order[1].parent)
	require.Equal(t, int64(7), order[2].o.ParentID)
}

func TestGoalFileExample(t *testing.T) {
	data, err := os.ReadFile("testdata/goals.csv")
	require.NoError(t, err)
	tab, err := readTable(bytes.NewReader(data), FormatCSV)
	require.NoError(t, err)
	var p problems
	f := parseGoalFile(tab, goalTextsFor(t, bot.LocaleZH), "2027-02-10", &p)
	require.Empty(t, p.list)
	require.Len(t, f.goals, 4)
	require.Len(t, f.goals[1].krs, 2)
	require.Equal(t, 4, f.goals[1].krs[1].line)
}

// FuzzGoalFile reads a goal file as HR might write it: every problem is
// told, by line, in words; a file without any resolves into goals the
// store accepts, each after the goal of the file it supports.
func FuzzGoalFile(f *testing.F) {
	seed, err := os.ReadFile("testdata/goals.csv")
	require.NoError(f, err)
	for _, s := range []string{
		string(seed),
		"goal,level,owner,parent,title,kind,kr,start,target,due\nA,company,ada@example.com,,Revenue,kpi,Rev,0,10,2027-03-31\n" +
			"B,team,Sales,A,North,,Deals,5,1,\nB,,,,,,Calls,0,100,2027-02-01\nC,person,dan@example.com,B,Mine,,X,0,1,\n",
		"goal,level,owner,parent,title\nA,company,ada@example.com,B,a\nB,company,ada@example.com,A,b\n",
		"level,owner,title,period,kr,target,weight,evidence,direction\nperson,DAN@example.com,t,2027-01-01..2027-01-31,k,1e3,-1,maybe,left\n",
		"goal,level,owner,title,kr,target\nA,person,dan@example.com,t,1,1\nA,person,dan@example.com,t,2,1\nA,,,,3,1\nA,,,,4,1\nA,,,,5,1\nA,,,,6,1\n",
		"level,owner,title,,x\nperson,dan@example.com,t,,oops\n", "title\n", "", "status,progress\nx,y\n",
	} {
		f.Add([]byte(s))
	}
	texts := goalTextsFor(f, bot.LocaleEN)
	known := append(goalImportColumns(), "")
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := readTable(bytes.NewReader(data), FormatCSV)
		if err != nil {
			return
		}
		var p problems
		file := parseGoalFile(tab, texts, "2027-02-10", &p)
		order := file.check(testWorld(), texts, &p)
		for _, pr := range p.list {
			require.GreaterOrEqual(t, pr.Line, tab.headerLine)
			require.NotEmpty(t, pr.Message)
			require.False(t, strings.HasPrefix(pr.Message, "goalfile."), "a text is missing: %s", pr.Message)
			if pr.Line != tab.headerLine {
				require.Contains(t, known, pr.Column)
			}
		}
		if len(p.list) > 0 {
			return
		}
		require.Len(t, order, len(file.goals))
		done := map[*resolved]bool{}
		for _, r := range order {
			o := r.o
			require.Contains(t, []store.GoalLevel{store.LevelCompany, store.LevelTeam, store.LevelPerson}, o.Level)
			require.Contains(t, []store.GoalKind{store.KindOKR, store.KindKPI}, o.Kind)
			require.NotZero(t, o.OwnerID)
			require.Equal(t, o.Level == store.LevelTeam, o.TeamID != 0)
			require.NotEmpty(t, o.Title)
			require.LessOrEqual(t, o.Starts, o.Ends)
			require.GreaterOrEqual(t, o.Weight, 0.0)
			require.LessOrEqual(t, len(o.KeyResults), maxKeyResults)
			if o.Kind == store.KindKPI {
				require.Len(t, o.KeyResults, 1)
			}
			for _, k := range o.KeyResults {
				require.Contains(t, []store.Direction{store.Up, store.Down}, k.Direction)
				require.GreaterOrEqual(t, k.Weight, 0.0)
				require.NotEmpty(t, k.Title)
				require.True(t, k.Due == "" || (k.Due >= o.Starts && k.Due <= o.Ends))
			}
			require.True(t, r.parent == nil || done[r.parent], "its parent comes first")
			require.False(t, r.parent != nil && o.ParentID != 0)
			done[r] = true
		}
		require.Equal(t, len(order), len(slices.Compact(slices.Clone(order))))
	})
}

func TestGoalFileDays(t *testing.T) {
	for in, want := range map[string]string{"2027-03-31": "2027-03-31", "46477": "2027-03-31", "45658": "2025-01-01"} {
		got, ok := parseDay(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"2027-02-30", "31/03/2027", "12", "-5", "99999999"} {
		_, ok := parseDay(bad)
		require.False(t, ok, bad)
	}
}

// A file too broken to read is told in the operator's language too.
func TestGoalFileUnreadable(t *testing.T) {
	c, err := i18n.Load(bot.LocaleZH)
	require.NoError(t, err)
	for in, want := range map[string]string{
		"":                          "line 1: 文件是空的；第一行应为列名",
		"level,title\n\"unclosed,x": "line 2: 不是有效的 CSV：extraneous or missing \" in quoted-field",
		"level,title\n\xff,x\n":     "line 2: 文件不是 UTF-8 文本；请在 Excel 中选择「另存为」→「CSV UTF-8」",
	} {
		// Nothing is read from the store before the file is.
		_, err := ImportGoals(t.Context(), nil, strings.NewReader(in), GoalImportOptions{Format: FormatCSV, Texts: c.For(bot.LocaleZH)})
		var rows *RowErrors
		require.ErrorAs(t, err, &rows, in)
		require.EqualError(t, rows, want, in)
	}
}
