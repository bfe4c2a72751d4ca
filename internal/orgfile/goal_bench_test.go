package orgfile_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// benchGoals is a perfbot of 2,000 people in 40 teams with an imported
// goal file: a company goal, a goal per team and one per person, two key
// results each (4,082 rows).
func benchGoals(b *testing.B) (store.Store, []byte) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "perfbot.db"), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var org strings.Builder
	org.WriteString("email,name,manager_email,team\nceo@example.com,CEO,,\n")
	var goals strings.Builder
	goals.WriteString("goal,level,owner,lead,period,parent,title,kr,start,target\n" +
		"C,company,ceo@example.com,,2027-Q1,,Revenue,Revenue,0,100\nC,,,,,,,Margin,30,20\n")
	for team := range 40 {
		lead := fmt.Sprintf("lead%d@example.com", team)
		fmt.Fprintf(&org, "%s,Lead %d,ceo@example.com,T%d\n", lead, team, team)
		fmt.Fprintf(&goals, "T%d,team,T%d,%s,2027-Q1,C,Team %d,Deals,0,50\nT%d,,,,,,,Churn,8,4\n", team, team, lead, team, team)
		for i := range 50 {
			email := fmt.Sprintf("p%d.%d@example.com", team, i)
			fmt.Fprintf(&org, "%s,P %d %d,%s,T%d\n", email, team, i, lead, team)
			fmt.Fprintf(&goals, "P%d.%d,person,%s,,2027-Q1,T%d,Mine,Calls,0,100\nP%d.%d,,,,,,,Tickets,0,30\n", team, i, email, team, team, i)
		}
	}
	if _, err := orgfile.Import(ctx, st, strings.NewReader(org.String()), orgfile.ImportOptions{Format: orgfile.FormatCSV}); err != nil {
		b.Fatal(err)
	}
	return st, []byte(goals.String())
}

// BenchmarkGoalImport imports the file into a perfbot without goals: read,
// checked against the store and written, 2,041 goals in one transaction.
func BenchmarkGoalImport(b *testing.B) {
	c, err := i18n.Load(bot.LocaleEN)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		st, file := benchGoals(b)
		b.StartTimer()
		res, err := orgfile.ImportGoals(context.Background(), st, bytes.NewReader(file),
			orgfile.GoalImportOptions{Format: orgfile.FormatCSV, Texts: c.For(bot.LocaleEN), Now: time.Now()})
		if err != nil || res.Goals != 2041 {
			b.Fatalf("imported %d goals: %v", res.Goals, err)
		}
	}
}

// BenchmarkGoalRefused checks the same file again, all of whose goals
// perfbot has: 2,041 problems found, nothing written.
func BenchmarkGoalRefused(b *testing.B) {
	c, err := i18n.Load(bot.LocaleEN)
	if err != nil {
		b.Fatal(err)
	}
	st, file := benchGoals(b)
	opt := orgfile.GoalImportOptions{Format: orgfile.FormatCSV, Texts: c.For(bot.LocaleEN), Now: time.Now()}
	if _, err := orgfile.ImportGoals(context.Background(), st, bytes.NewReader(file), opt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var rows *orgfile.RowErrors
		_, err := orgfile.ImportGoals(context.Background(), st, bytes.NewReader(file), opt)
		if !errors.As(err, &rows) || len(rows.Errors)+rows.More != 2041 {
			b.Fatalf("refused with %v", err)
		}
	}
}

func BenchmarkGoalExport(b *testing.B) {
	c, err := i18n.Load(bot.LocaleEN)
	if err != nil {
		b.Fatal(err)
	}
	st, file := benchGoals(b)
	ctx := context.Background()
	if _, err := orgfile.ImportGoals(ctx, st, bytes.NewReader(file),
		orgfile.GoalImportOptions{Format: orgfile.FormatCSV, Texts: c.For(bot.LocaleEN), Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n, err := orgfile.ExportGoals(ctx, st, store.System, orgfile.GoalExportOptions{Format: orgfile.FormatCSV}, io.Discard)
		if err != nil || n != 4082 {
			b.Fatalf("exported %d rows: %v", n, err)
		}
	}
}
