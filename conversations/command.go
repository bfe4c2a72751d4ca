package conversations

import (
	"strconv"
	"strings"
	"unicode"
)

// Commands a person may type at any point, in either language.
const (
	cmdNone    = ""
	cmdHelp    = "help"
	cmdCheckin = "checkin"
	cmdSkip    = "skip"
	cmdCancel  = "cancel"
	cmdEdit    = "edit"
	cmdSubmit  = "submit"
	cmdLater   = "later"
)

var commandWords = map[string]string{
	"help": cmdHelp, "?": cmdHelp, "帮助": cmdHelp, "h": cmdHelp,
	"checkin": cmdCheckin, "check-in": cmdCheckin, "check in": cmdCheckin, "start": cmdCheckin,
	"resume": cmdCheckin, "签到": cmdCheckin, "周报": cmdCheckin, "开始": cmdCheckin, "继续": cmdCheckin,
	"skip": cmdSkip, "跳过": cmdSkip, "pass": cmdSkip,
	"cancel": cmdCancel, "stop": cmdCancel, "取消": cmdCancel, "暂停": cmdCancel,
	"edit": cmdEdit, "修改": cmdEdit, "编辑": cmdEdit,
	"submit": cmdSubmit, "提交": cmdSubmit, "send": cmdSubmit,
	"later": cmdLater, "稍后": cmdLater, "remind me later": cmdLater, "稍后提醒": cmdLater,
}

// command is a typed command and its number argument ("edit 2" -> edit, 2).
type command struct {
	Name string
	N    int // 0 when no number was given
}

// parseCommand recognises a whole message as a command. Anything else is an
// answer, so "skip the meeting" is an answer, and "skip" is a command.
func parseCommand(text string) command {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	t = strings.TrimLeft(t, "/")
	t = strings.TrimRight(t, ".!。！")
	if name, ok := commandWords[t]; ok {
		return command{Name: name}
	}
	// "edit 2", "edit2", "修改 2", "修改第2项"
	for word, name := range commandWords {
		if name != cmdEdit || !strings.HasPrefix(t, word) {
			continue
		}
		rest := strings.TrimSpace(strings.TrimPrefix(t, word))
		rest = strings.TrimSuffix(strings.TrimPrefix(rest, "第"), "项")
		rest = strings.TrimSpace(strings.TrimPrefix(rest, "#"))
		if n, err := strconv.Atoi(rest); err == nil && n > 0 {
			return command{Name: cmdEdit, N: n}
		}
	}
	return command{}
}

// toHalfWidth turns full-width digits, letters and signs (common from
// Chinese input methods) into their ASCII forms.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// parseNumber reads a goal progress such as "40", "40%", "40 %", "４０％" or
// "12.5". percent says the person wrote a percent sign.
func parseNumber(text string) (value float64, percent bool, ok bool) {
	t := strings.TrimSpace(toHalfWidth(text))
	if strings.HasSuffix(t, "%") {
		percent = true
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	t = strings.TrimFunc(t, unicode.IsSpace)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v != v { // v != v: NaN
		return 0, false, false
	}
	return v, percent, true
}

// parseMood reads 1-5, typed or from a button.
func parseMood(text string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(toHalfWidth(text)))
	if err != nil || n < 1 || n > 5 {
		return 0, false
	}
	return n, true
}
