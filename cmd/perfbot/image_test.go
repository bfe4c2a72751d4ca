package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// The weekly digest sends its chart through engine.SendImage, which asks
// the registered adapter for bot.ImageSender: every platform perfbot serve
// builds must answer yes, or its managers get the words only.
func TestEveryPlatformSendsImages(t *testing.T) {
	vars := sqliteVars(t)
	for k, v := range map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
		"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cret", "WECOM_TOKEN": "tok",
		"WECOM_ENCODING_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
		"DINGTALK_CLIENT_ID":     "dingkey", "DINGTALK_CLIENT_SECRET": "s3cret", "DINGTALK_CORP_ID": "dingcorp",
	} {
		vars[k] = v
	}
	var out, errb lockedBuffer
	env := environment{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }, clock: time.Now}
	ctx := context.Background()
	require.NoError(t, withApp(ctx, env, func(a *app) error {
		var built []bot.Platform
		for _, build := range platforms {
			ad, err := build(ctx, a)
			require.NoError(t, err)
			require.NotNil(t, ad)
			_, ok := ad.(bot.ImageSender)
			require.True(t, ok, "%s cannot send the digest's chart", ad.Platform())
			built = append(built, ad.Platform())
		}
		require.ElementsMatch(t, []bot.Platform{bot.Slack, bot.WeCom, bot.DingTalk}, built)
		return nil
	}))
}
