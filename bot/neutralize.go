package bot

import "regexp"

// broadcastMention matches the words that ping everyone on some platform.
var broadcastMention = regexp.MustCompile(`(?i)@(all|channel|here|everyone|所有人|全体成员)`)

// Neutralize defuses mentions that would notify a whole group when user text
// is echoed into chat, by putting an invisible word joiner after the '@'.
// The text still reads the same. Adapters call it before their own escaping.
func Neutralize(s string) string {
	return broadcastMention.ReplaceAllStringFunc(s, func(m string) string {
		return "@\u2060" + m[1:]
	})
}
