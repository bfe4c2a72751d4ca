package conversations

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/eventkind"
)

func TestParseGoalCommand(t *testing.T) {
	for text, want := range map[string]string{
		"goal new": goalNew, "Goal  New!": goalNew, "/goal new": goalNew, "新目标": goalNew, "新目标！": goalNew,
		"goal change": goalChange, "调整目标": goalChange, "goal list": goalList, "我的目标": goalList, "目标": goalList,
		"goal tree": goalTree, "目标树": goalTree, "goal": goalHelp, "goal new please": "", "my goal is to ship": "",
	} {
		require.Equal(t, want, parseGoalCommand(text), text)
	}
}

func TestParseKR(t *testing.T) {
	const today = "2026-11-27"
	for _, tt := range []struct {
		text string
		want KRDraft
		ok   bool
	}{
		{"Close deals: 10 deals by 12-15", KRDraft{Title: "Close deals", Unit: "deals", Target: 10, Due: "2026-12-15"}, true},
		{"Churn: 8 -> 4 %", KRDraft{Title: "Churn", Unit: "%", Start: 8, Target: 4}, true},
		{"流失率：8 → 4%", KRDraft{Title: "流失率", Unit: "%", Start: 8, Target: 4}, true},
		{"签约客户：10 家 截止 12月15日", KRDraft{Title: "签约客户", Unit: "家", Target: 10, Due: "2026-12-15"}, true},
		{"Resolve tickets: 30 by 2027-01-31", KRDraft{Title: "Resolve tickets", Target: 30, Due: "2027-01-31"}, true},
		{"Latency: 300 to 120 ms", KRDraft{Title: "Latency", Unit: "ms", Start: 300, Target: 120}, true},
		{"Ｎｐｓ：５０", KRDraft{Title: "Nps", Target: 50}, true},
		{"Resolve tickets: 30 #resolve-tickets", KRDraft{Title: "Resolve tickets", Target: 30, Ref: "resolve-tickets"}, true},
		{"解决工单：30 个 截止 12月15日 ＃tickets.q4", KRDraft{Title: "解决工单", Unit: "个", Target: 30, Due: "2026-12-15", Ref: "tickets.q4"}, true},
		{"Resolve tickets: 30 #Resolve Tickets", KRDraft{}, false},
		{"Resolve tickets: 30 #", KRDraft{}, false},
		{"no colon 10", KRDraft{}, false},
		{": 10", KRDraft{}, false},
		{"Deals:", KRDraft{}, false},
		{"Deals: many", KRDraft{}, false},
		{"Deals: 10 by someday", KRDraft{}, false},
		{"Deals: 99999999999999", KRDraft{}, false},
		{"Deals: 5 units -> 10", KRDraft{}, false},
	} {
		got, ok := parseKR(tt.text, today)
		require.Equal(t, tt.ok, ok, tt.text)
		require.Equal(t, tt.want, got, tt.text)
	}
}

func TestParseChange(t *testing.T) {
	const today = "2026-11-27"
	target := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		text   string
		target *float64
		due    string
		ok     bool
	}{
		{"15", target(15), "", true},
		{"target 15", target(15), "", true},
		{"by 12-31", nil, "2026-12-31", true},
		{"15 by 12-31", target(15), "2026-12-31", true},
		{"目标 15 截止 12月31日", target(15), "2026-12-31", true},
		{"0", target(0), "", true},
		{"", nil, "", false},
		{"later", nil, "", false},
		{"15 by never", nil, "", false},
	} {
		got, due, ok := parseChange(tt.text, today)
		require.Equal(t, tt.ok, ok, tt.text)
		require.Equal(t, tt.target, got, tt.text)
		require.Equal(t, tt.due, due, tt.text)
	}
}

func TestParseProgress(t *testing.T) {
	k := KRDraft{Start: 8, Target: 4}
	for _, tt := range []struct {
		text string
		last float64
		want Progress
		ok   bool
	}{
		{"6", 8, Progress{Value: 6}, true},
		{"50%", 8, Progress{Value: 6}, true}, // halfway from 8 to 4
		{"５０％", 8, Progress{Value: 6}, true},
		{"+3", 4, Progress{Value: 7}, true},
		{"-2", 8, Progress{Value: 6}, true},
		{"skip", 8, Progress{Skip: true}, true},
		{"跳过", 8, Progress{Skip: true}, true},
		{"+5%", 8, Progress{}, false},
		{"lots", 8, Progress{}, false},
		{"NaN", 8, Progress{}, false},
		{"1e13", 8, Progress{}, false},
	} {
		got, ok := parseProgress(tt.text, k, tt.last)
		require.Equal(t, tt.ok, ok, tt.text)
		require.Equal(t, tt.want, got, tt.text)
	}
}

func FuzzParseGoalCommand(f *testing.F) {
	for _, s := range []string{"goal new", "新目标！", "/GOAL TREE", "目标", "goal", "goal  list.", "调整目标", "", "goal new please"} {
		f.Add(s)
	}
	verbs := []string{"", goalNew, goalChange, goalList, goalTree, goalHelp}
	f.Fuzz(func(t *testing.T, text string) {
		v := parseGoalCommand(text)
		require.Contains(t, verbs, v)
		require.Equal(t, v, parseGoalCommand(asciiUpper(text)), "goal commands ignore case")
		require.Equal(t, v, parseGoalCommand("  "+text+"\n"), "and surrounding space")
	})
}

func FuzzParseKR(f *testing.F) {
	for _, s := range []string{"Close deals: 10 deals by 12-15", "Churn: 8 -> 4 %", "签约客户：10 家 截止 12月15日", ":", "a: -",
		"a: 1 -> 2 -> 3", "a: +1e12", "a: 1 by 2-29", "x: 1 to", "Ｎｐｓ：５０", "a: 1 #ref", "a: 1 # #b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		k, ok := parseKR(text, "2026-11-27")
		if !ok {
			require.Equal(t, KRDraft{}, k)
			return
		}
		require.NotEmpty(t, k.Title)
		require.LessOrEqual(t, runeLen(k.Title), maxGoalTitle)
		require.LessOrEqual(t, runeLen(k.Unit), maxUnit)
		require.True(t, finite(k.Start) && finite(k.Target), "%v %v", k.Start, k.Target)
		if k.Ref != "" {
			require.NoError(t, eventkind.CheckRef(k.Ref))
		}
		if k.Due != "" {
			require.Len(t, k.Due, len("2026-11-27"))
		}
	})
}

func FuzzParseChange(f *testing.F) {
	for _, s := range []string{"15", "target 15", "by 12-31", "15 by 12-31", "目标 15 截止 12月31日", "", "by", "1e999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		target, due, ok := parseChange(text, "2026-11-27")
		if !ok {
			require.Nil(t, target)
			require.Empty(t, due)
			return
		}
		require.True(t, target != nil || due != "")
		if target != nil {
			require.True(t, finite(*target))
		}
	})
}

func FuzzParseProgress(f *testing.F) {
	for _, s := range []string{"6", "50%", "+3", "-2", "skip", "跳过", "+5%", "５０％", "1e13", "NaN", "-0", "+inf"} {
		f.Add(s, 8.0, 4.0, 8.0)
	}
	f.Fuzz(func(t *testing.T, text string, start, target, last float64) {
		if !finite(start) || !finite(target) || !finite(last) {
			return
		}
		p, ok := parseProgress(text, KRDraft{Start: start, Target: target}, last)
		if !ok {
			require.Equal(t, Progress{}, p)
			return
		}
		require.False(t, math.IsNaN(p.Value) || math.IsInf(p.Value, 0))
		if p.Skip {
			require.Zero(t, p.Value)
		}
	})
}
