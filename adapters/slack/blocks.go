package slack

import (
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
		for _, chunk := range split(escape(m.Text), maxSectionText) {
			blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(chunk), nil, nil))
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
		label := "*" + escape(strings.TrimSpace(f.Label)) + "*"
		value := escape(f.Value)
		if value == "" {
			value = "—"
		}
		if utf8.RuneCountInString(f.Value) <= shortField && !strings.Contains(f.Value, "\n") {
			short = append(short, mrkdwn(truncate(label+"\n"+value, maxFieldText)))
			if len(short) == maxFields {
				flush()
			}
			continue
		}
		flush()
		for _, chunk := range split(label+"\n"+value, maxSectionText) {
			blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(chunk), nil, nil))
		}
	}
	flush()
	return blocks
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
