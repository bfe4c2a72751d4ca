package bot_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"hi @all":             "hi @\u2060all",
		"@Channel please":     "@\u2060Channel please",
		"ping @所有人":           "ping @\u2060所有人",
		"mail me: a@b.com":    "mail me: a@b.com",
		"nothing to see":      "nothing to see",
		"@here and @everyone": "@\u2060here and @\u2060everyone",
	} {
		require.Equal(t, want, bot.Neutralize(in), in)
	}
}
