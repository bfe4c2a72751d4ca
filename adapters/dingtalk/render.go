package dingtalk

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// body is a message's text and fields as DingTalk markdown, without its
// title: the robot messages put the title in a heading, interactive cards in
// their header.
func body(m bot.Message) string {
	var b strings.Builder
	if m.Text != "" {
		b.WriteString(escape(plain(m.Text)) + "\n\n")
	}
	for _, f := range m.Fields {
		fmt.Fprintf(&b, "**%s**  \n%s\n\n", escape(plain(f.Label)), escape(plain(f.Value)))
	}
	return strings.TrimSpace(b.String())
}

// notice is what a notification shows for m: never empty.
func notice(m bot.Message) string {
	if t := plain(m.Title); t != "" {
		return t
	}
	return firstLine(plain(m.Text), 40)
}

// plain is user-visible text with broadcast mentions defused.
func plain(s string) string { return bot.Neutralize(strings.TrimSpace(s)) }

// markdownSpecial is every character DingTalk's markdown reads as markup
// anywhere in a line (emphasis, code, links, images, HTML, entities,
// headings, tables, strike-through); listStart is what makes a line a list
// item.
var (
	markdownSpecial = regexp.MustCompile("[\\\\`*_\\[\\]<>&#|~!]")
	listStart       = regexp.MustCompile(`(?m)^(\s*)([-+=]|\d+\.)`)
)

// escape makes plain text render as itself in DingTalk markdown (CommonMark
// backslash escapes), keeping its line breaks (markdown needs two spaces
// before a newline).
func escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = markdownSpecial.ReplaceAllString(s, `\$0`)
	s = listStart.ReplaceAllStringFunc(s, func(m string) string {
		i := len(m) - len(strings.TrimLeft(m, " \t"))
		if strings.HasSuffix(m, ".") {
			return m[:len(m)-1] + `\.`
		}
		return m[:i] + `\` + m[i:]
	})
	return strings.ReplaceAll(s, "\n", "  \n")
}

func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
