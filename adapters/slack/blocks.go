package slack

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// Block Kit limits (docs.slack.dev, reference/block-kit).
const (
	maxBlocks      = 50
	maxHeader      = 150  // header text
	maxSectionText = 3000 // section text
	maxFieldText   = 2000 // one section field
	maxFields      = 10   // fields per section
	maxButtonLabel = 75
	maxButtons     = 25 // elements per actions block
	maxFallback    = 4000
	// shortField is the longest value shown side by side with others;
	// longer ones get a section of their own so answers stay readable.
	shortField = 60
)

// actionsBlockID names the block holding perfbot's buttons.
const actionsBlockID = "perfbot_actions"

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes plain text safe in mrkdwn: Slack's control sequences (links,
// <@U123> mentions, <!channel>) all start with '<', and words like @here are
// defused too, so nothing a person typed can ping or link.
func escape(s string) string { return mrkdwnEscaper.Replace(bot.Neutralize(s)) }

// marked reports whether s holds what formats mrkdwn: bold, italics,
// strike-through or code marks, or a line quoted with ">". mrkdwn has no
// way to escape them, so such text goes in a plain_text object, which
// Slack shows as is.
func marked(s string) bool { return strings.ContainsAny(s, "*_~`") || quoted.MatchString(s) }

var quoted = regexp.MustCompile(`(?m)^\s*>`)

// pieces is text as section texts of at most limit characters that show it
// as itself: mrkdwnText (text escaped, perhaps with the adapter's own bold)
// unless text holds a mark of mrkdwn; then text as plain_text.
func pieces(text, mrkdwnText string, limit int) []*slackapi.TextBlockObject {
	var out []*slackapi.TextBlockObject
	if marked(text) {
		for _, chunk := range split(bot.Neutralize(text), limit) {
			out = append(out, slackapi.NewTextBlockObject(slackapi.PlainTextType, chunk, true, false))
		}
		return out
	}
	for _, chunk := range split(mrkdwnText, limit) {
		out = append(out, mrkdwn(chunk))
	}
	return out
}

// plain prepares text for a plain_text object, which Slack renders as is:
// no escaping, but broadcast words are still defused.
func plain(s string, limit int) string { return truncate(bot.Neutralize(s), limit) }

// unescape turns the text of a message Slack delivered back into what the
// person typed.
var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace

// truncate cuts s to at most limit characters, marking the cut.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit-1]) + "…"
}

// mrkdwn is a mrkdwn text object that Slack shows without rewriting it:
// verbatim stops it from turning bare channel names and URLs into links.
func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, true)
}

// render turns a Message into Block Kit blocks and the plain fallback text
// Slack shows in notifications.
func render(m bot.Message) (blocks []slackapi.Block, fallback string) {
	if m.Title != "" {
		blocks = append(blocks, slackapi.NewHeaderBlock(
			slackapi.NewTextBlockObject(slackapi.PlainTextType, plain(m.Title, maxHeader), true, false)))
	}
	if m.Text != "" {
		for _, text := range pieces(m.Text, escape(m.Text), maxSectionText) {
			blocks = append(blocks, slackapi.NewSectionBlock(text, nil, nil))
		}
	}
	blocks = append(blocks, fieldBlocks(m.Fields)...)
	if len(m.Buttons) > 0 {
		var els []slackapi.BlockElement
		for i, b := range m.Buttons[:min(len(m.Buttons), maxButtons)] {
			label := slackapi.NewTextBlockObject(slackapi.PlainTextType, plain(b.Label, maxButtonLabel), true, false)
			// action_id must be unique in the message; the value is perfbot's.
			btn := slackapi.NewButtonBlockElement("perfbot_"+strconv.Itoa(i), b.Value, label)
			switch b.Style {
			case bot.StylePrimary:
				btn.WithStyle(slackapi.StylePrimary)
			case bot.StyleDanger:
				btn.WithStyle(slackapi.StyleDanger)
			}
			els = append(els, btn)
		}
		if len(blocks) >= maxBlocks {
			blocks = blocks[:maxBlocks-1] // the buttons matter more than the tail of a long text
		}
		blocks = append(blocks, slackapi.NewActionBlock(actionsBlockID, els...))
	}
	if len(blocks) > maxBlocks {
		blocks = blocks[:maxBlocks]
	}
	fallback = m.Title
	if fallback == "" {
		fallback = m.Text
	}
	return blocks, truncate(escape(fallback), maxFallback)
}

// fieldBlocks lays out labelled values: short ones side by side in a
// section's fields, long ones each in a section of its own, in order.
func fieldBlocks(fields []bot.Field) []slackapi.Block {
	var (
		blocks []slackapi.Block
		short  []*slackapi.TextBlockObject
	)
	flush := func() {
		if len(short) > 0 {
			blocks = append(blocks, slackapi.NewSectionBlock(nil, short, nil))
			short = nil
		}
	}
	for _, f := range fields {
		if utf8.RuneCountInString(f.Value) <= shortField && !strings.Contains(f.Value, "\n") {
			short = append(short, fieldText(f, maxFieldText)[0])
			if len(short) == maxFields {
				flush()
			}
			continue
		}
		flush()
		for _, text := range fieldText(f, maxSectionText) {
			blocks = append(blocks, slackapi.NewSectionBlock(text, nil, nil))
		}
	}
	flush()
	return blocks
}

// fieldText is a field as its label in bold over its value, in pieces of
// at most limit characters; without the bold where it holds a mark.
func fieldText(f bot.Field, limit int) []*slackapi.TextBlockObject {
	label, value := strings.TrimSpace(f.Label), f.Value
	if value == "" {
		value = "—"
	}
	return pieces(label+"\n"+value, "*"+escape(label)+"*\n"+escape(value), limit)
}

// split cuts s into pieces of at most limit characters, at a line break
// when there is one in the second half of a piece, and never inside an
// escape such as &amp;.
func split(s string, limit int) []string {
	var out []string
	for utf8.RuneCountInString(s) > limit {
		r := []rune(s)
		cut := limit
		if nl := strings.LastIndex(string(r[:limit]), "\n"); nl > 0 && utf8.RuneCountInString(s[:nl]) > limit/2 {
			cut = utf8.RuneCountInString(s[:nl]) + 1
		} else if amp := strings.LastIndex(string(r[cut-5:cut]), "&"); amp >= 0 {
			cut = cut - 5 + utf8.RuneCountInString(string(r[cut-5 : cut])[:amp])
		}
		out = append(out, string(r[:cut]))
		s = string(r[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
