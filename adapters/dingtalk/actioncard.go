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

// This file is the robot-message rendering: markdown, and the action-card
// fallback for buttons (HTTP mode, or DINGTALK_BUTTONS=actioncard), whose
// buttons are dtmd:// links. A click makes the person's client send a short
// text to the robot, which inbound.go turns back into a click. Interactive
// cards (card.go) replace them in stream mode.

// maxCardButtons is the most buttons an action card holds
// (sampleActionCard5); more are rendered as links in the text.
const maxCardButtons = 5

// robotMessage is a robot message as the send APIs take it.
type robotMessage struct {
	MsgKey   string
	MsgParam string // JSON, as DingTalk wants it: a string
}

// renderRobot turns a plain-text Message into a robot message: markdown
// (sampleMarkdown) without buttons, an action card with them.
func renderRobot(m bot.Message) robotMessage {
	var b strings.Builder
	if title := plain(m.Title); title != "" {
		b.WriteString("#### " + escape(title) + "\n\n")
	}
	if text := body(m); text != "" {
		b.WriteString(text + "\n\n")
	}
	buttons := m.Buttons
	if len(buttons) > maxCardButtons {
		for _, btn := range buttons[maxCardButtons:] {
			fmt.Fprintf(&b, "[%s](%s)  \n", escape(plain(btn.Label)), clickURL(btn))
		}
		buttons = buttons[:maxCardButtons]
	}
	param := map[string]string{"title": notice(m), "text": strings.TrimSpace(b.String())}
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
	return robotMessage{MsgKey: key, MsgParam: string(raw)}
}

// A click on a dtmd://dingtalkclient/sendMessage link makes the person's
// client send content to the robot as if they typed it. The content is the
// button's label followed by its value in a marker the adapter recognises.
const (
	markerOpen  = "[#pb."
	markerClose = "]"
)

// clickMarker bounds the value at 384 bytes: the longest perfbot sends, a
// business event's with its title and the value's seal, is under 300.
var clickMarker = regexp.MustCompile(`\[#pb\.([A-Za-z0-9_-]{1,512})\]\s*$`)

// clickURL is the link behind an action-card button.
func clickURL(btn bot.Button) string {
	return "dtmd://dingtalkclient/sendMessage?content=" + url.QueryEscape(clickText(btn))
}

// clickText is what a click sends: the label, so the chat reads naturally,
// and the opaque value, base64url so any bytes survive.
func clickText(btn bot.Button) string {
	return plain(btn.Label) + " " + markerOpen + base64.RawURLEncoding.EncodeToString([]byte(btn.Value)) + markerClose
}

// clickValue recognises text sent by an action-card click and returns the
// value.
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
