package conversations

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// good is feedback every rule lets through, in each language.
var (
	goodEN = Draft{
		Situation:  "In Tuesday's sprint review with the payments team",
		Behavior:   "You walked us through the error logs line by line before proposing a fix",
		Impact:     "We agreed on the root cause in ten minutes and shipped the fix that afternoon",
		Suggestion: "Please share the log queries in the wiki so others can reuse them",
	}
	goodZH = Draft{
		Situation:  "周二和支付团队的迭代评审会上",
		Behavior:   "你逐行带大家看了错误日志，然后才提出修复方案",
		Impact:     "我们十分钟内就确认了根因，当天下午就上线了修复",
		Suggestion: "可以把日志查询语句整理到知识库里，方便大家复用",
	}
)

func TestQualityRules(t *testing.T) {
	sets, err := qualityRules()
	require.NoError(t, err)
	with := func(d Draft, part int, text string) Draft { *d.part(part) = text; return d }
	for _, tc := range []struct {
		name  string
		draft Draft
		want  []finding
	}{
		{"en passes", goodEN, nil},
		{"zh passes", goodZH, nil},
		{"mixed languages pass", with(goodZH, 1, goodEN.Behavior), nil},
		{"optional suggestion may be empty", with(goodEN, 3, ""), nil},
		{"en missing", with(goodEN, 2, ""), []finding{{Rule: "missing", Part: "impact"}}},
		{"zh missing", with(with(goodZH, 0, ""), 1, "  "), []finding{{Rule: "missing", Part: "situation"}, {Rule: "missing", Part: "behavior"}}},
		{"en judgment: lazy", with(goodEN, 1, "You are so lazy about code reviews in every sprint"), []finding{{Rule: "judgment", Part: "behavior", Match: "You are so lazy"}}},
		{"en judgment: always", with(goodEN, 1, "You always interrupt people in the planning meeting"), []finding{{Rule: "judgment", Part: "behavior", Match: "always"}}},
		{"en judgment: never", with(goodEN, 1, "He never answers the on-call pager at night"), []finding{{Rule: "judgment", Part: "behavior", Match: "never"}}},
		{"en judgment: attitude", with(goodEN, 1, "She showed a bad attitude towards the new process"), []finding{{Rule: "judgment", Part: "behavior", Match: "bad attitude"}}},
		{"zh judgment: 态度不好", with(goodZH, 1, "你态度不好，开会的时候一直在看手机"), []finding{{Rule: "judgment", Part: "behavior", Match: "你态度不好"}}},
		{"zh judgment: 总是", with(goodZH, 1, "你总是在最后一刻才提交代码评审"), []finding{{Rule: "judgment", Part: "behavior", Match: "总是"}}},
		{"zh judgment: 懒", with(goodZH, 1, "他太懒了，文档一直没有更新过"), []finding{{Rule: "judgment", Part: "behavior", Match: "他太懒"}}},
		{"judgment only counts in behavior", with(goodEN, 2, "Customers never had to wait, and the queue stayed empty all day"), nil},
		{"en short", with(goodEN, 0, "Last week"), []finding{{Rule: "short", Part: "situation"}}},
		{"zh short", with(goodZH, 2, "效果好"), []finding{{Rule: "short", Part: "impact"}}},
		{"en generic", with(goodEN, 2, "Great job!!"), []finding{{Rule: "short", Part: "impact"}, {Rule: "generic", Part: "impact", Match: "Great job!!"}}},
		{"en generic, long enough", with(goodEN, 3, "Keep up the good work"), []finding{{Rule: "generic", Part: "suggestion", Match: "Keep up the good work"}}},
		{"zh generic", with(goodZH, 3, "继续加油！"), []finding{{Rule: "short", Part: "suggestion"}, {Rule: "generic", Part: "suggestion", Match: "继续加油！"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, checkSBI(sets, tc.draft))
		})
	}
}

func TestQualityRulesAreChecked(t *testing.T) {
	for name, body := range map[string]string{
		"two checks":   "script: latin\nrules:\n  - {id: x, parts: [behavior], empty: true, min_words: 2}\n",
		"no check":     "script: latin\nrules:\n  - {id: x, parts: [behavior]}\n",
		"bad part":     "script: latin\nrules:\n  - {id: x, parts: [mood], empty: true}\n",
		"bad pattern":  "script: latin\nrules:\n  - {id: x, parts: [behavior], patterns: ['(']}\n",
		"bad script":   "script: cyrillic\nrules: []\n",
		"not yaml":     "rules: [",
		"missing id":   "script: han\nrules:\n  - {parts: [behavior], empty: true}\n",
		"missing part": "script: han\nrules:\n  - {id: x, empty: true}\n",
	} {
		_, err := loadRules(fstest.MapFS{"rules/x.yaml": {Data: []byte(body)}})
		require.Error(t, err, name)
	}
}

func TestParseFbCommand(t *testing.T) {
	for _, tc := range []struct {
		text string
		want fbCommand
	}{
		{"kudos @ann @bo thanks for the demo #teamwork", fbCommand{kind: fbKudos, tokens: []string{"@ann", "@bo"}, explicit: true, text: "thanks for the demo", tags: []string{"teamwork"}}},
		{"/kudos <@U1|ann> nice", fbCommand{kind: fbKudos, tokens: []string{"<@U1|ann>"}, explicit: true, text: "nice"}},
		{"Kudos ann, nice", fbCommand{kind: fbKudos, tokens: []string{"ann"}, text: "nice"}},
		{"表扬 @张三、@李四 谢谢 ＃客户第一", fbCommand{kind: fbKudos, tokens: []string{"@张三", "@李四"}, explicit: true, text: "谢谢", tags: []string{"客户第一"}}},
		{"表扬 张三 谢谢", fbCommand{kind: fbKudos, tokens: []string{"张三"}, text: "谢谢"}},
		{"feedback anna@example.com", fbCommand{kind: fbFeedback, tokens: []string{"anna@example.com"}, explicit: true}},
		{"反馈 @张三", fbCommand{kind: fbFeedback, tokens: []string{"@张三"}, explicit: true}},
		{"feedback", fbCommand{kind: fbFeedback}},
		{"ask feedback @li about the launch", fbCommand{kind: fbAsk, tokens: []string{"@li"}, explicit: true, text: "the launch"}},
		{"ask @li for feedback on the launch", fbCommand{kind: fbAsk, tokens: []string{"@li"}, explicit: true, text: "the launch"}},
		{"请 @李伟 反馈 周五的演示", fbCommand{kind: fbAsk, tokens: []string{"@李伟"}, explicit: true, text: "周五的演示"}},
		{"请李伟给我反馈一下 周会", fbCommand{kind: fbAsk, tokens: []string{"李伟"}, text: "周会"}},
		{"kudos leaderboard", fbCommand{kind: fbBoard, explicit: true}},
		{"表扬榜", fbCommand{kind: fbBoard, explicit: true}},
		{"leaderboard of sales", fbCommand{kind: fbBoard}},
		{"feedbacks are nice", fbCommand{}},
		{"praiseworthy", fbCommand{}},
		{"checkin", fbCommand{}},
	} {
		got := parseFbCommand(tc.text)
		got.ext = nil // TestNamesOfSeveralWords
		if got.kind != fbNone {
			require.Equal(t, strings.TrimSpace(tc.text), got.raw, "kept to give back")
		}
		got.raw = ""
		require.Equal(t, tc.want, got, tc.text)
	}
}

// A mention may be a name of several words: each token is looked up alone
// and with the words after it that may complete the name.
func TestNamesOfSeveralWords(t *testing.T) {
	fc := parseFbCommand("kudos @Priya Nair and @Jonas Weber thanks for the handover")
	require.Equal(t, []string{"@Priya", "@Jonas"}, fc.tokens)
	require.Equal(t, [][]string{{"Nair", "and"}, {"Weber", "thanks"}}, fc.ext)
	require.Equal(t, []string{
		"@Priya", "@Priya Nair", "@Priya Nair and",
		"@Jonas", "@Jonas Weber", "@Jonas Weber thanks",
	}, fc.candidates())
	fc.dropWords(1)
	require.Equal(t, "thanks for the handover", fc.text)

	// A mention later in the note is part of the note, not a recipient.
	fc = parseFbCommand("kudos @sam great pairing with @li on the release")
	require.Equal(t, []string{"@sam"}, fc.tokens)
	require.Equal(t, "great pairing with @li on the release", fc.text)
	fc = parseFbCommand("Feedback from @li on the design was positive")
	require.False(t, fc.explicit, "no leading mention: not a command while answering")
}

func TestQualityReportsTheFirstProblemInTheText(t *testing.T) {
	sets, err := qualityRules()
	require.NoError(t, err)
	d := goodEN
	d.Behavior = "You never prepare the agenda and you are lazy"
	require.Equal(t, []finding{{Rule: "judgment", Part: "behavior", Match: "never"}}, checkSBI(sets, d))
}
