package conversations

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/audience"
)

// These fuzz targets call only the parsers of what people type and click;
// the rest of the package is left to its own tests.

// asciiUpper upper-cases ASCII letters only, which parseCommand must not
// tell apart from lower case.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"help", "?", "帮助", "Check-in", "/start", "skip", "跳过!", "cancel。", "edit 2", "edit2",
		"修改 3", "修改第2项", "edit #4", "ｅｄｉｔ　５", "submit", "提交！", "remind me later", "skip the meeting", "edit 0", "edit -1", ""} {
		f.Add(s, 3)
	}
	names := []string{cmdNone, cmdHelp, cmdCheckin, cmdSkip, cmdCancel, cmdEdit, cmdSubmit, cmdLater}
	f.Fuzz(func(t *testing.T, text string, n int) {
		c := parseCommand(text)
		require.Contains(t, names, c.Name)
		if c.N != 0 {
			require.Equal(t, cmdEdit, c.Name, "only edit takes a number")
			require.Positive(t, c.N)
		}
		require.Equal(t, c, parseCommand(asciiUpper(text)), "commands ignore case")
		require.Equal(t, c, parseCommand(" \t"+text+"\n"), "commands ignore surrounding space")
		if n > 0 {
			for _, typed := range []string{"edit %d", "EDIT%d", "修改第%d项", "编辑 #%d", "/edit %d."} {
				require.Equal(t, command{Name: cmdEdit, N: n}, parseCommand(fmt.Sprintf(typed, n)), typed)
			}
		}
	})
}

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"start:12:3", "mood:12:7:3", "skip:1:0", "vok:5:0", "ack:9:0", "bcsend:0:0", "nudgeall:0:0:2026-W48",
		"edit:1:2:a:b:c", ":1:2", "start::", "start:x:1", "start:1", "start:+1:-2", "start:007:1", "中文:1:2:参数"} {
		f.Add(s, "start", int64(12), 3, "")
	}
	f.Fuzz(func(t *testing.T, v, name string, id int64, seq int, arg string) {
		a, ok := parseAction(v)
		if !ok {
			require.Equal(t, action{}, a, "a refused value gives nothing")
			require.Zero(t, RoundOf(v))
			require.Zero(t, voiceOf(v))
		} else {
			require.NotEmpty(t, a.Name)
			require.NotContains(t, a.Name, ":")
			require.True(t, strings.HasPrefix(v, a.Name+":"))
			again, ok := parseAction(a.value())
			require.True(t, ok, "value() of a parsed action parses")
			require.Equal(t, a, again)
			if RoundOf(v) != 0 {
				require.Equal(t, a.ID, RoundOf(v))
				require.Zero(t, voiceOf(v), "a value is about a round or a voice note, not both")
			}
		}

		// Any action perfbot makes comes back as itself.
		if name == "" || strings.Contains(name, ":") {
			return
		}
		made := action{Name: name, ID: id, Seq: seq, Arg: arg}
		got, ok := parseAction(made.value())
		require.True(t, ok, made.value())
		require.Equal(t, made, got)
	})
}

func FuzzParseAway(f *testing.F) {
	for _, s := range []string{"away until 2026-12-01", "Away until 2026/12/01", "OOO until 12-01", "away 1/4", "休假至 12月1日",
		"请假到２０２６年１２月１日", "out of office until 2026-12-1", "away until someday", "away until 2026-02-30", "away", "请假了两天",
		"away 2/29", "away until 2028-02-29", "away until 99999-1-1", "away until 12.24", "away 1-2-3-4"} {
		f.Add(s, 0, 35)
	}
	f.Add("away 2/29", 460, -1) // typed on 2028-03-01: the next 2-29 is 2032's
	base := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string, todayOffset, dayOffset int) {
		now := base.AddDate(0, 0, todayOffset%4000)
		today := now.Format(time.DateOnly)

		day, ok := parseAway(text, today)
		if !ok {
			require.Empty(t, day)
		}
		if day != "" {
			require.Equal(t, day, parseDay(day, today), "a day read is a real day, written as parseDay reads it")
		}

		// A day typed in any of the forms comes back as itself.
		d := now.AddDate(0, 0, dayOffset%1000)
		for _, typed := range []string{"away until " + d.Format("2006-01-02"), "OOO until " + d.Format("2006/1/2"),
			"休假至" + d.Format("2006年1月2日"), "请假到 " + d.Format("2006.01.02号")} {
			got, ok := parseAway(typed, today)
			require.True(t, ok, typed)
			require.Equal(t, d.Format(time.DateOnly), got, typed)
		}
		// Without a year it is the next such day, today or later.
		got, ok := parseAway("away until "+d.Format("1-2"), today)
		require.True(t, ok)
		back, err := time.Parse(time.DateOnly, got)
		require.NoError(t, err, got)
		require.False(t, back.Before(now), "the next %s from %s is %s", d.Format("1-2"), today, got)
		require.Equal(t, d.Format("01-02"), back.Format("01-02"), "the day typed, never another")
		// And no such day comes sooner: within a year, but for a 2-29.
		for y := now.Year(); y < back.Year(); y++ {
			sooner := time.Date(y, d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
			require.True(t, sooner.Day() != d.Day() || sooner.Before(now), "%s comes before %s", sooner, got)
		}
	})
}

// broadcastText writes cmd back as a person would type it.
func broadcastText(cmd broadcastCmd) string {
	head := audience.String(cmd.audience)
	if cmd.ack {
		head += " ack"
	}
	return "broadcast " + head + ": " + cmd.text
}

func FuzzParseBroadcast(f *testing.F) {
	for _, s := range []string{"broadcasting live", "hello", "broadcast", "/广播", "broadcast status", "广播 状态 #12", "broadcast status 0",
		"broadcast everyone: Review: Monday", "broadcast team Platform, role manager ack: Read it", "广播 所有人确认：下周一",
		"broadcast everyone", "broadcast everyone:   ", "broadcast dept Sales；email ann@example.com: hi", "broadcast role ceo: hi",
		"BROADCAST team:Core, ann@example.com ack: " + strings.Repeat("长", MaxBroadcast+1), "广播 团队 平台 需确认：请阅读"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, ok := parseBroadcast(text)
		if !ok {
			require.Equal(t, broadcastCmd{}, cmd, "not a broadcast: nothing read")
			return
		}
		switch cmd.kind {
		case bcUsage:
			require.Equal(t, broadcastCmd{kind: bcUsage}, cmd)
		case bcStatus:
			require.GreaterOrEqual(t, cmd.id, int64(0))
			require.NoError(t, cmd.err)
		case bcSend:
			if cmd.err != nil {
				return
			}
			require.False(t, cmd.audience.IsZero(), "a broadcast goes to someone")
			require.NotEmpty(t, cmd.text)
			require.Equal(t, strings.TrimSpace(cmd.text), cmd.text)
			require.LessOrEqual(t, utf8.RuneCountInString(cmd.text), MaxBroadcast)
			again, ok := parseBroadcast(broadcastText(cmd))
			require.True(t, ok)
			require.Equal(t, cmd, again, "written back, it reads the same")
		default:
			t.Fatalf("kind %d", cmd.kind)
		}
	})
}

var fuzzPeople = []bot.Person{
	{ID: 1, Name: "Priya Nair", Email: "priya@example.com", Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}}},
	{ID: 2, Name: "李伟", Email: "liwei@example.com", Identities: []bot.Identity{{Platform: bot.WeCom, Tenant: "corp", UserID: "LiWei"}}},
	{ID: 3, Name: "Jonas Weber", Email: "jonas@example.com", Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T2", UserID: "U1"}}},
}

func FuzzParseMention(f *testing.F) {
	for _, s := range []string{"kudos @ann great demo #ownership", "Kudos ann, nice", "表扬 @张三、@李四 谢谢 ＃客户第一", "feedback anna@example.com",
		"反馈 @张三", "feedback", "ask feedback @li about the launch", "ask @li for feedback on the launch", "请 @李伟 反馈 周五的演示",
		"请李伟给我反馈一下 周会", "kudos leaderboard", "表扬榜", "leaderboard of sales", "feedbacks are nice", "praiseworthy",
		"kudos <@U1> <@U2|jonas> thanks", "kudos @#3 for the fix", "kudos @Priya Nair and @Jonas Weber thanks for the handover", "kudos ##"} {
		f.Add(s, "@priya")
	}
	from := bot.Identity{Platform: bot.Slack, Tenant: "T1", UserID: "U9"}
	f.Fuzz(func(t *testing.T, text, token string) {
		c := parseFbCommand(text)
		if c.kind == fbNone {
			require.Equal(t, fbCommand{}, c, "not a command: nothing read")
		} else {
			require.Contains(t, []string{fbKudos, fbFeedback, fbAsk, fbBoard}, c.kind)
			require.Equal(t, strings.TrimSpace(text), c.raw)
			require.Len(t, c.ext, len(c.tokens))
			for _, tok := range c.tokens {
				require.NotEmpty(t, tok)
				require.False(t, strings.ContainsFunc(tok, unicode.IsSpace), "a token is one word: %q", tok)
			}
			for _, tag := range c.tags {
				require.False(t, strings.HasPrefix(tag, "#") || strings.HasPrefix(tag, "＃"), tag)
			}
			cands := c.candidates()
			for i, tok := range c.tokens {
				require.Contains(t, cands, tok)
				require.LessOrEqual(t, len(c.ext[i]), 2*maxNameWords)
			}
			words := len(strings.Fields(c.text))
			c.dropWords(1)
			require.Equal(t, max(words-1, 0), len(strings.Fields(c.text)))
		}

		found := Match(token, from, fuzzPeople)
		for _, p := range found {
			require.Contains(t, fuzzPeople, p, "Match finds only the people it was given")
		}
		require.Len(t, slices.CompactFunc(slices.Clone(found), func(a, b bot.Person) bool { return a.ID == b.ID }), len(found))
		if id, ok := strings.CutPrefix(token, "<@"); ok {
			id, _, _ = strings.Cut(strings.TrimSuffix(id, ">"), "|")
			for _, p := range found {
				require.Contains(t, p.Identities, bot.Identity{Platform: from.Platform, Tenant: from.Tenant, UserID: id},
					"a Slack mention is someone of the writer's workspace")
			}
		}

		// A mention of someone by email finds them, whatever follows.
		for _, p := range fuzzPeople {
			note := strings.Join(strings.Fields(token), " ")
			c := parseFbCommand("kudos @" + p.Email + " " + note)
			require.Equal(t, fbKudos, c.kind)
			require.NotEmpty(t, c.tokens)
			require.Equal(t, "@"+p.Email, c.tokens[0])
			require.Equal(t, []bot.Person{p}, Match(c.tokens[0], from, fuzzPeople))
		}
	})
}

func FuzzDecodeState(f *testing.F) {
	for _, s := range []string{"", "{}", "null", "[]", `{"flow":"checkin","round":100,"step":"voice","voice":900,"seq":4}`,
		`{"flow":"feedback","step":"sbi_part","item":2,"fb":{"to":8}}`, `{"flow":"checkin","seq":3,"ci":{"round":1,"step":"item"}}`,
		`{"flow":"pick","draft":"x","pick":{"text":"y"}}`, `{"flow":"praise_note","step":"x","fb":{"praise":5}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeState(b)
		if err != nil {
			return
		}
		raw, err := s.Encode()
		require.NoError(t, err)
		again, err := DecodeState(raw)
		require.NoError(t, err)
		require.Equal(t, s, again, "what decodes is written and read back as itself")
	})
}

func FuzzParseMyWeek(f *testing.F) {
	for _, s := range []string{"today", "Today!", "/today", "本周", "本周待办。", "ｔｏｄａｙ", "my  week", "today off", "今天请假", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ok := isMyWeek(text)
		require.Equal(t, ok, isMyWeek(asciiUpper(text)), "the command ignores case")
		require.Equal(t, ok, isMyWeek(" \t"+text+"\n"), "the command ignores surrounding space")
		if ok {
			require.NotContains(t, strings.ToLower(text), "off", "a sentence is not the command")
		}
	})
}
