package voice

// The cue phrases of the offline summariser, in English and Chinese; both
// are always active, since people mix them ("API 的 key 还在等").
//
// A strong cue starts a new section wherever it appears at the start of a
// clause, and in unpunctuated speech (what pocketsphinx prints) wherever it
// appears at all. A weak cue ("will", "problem") is too common to cut a
// sentence on its own: it starts a section only at a clause boundary or
// after a subject ("I will", "我明天"), and otherwise just labels a clause
// that has no other cue.

type cue struct {
	phrase  string
	section int // index into Kind.Keys()
	weak    bool
}

var checkInCues = []cue{
	// done
	{"finished", 0, false}, {"i finished", 0, false}, {"completed", 0, false}, {"done with", 0, false},
	{"got done", 0, false}, {"shipped", 0, false}, {"i did", 0, false}, {"we did", 0, false},
	{"this week i", 0, false}, {"this week we", 0, false}, {"launched", 0, false},
	{"delivered", 0, false}, {"released", 0, false}, {"wrapped up", 0, false}, {"merged", 0, false},
	{"fixed", 0, true},
	{"完成了", 0, false}, {"做完了", 0, false}, {"上线了", 0, false}, {"搞定了", 0, false},
	{"发布了", 0, false}, {"解决了", 0, false}, {"完成", 0, true}, {"这周", 0, false}, {"本周", 0, false},
	{"这个星期", 0, false},
	// blockers
	{"blocked", 1, false}, {"blocker", 1, false}, {"blockers", 1, false}, {"stuck", 1, false},
	{"waiting for", 1, false}, {"waiting on", 1, false}, {"issue with", 1, false},
	{"problem with", 1, false}, {"held up", 1, false}, {"can't", 1, true}, {"cannot", 1, true},
	{"couldn't", 1, true}, {"problem", 1, true}, {"issue", 1, true}, {"the problem is", 1, false},
	{"卡在", 1, false}, {"卡住", 1, false}, {"阻塞", 1, false}, {"等待", 1, false}, {"在等", 1, false},
	{"问题是", 1, false}, {"遇到", 1, false}, {"无法", 1, true}, {"没法", 1, true}, {"困难", 1, true},
	// next
	{"next week", 2, false}, {"plan to", 2, false}, {"planning to", 2, false}, {"going to", 2, false},
	{"i'll", 2, false}, {"we'll", 2, false}, {"next up", 2, false}, {"will", 2, true}, {"tomorrow", 2, true},
	{"下周", 2, false}, {"下个星期", 2, false}, {"接下来", 2, false}, {"计划", 2, false}, {"准备", 2, false},
	{"打算", 2, false}, {"下一步", 2, false}, {"明天", 2, true},
}

var threeByThreeCues = []cue{
	// win
	{"proud", 0, false}, {"went well", 0, false}, {"win", 0, false}, {"my win", 0, false},
	{"highlight", 0, false}, {"happy with", 0, false}, {"succeeded", 0, false}, {"managed to", 0, false},
	{"achieved", 0, false}, {"strength", 0, false}, {"great", 0, true},
	{"做得好", 0, false}, {"做得不错", 0, false}, {"成功", 0, false}, {"顺利", 0, false}, {"骄傲", 0, false},
	{"收获", 0, false}, {"亮点", 0, false}, {"满意", 0, false},
	// improve
	{"improve", 1, false}, {"better at", 1, false}, {"get better", 1, false}, {"should have", 1, false},
	{"could have", 1, false}, {"learn", 1, false}, {"mistake", 1, false}, {"didn't go well", 1, false},
	{"next time", 1, false}, {"weakness", 1, false}, {"work on", 1, true},
	{"改进", 1, false}, {"提高", 1, false}, {"不足", 1, false}, {"应该", 1, false}, {"学习", 1, false},
	{"做得不好", 1, false}, {"教训", 1, false}, {"下次", 1, false},
	// support
	{"need help", 2, false}, {"need support", 2, false}, {"could use", 2, false}, {"would like", 2, false},
	{"i'd like", 2, false}, {"ask for", 2, false}, {"request", 2, false}, {"help me", 2, false},
	{"support from", 2, false}, {"need", 2, true},
	{"需要", 2, false}, {"支持", 2, false}, {"帮助", 2, false}, {"帮忙", 2, false}, {"希望", 2, false},
	{"请求", 2, false},
}

// Words that come before a cue without being part of what the clause is
// about: the split goes before them ("I am | blocked" would cut "I am" off).
var leadIns = newPhrases(
	"i", "we", "i'm", "we're", "i've", "we've", "am", "are", "is", "was", "were", "have", "has",
	"had", "been", "be", "also", "still", "currently", "just", "really", "now", "actually",
	"basically", "they", "he", "she", "and", "then", "so", "but", "got", "get", "getting", "kind of",
	"我", "我们", "目前", "现在", "还", "也", "都", "已经", "就", "又", "一直", "今天", "主要",
)

// Subjects let a weak cue start a section: "I will", "we can't".
var subjects = newPhrases("i", "we", "i'm", "we're", "they", "team", "我", "我们", "团队")

// Connectors join clauses; a section may start after one, and they are
// dropped from the start and end of a section.
var connectors = newPhrases(
	"and", "and then", "then", "but", "so", "also", "after that", "and also", "plus",
	"然后", "但是", "不过", "可是", "而且", "另外", "还有", "所以", "并且", "接着",
)

// Fillers are dropped wherever they appear.
var fillers = newPhrases("um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm", "ah", "嗯", "呃", "那个")

// compiledCues is a cue table ready to match.
type compiledCue struct {
	phrase  phrase
	section int
	weak    bool
}

func compileCues(cs []cue) []compiledCue {
	out := make([]compiledCue, len(cs))
	for i, c := range cs {
		out[i] = compiledCue{phrase: newPhrase(c.phrase), section: c.section, weak: c.weak}
	}
	return out
}

var cueTables = map[Kind][]compiledCue{
	CheckIn:      compileCues(checkInCues),
	ThreeByThree: compileCues(threeByThreeCues),
}
