package wecom

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
)

// WeCom's limits on what it shows. Texts are `text` messages, which every
// WeCom and WeChat client shows, unlike markdown; see safe for the markup
// they still read.
const (
	maxTextBytes  = 2048 // a text message's content
	maxButtons    = 6    // a card's button_list
	maxCardFields = 6    // a card's horizontal_content_list
	// Display limits of a card (WeCom's 建议不超过, in characters): past
	// them WeCom cuts the text.
	maxCardTitle = 26
	maxCardSub   = 112
	maxCardKey   = 5
	maxCardValue = 26
)

// payload is the msgtype-specific part of one message/send call.
type payload struct {
	MsgType      string        `json:"msgtype"`
	Text         *textContent  `json:"text,omitempty"`
	TemplateCard *templateCard `json:"template_card,omitempty"`
	Image        *mediaContent `json:"image,omitempty"`
}

type textContent struct {
	Content string `json:"content"`
}

// templateCard is a template_card of type button_interaction, as sent and
// as updated.
type templateCard struct {
	CardType    string       `json:"card_type"`
	MainTitle   *cardTitle   `json:"main_title,omitempty"`
	SubTitle    string       `json:"sub_title_text,omitempty"`
	Fields      []cardField  `json:"horizontal_content_list,omitempty"`
	TaskID      string       `json:"task_id,omitempty"`
	Buttons     []cardButton `json:"button_list,omitempty"`
	ReplaceText string       `json:"replace_text,omitempty"`
}

type cardTitle struct {
	Title string `json:"title"`
}

type cardField struct {
	KeyName string `json:"keyname"`
	Value   string `json:"value"`
}

type cardButton struct {
	Text  string `json:"text"`
	Style int    `json:"style"`
	Key   string `json:"key"`
}

const cardType = "button_interaction"

// render turns msg into the messages that show it: plain text, split below
// WeCom's limit, or, when it has buttons, template cards. A card shows
// little, so when msg does not fit one, the whole of it goes first as text
// and the card follows with what fits and the buttons.
func render(msg bot.Message) []payload {
	if len(msg.Buttons) == 0 {
		return texts(plain(msg))
	}
	card, fits := cardOf(msg)
	var out []payload
	if !fits {
		out = texts(plain(msg))
	}
	for chunk := range slices.Chunk(msg.Buttons, maxButtons) {
		c := card
		c.TaskID = newTaskID()
		c.Buttons = buttons(chunk)
		out = append(out, payload{MsgType: "template_card", TemplateCard: &c})
		card.Fields = nil // once is enough
	}
	return out
}

// cardOf is msg's content as a card without buttons, cut to WeCom's display
// limits, and whether nothing had to be cut.
func cardOf(msg bot.Message) (templateCard, bool) {
	c := templateCard{CardType: cardType}
	fits := true
	if t := oneLine(msg.Title); t != "" {
		c.MainTitle = &cardTitle{Title: cut(shorten(t, maxCardTitle, &fits), maxCardTitle, &fits)}
	}
	c.SubTitle = cut(safe(strings.TrimSpace(msg.Text)), maxCardSub, &fits)
	fieldsFit := len(msg.Fields) <= maxCardFields
	var fields []cardField
	for _, f := range msg.Fields {
		k, v := oneLine(f.Label), oneLine(f.Value)
		if utf8.RuneCountInString(k) > maxCardKey || utf8.RuneCountInString(v) > maxCardValue || strings.Contains(f.Value, "\n") {
			fieldsFit = false
		}
		fields = append(fields, cardField{KeyName: k, Value: v})
	}
	if fieldsFit {
		c.Fields = fields
	} else {
		fits = false // the fields are in the text sent before the card
	}
	if c.MainTitle == nil && c.SubTitle == "" {
		// WeCom wants a title or a sub-title on every card.
		c.MainTitle = &cardTitle{Title: "…"}
	}
	return c, fits
}

// plain is msg as plain text: the title, the text, then "label: value"
// lines; a value of several lines starts on its own line.
func plain(msg bot.Message) string {
	var parts []string
	if t := strings.TrimSpace(msg.Title); t != "" {
		parts = append(parts, t)
	}
	if t := strings.TrimSpace(msg.Text); t != "" {
		parts = append(parts, t)
	}
	var fields []string
	for _, f := range msg.Fields {
		v := strings.TrimSpace(f.Value)
		sep := ": "
		if strings.Contains(v, "\n") {
			sep = ":\n"
		}
		fields = append(fields, strings.TrimSpace(f.Label)+sep+v)
	}
	if len(fields) > 0 {
		parts = append(parts, strings.Join(fields, "\n"))
	}
	return safe(strings.Join(parts, "\n\n"))
}

// markup is what WeCom acts on in a text message: an HTML tag (it renders
// <a href> as a link), an HTML entity, and its id translation
// ($userName=id$ shows a member's name, $departmentName=id$ a
// department's).
var markup = regexp.MustCompile(`<[A-Za-z/!?@]|&[A-Za-z#]|\$(?i:username|departmentname)=`)

// safe is user-visible text that WeCom shows as itself and that pings
// nobody: broadcast mentions defused, and every start of markup broken by
// an invisible word joiner, so the text still reads the same.
func safe(s string) string {
	return markup.ReplaceAllStringFunc(bot.Neutralize(s), func(m string) string { return m[:1] + "\u2060" + m[1:] })
}

// texts is s as text messages, each within WeCom's limit.
func texts(s string) []payload {
	var out []payload
	for _, part := range splitText(s, maxTextBytes) {
		out = append(out, payload{MsgType: "text", Text: &textContent{Content: part}})
	}
	return out
}

// splitText cuts s into parts of at most max bytes, at the last paragraph
// break that fits, else the last line break, else the last space, else the
// last whole character, so a long answer reads on across messages.
func splitText(s string, max int) []string {
	var parts []string
	for len(s) > max {
		at := cutPoint(s[:max+1])
		parts = append(parts, strings.TrimRight(s[:at], " \n"))
		s = strings.TrimLeft(s[at:], " \n")
	}
	if s != "" || len(parts) == 0 {
		parts = append(parts, s)
	}
	return parts
}

// cutPoint is where to end a part of window, which is one byte longer than
// a part may be.
func cutPoint(window string) int {
	limit := len(window) - 1
	for _, sep := range []string{"\n\n", "\n", " "} {
		// Only a break in the second half: better a cut word than a
		// message of two lines followed by a full one.
		if i := strings.LastIndex(window, sep); i >= limit/2 && i > 0 {
			return i
		}
	}
	at := limit
	for at > 0 && !utf8.RuneStart(window[at]) {
		at--
	}
	return at
}

// oneLine is s on one line, made safe, for a card's short texts.
func oneLine(s string) string {
	return safe(strings.Join(strings.Fields(s), " "))
}

// cut shortens s to max characters, ending in "…", and notes whether it did.
// titleSep joins the parts of a title, the most telling first: "Check-in
// from Wang Fang · 2026-W49".
const titleSep = " · "

// shorten drops the last parts of a title longer than max runes until it
// fits or one part is left: cut at 26 runes, two managers' cards read
// "Check-in from Load WE0002…" alike, while "Check-in from Load WE00022"
// tells them apart.
func shorten(s string, max int, fits *bool) string {
	for utf8.RuneCountInString(s) > max {
		i := strings.LastIndex(s, titleSep)
		if i <= 0 {
			break
		}
		s, *fits = s[:i], false
	}
	return s
}

func cut(s string, max int, fits *bool) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	*fits = false
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// buttons are bs as a card's buttons; a button's key is its Value, which
// comes back as the click's EventKey.
func buttons(bs []bot.Button) []cardButton {
	out := make([]cardButton, 0, len(bs))
	for _, b := range bs {
		out = append(out, cardButton{Text: oneLine(b.Label), Style: buttonStyle(b.Style), Key: b.Value})
	}
	return out
}

// buttonStyle maps a style to WeCom's 1-4 (1 is the default, blue).
func buttonStyle(s bot.ButtonStyle) int {
	switch s {
	case bot.StylePrimary:
		return 1
	case bot.StyleDanger:
		return 3
	default:
		return 2
	}
}

// newTaskID is a card's task id: unique per app, at most 128 bytes of
// [0-9A-Za-z_-@].
func newTaskID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "pb-" + hex.EncodeToString(b)
}

// updatedCard is msg as the card that replaces a clicked one. Without
// buttons, the buttons give way to a grey, unclickable one reading msg's
// last line: the choice that was made.
func updatedCard(msg bot.Message) templateCard {
	c, _ := cardOf(msg)
	if len(msg.Buttons) > 0 {
		c.TaskID = newTaskID()
		c.Buttons = buttons(msg.Buttons[:min(len(msg.Buttons), maxButtons)])
		return c
	}
	last := strings.TrimSpace(msg.Text)
	if i := strings.LastIndex(last, "\n"); i >= 0 {
		last = last[i+1:]
	}
	if last = oneLine(last); last == "" {
		last = oneLine(msg.Title)
	}
	if last == "" {
		last = "✓"
	}
	var fits bool
	c.ReplaceText = cut(last, maxCardTitle, &fits)
	return c
}
