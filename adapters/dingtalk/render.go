package dingtalk

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/perfbot/perfbot/bot"
)

// maxCardButtons is the most buttons an action card holds
// (sampleActionCard5); more are rendered as links in the text.
const maxCardButtons = 5

// payload is a robot message as the send APIs take it.
type payload struct {
	MsgKey   string
	MsgParam string // JSON, as DingTalk wants it: a string
}

// render turns a plain-text Message into a DingTalk robot message: markdown
// (sampleMarkdown) without buttons, an action card with them.
func render(m bot.Message) payload {
	title := plain(m.Title)
	var b strings.Builder
	if title != "" {
		b.WriteString("#### " + escape(title) + "\n\n")
	}
	if m.Text != "" {
		b.WriteString(escape(plain(m.Text)) + "\n\n")
	}
	for _, f := range m.Fields {
		fmt.Fprintf(&b, "**%s**  \n%s\n\n", escape(plain(f.Label)), escape(plain(f.Value)))
	}
	buttons := m.Buttons
	if len(buttons) > maxCardButtons {
		for _, btn := range buttons[maxCardButtons:] {
			fmt.Fprintf(&b, "[%s](%s)  \n", escape(plain(btn.Label)), clickURL(btn))
		}
		buttons = buttons[:maxCardButtons]
	}
	text := strings.TrimSpace(b.String())
	// The title is what a notification shows: never empty.
	notice := title
	if notice == "" {
		notice = firstLine(plain(m.Text), 40)
	}
	param := map[string]string{"title": notice, "text": text}
	key := "sampleMarkdown"
	switch len(buttons) {
	case 0:
	case 1:
		key = "sampleActionCard"
		param["singleTitle"] = plain(buttons[0].Label)
		param["singleURL"] = clickURL(buttons[0])
	default:
		key = fmt.Sprintf("sampleActionCard%d", len(buttons))
		for i, btn := range buttons {
			param[fmt.Sprintf("actionTitle%d", i+1)] = plain(btn.Label)
			param[fmt.Sprintf("actionURL%d", i+1)] = clickURL(btn)
		}
	}
	raw, _ := json.Marshal(param)
	return payload{MsgKey: key, MsgParam: string(raw)}
}

// plain is user-visible text with broadcast mentions defused.
func plain(s string) string { return bot.Neutralize(strings.TrimSpace(s)) }

// markdownSpecial is every character DingTalk's markdown reads as markup
// anywhere in a line (emphasis, code, links, images, HTML, headings, tables,
// strike-through); listStart is what makes a line a list item.
var (
	markdownSpecial = regexp.MustCompile("[\\\\`*_\\[\\]<>#|~!]")
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

// A click on a dtmd://dingtalkclient/sendMessage link makes the person's
// client send content to the robot as if they typed it. The content is the
// button's label followed by its value in a marker the adapter recognises.
const (
	markerOpen  = "[#pb."
	markerClose = "]"
)

var clickMarker = regexp.MustCompile(`\[#pb\.([A-Za-z0-9_-]{1,120})\]\s*$`)

// clickURL is the link behind a button.
func clickURL(btn bot.Button) string {
	return "dtmd://dingtalkclient/sendMessage?content=" + url.QueryEscape(clickText(btn))
}

// clickText is what a click sends: the label, so the chat reads naturally,
// and the opaque value, base64url so any bytes survive.
func clickText(btn bot.Button) string {
	return plain(btn.Label) + " " + markerOpen + base64.RawURLEncoding.EncodeToString([]byte(btn.Value)) + markerClose
}

// clickValue recognises text sent by a button click and returns the value.
func clickValue(text string) (string, bool) {
	m := clickMarker.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	v, err := base64.RawURLEncoding.DecodeString(m[1])
	if err != nil || len(v) == 0 {
		return "", false
	}
	return string(v), true
}
