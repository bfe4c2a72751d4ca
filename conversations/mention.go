package conversations

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// Feedback commands name people: Slack sends <@U123>, the simulator and
// people type @name or an email, and in WeCom and DingTalk app chats,
// which have no mention syntax, the first word after the command is a name.
// A mention that fits several people (or none exactly) is answered with a
// short list to pick from; the pick puts "@#id" in its place and the
// command runs again.

// Feedback command kinds.
const (
	fbNone     = ""
	fbKudos    = "kudos"
	fbFeedback = "feedback"
	fbAsk      = "ask"
	fbBoard    = "board"
)

// fbWords start a feedback command, longest first.
var fbWords = []struct{ word, kind string }{
	{"kudos leaderboard", fbBoard}, {"praise leaderboard", fbBoard}, {"leaderboard", fbBoard},
	{"表扬榜", fbBoard}, {"排行榜", fbBoard}, {"点赞榜", fbBoard},
	{"ask for feedback", fbAsk}, {"request feedback", fbAsk}, {"ask feedback", fbAsk},
	{"请求反馈", fbAsk}, {"求反馈", fbAsk},
	{"give feedback", fbFeedback}, {"feedback", fbFeedback}, {"反馈", fbFeedback},
	{"kudos", fbKudos}, {"praise", fbKudos}, {"表扬", fbKudos}, {"点赞", fbKudos},
}

var (
	// "请 @李伟 反馈 周五的演示", "请李伟给我反馈一下周会"
	askZH = regexp.MustCompile(`^请\s*(.+?)\s*(?:给我)?反馈(?:一下)?\s*(.*)$`)
	// "ask @li for feedback about the demo"
	askEN = regexp.MustCompile(`(?i)^ask\s+(.+?)\s+for\s+feedback\s*(.*)$`)
	// what an ask's topic may start with
	aboutWord = regexp.MustCompile(`(?i)^(about|on|regarding|for|关于|有关)\s*`)
	// "@张三、@李四": mentions listed with a comma
	listedMention = regexp.MustCompile(`[,，、]\s*@`)
)

// fbCommand is a parsed feedback command.
type fbCommand struct {
	kind   string
	tokens []string // who it names, in order
	// explicit says a token was a real mention (@, <@…>, an email), not a
	// bare name, or the leaderboard was asked for in so many words.
	explicit bool
	// ext are the words after each token that may be the rest of a name
	// of several words ("@Priya Nair"): resolve tries the longest first.
	// The last token's are the first words of text.
	ext  [][]string
	text string   // the praise note, or what feedback is asked about
	tags []string // #hashtags, for company values
	raw  string   // the whole command as typed, to give back if refused
}

// maxNameWords is how many words after a mention may complete a name.
const maxNameWords = 2

// candidates lists every way the command's tokens may be read, for the
// caller to look up: each token alone and with the words that may follow.
func (c fbCommand) candidates() []string {
	var out []string
	for i, tok := range c.tokens {
		for k := 0; k <= len(c.ext[i]); k++ {
			out = append(out, joinName(tok, c.ext[i][:k]))
		}
	}
	return out
}

func joinName(tok string, ext []string) string {
	if len(ext) == 0 {
		return tok
	}
	return tok + " " + strings.Join(ext, " ")
}

// parseFbCommand recognises a feedback command; kind is fbNone otherwise.
func parseFbCommand(text string) fbCommand {
	c := parseFbWords(text)
	if c.kind != fbNone {
		c.raw = strings.TrimSpace(text)
	}
	return c
}

func parseFbWords(text string) fbCommand {
	t := strings.TrimSpace(toHalfWidth(text))
	t = strings.TrimLeft(t, "/")
	if m := askZH.FindStringSubmatch(t); m != nil {
		return withTokens(fbAsk, m[1]+" "+m[2], false)
	}
	if m := askEN.FindStringSubmatch(t); m != nil {
		return withTokens(fbAsk, m[1]+" "+m[2], false)
	}
	for _, w := range fbWords {
		if len(t) < len(w.word) || !strings.EqualFold(t[:len(w.word)], w.word) {
			continue
		}
		rest := t[len(w.word):]
		if rest != "" && isASCIIWord(w.word) && !startsSpace(rest) {
			continue
		}
		rest = strings.TrimSpace(rest)
		if w.kind == fbBoard {
			return fbCommand{kind: fbBoard, explicit: rest == ""}
		}
		return withTokens(w.kind, rest, w.kind == fbKudos)
	}
	return fbCommand{}
}

func isASCIIWord(s string) bool { return s != "" && s[0] < 0x80 }

func startsSpace(s string) bool { return s[0] == ' ' || s[0] == '\t' || s[0] == '\n' }

// withTokens splits the rest of a command into the people it names and its
// text. Mentions come first; without any, the first word is a name.
func withTokens(kind, rest string, tags bool) fbCommand {
	c := fbCommand{kind: kind}
	words := strings.Fields(listedMention.ReplaceAllString(rest, " @"))
	// The people come first: a run of mentions at the start, each maybe
	// followed by a few words that may complete its name ("@Priya Nair and
	// @Jonas"). A mention later in the text ("great pairing with @li") is
	// part of the note, not another recipient.
	i := 0
	for i < len(words) && isMention(words[i]) {
		c.tokens, c.ext = append(c.tokens, strings.TrimRight(words[i], ",，、")), append(c.ext, nil)
		c.explicit = true
		i++
		gap := i
		for gap < len(words) && gap-i < maxNameWords && !isMention(words[gap]) {
			gap++
		}
		if gap < len(words) && isMention(words[gap]) {
			// Words between two mentions are part of a name, or a word like
			// "and": resolve keeps them only if they complete a name.
			c.ext[len(c.ext)-1] = append(c.ext[len(c.ext)-1], trimList(words[i:gap])...)
			i = gap
		}
	}
	// A first "word" that is only list punctuation ("kudos , thanks") names
	// nobody.
	if len(c.tokens) == 0 && len(words) > 0 {
		if name := strings.TrimRight(words[0], ",，、"); name != "" {
			c.tokens, c.ext, i = []string{name}, [][]string{nil}, 1
		}
	}
	var text []string
	for _, w := range words[i:] {
		if tags && (strings.HasPrefix(w, "#") || strings.HasPrefix(w, "＃")) && len(w) > 1 {
			c.tags = append(c.tags, strings.TrimLeft(w, "#＃"))
			continue
		}
		text = append(text, w)
	}
	if n := len(c.ext); n > 0 {
		c.ext[n-1] = append(c.ext[n-1], text[:min(len(text), maxNameWords)]...)
	}
	c.text = strings.Join(text, " ")
	if kind == fbAsk {
		c.text = aboutWord.ReplaceAllString(c.text, "")
	}
	return c
}

func trimList(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.TrimRight(w, ",，、")
	}
	return out
}

// dropWords drops the first n words of the command's text: they completed
// the last token's name.
func (c *fbCommand) dropWords(n int) {
	words := strings.Fields(c.text)
	c.text = strings.Join(words[min(n, len(words)):], " ")
}

func isMention(w string) bool {
	return strings.HasPrefix(w, "@") || strings.HasPrefix(w, "<@") || strings.Contains(w, "@")
}

// Match lists the people token may mean, the exact fits if there are any.
// from is who wrote it: a Slack mention names a user of their workspace.
func Match(token string, from bot.Identity, people []bot.Person) []bot.Person {
	if id, ok := strings.CutPrefix(token, "<@"); ok {
		id, _, _ = strings.Cut(strings.TrimSuffix(id, ">"), "|")
		want := bot.Identity{Platform: from.Platform, Tenant: from.Tenant, UserID: id}
		return filter(people, func(p bot.Person) bool { return slices.Contains(p.Identities, want) })
	}
	if n, ok := strings.CutPrefix(token, "@#"); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		return filter(people, func(p bot.Person) bool { return err == nil && p.ID == id })
	}
	q := strings.ToLower(strings.TrimPrefix(token, "@"))
	if q == "" {
		return nil
	}
	exact := filter(people, func(p bot.Person) bool {
		email := strings.ToLower(p.Email)
		local, _, _ := strings.Cut(email, "@")
		name := strings.ToLower(p.Name)
		if email == q || local == q || name == q || strings.ReplaceAll(name, " ", "") == q {
			return true
		}
		id, ok := p.IdentityOn(from.Platform)
		return ok && id.Tenant == from.Tenant && strings.ToLower(id.UserID) == q
	})
	if len(exact) > 0 {
		return exact
	}
	return filter(people, func(p bot.Person) bool {
		local, _, _ := strings.Cut(strings.ToLower(p.Email), "@")
		return strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(local, q)
	})
}

func filter(people []bot.Person, keep func(bot.Person) bool) []bot.Person {
	var out []bot.Person
	for _, p := range people {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// maxPick is how many people a pick offers: platforms cap buttons.
const maxPick = 5

// resolve finds the one person each token of fc means. When a token is
// unclear it offers a pick (or says no one fits) and reports false.
func (c feedback) resolve(fc *fbCommand, text string) ([]bot.Person, bool) {
	if len(fc.tokens) == 0 {
		c.say(c.t.T("fb.usage." + fc.kind))
		return nil, false
	}
	var people []bot.Person
	for i, tok := range fc.tokens {
		found, k := c.longestName(tok, fc.ext[i])
		switch {
		case len(found) == 0:
			c.say(c.t.T("fb.nobody", "Name", bot.Neutralize(strings.TrimPrefix(tok, "@"))))
			return nil, false
		case len(found) > 1:
			c.offerPick(text, i, tok, found)
			return nil, false
		}
		if i == len(fc.tokens)-1 {
			// Middle tokens' extra words were between mentions; the last
			// token's are the start of the text.
			fc.dropWords(k)
		}
		if !slices.ContainsFunc(people, func(p bot.Person) bool { return p.ID == found[0].ID }) {
			people = append(people, found[0])
		}
	}
	return people, true
}

// longestName reads a token with as many of the words after it as make a
// name that fits exactly one person ("@Priya Nair"), and says how many it
// used; with none that does, the token alone.
func (c feedback) longestName(tok string, ext []string) ([]bot.Person, int) {
	for k := len(ext); k > 0; k-- {
		if found := c.in.Fb.Mentioned[joinName(tok, ext[:k])]; len(found) == 1 {
			return found, k
		}
	}
	return c.in.Fb.Mentioned[tok], 0
}

// offerPick asks which of found token i means, keeping the command.
func (c feedback) offerPick(text string, i int, tok string, found []bot.Person) {
	c.fbState(FlowPick, c.in.State.Fb)
	c.res.State.Pick = PickState{Text: text}
	m := bot.Message{Text: c.t.T("fb.pick", "Name", bot.Neutralize(strings.TrimPrefix(tok, "@")))}
	for _, p := range found[:min(len(found), maxPick)] {
		label := p.Name
		if p.Department != "" {
			label += " · " + p.Department
		}
		m.Buttons = append(m.Buttons, c.fbButton(actPick, p.ID, strconv.Itoa(i), label, bot.StyleDefault))
	}
	if len(found) > maxPick {
		m.Text += "\n" + c.t.T("fb.pick_more", "Count", len(found)-maxPick)
	}
	c.send(m)
}

// pendingText is the command a pick completes: the kept text with the
// picked person in place of the unclear token.
func pendingText(st State, a action) string {
	if st.Flow != FlowPick || st.Seq != a.Seq {
		return ""
	}
	fc := parseFbCommand(st.Pick.Text)
	i, err := strconv.Atoi(a.Arg)
	if err != nil || i < 0 || i >= len(fc.tokens) {
		return ""
	}
	return strings.Replace(st.Pick.Text, fc.tokens[i], "@#"+strconv.FormatInt(a.ID, 10), 1)
}

// picks asks who a mention meant, when it may mean several people, and
// runs the command once they picked.
type picks struct {
	*turn
	base
}

func (picks) owns() owns { return owns{actions: []string{actPick}, states: []string{FlowPick}} }

func (c picks) click(a action) { c.picked(a) }

// text takes cancel.
func (c picks) text(cmd command) bool { return c.in.State.Flow == FlowPick && c.cancelDraft(cmd) }

func (c picks) stands() bool {
	c.say(c.t.T("fb.where.pick"))
	return true
}

// picked runs the command a pick completed.
func (c picks) picked(a action) {
	text := pendingText(c.in.State, a)
	if text == "" {
		c.say(c.t.T("button.used"))
		return
	}
	for _, p := range c.in.Fb.Mentioned["@#"+strconv.FormatInt(a.ID, 10)] {
		c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", p.Name)})
	}
	c.res.State = State{Fb: c.in.State.Fb}
	feedback{turn: c.turn}.run(parseFbCommand(text), text)
}
