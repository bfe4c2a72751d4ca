package slack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
)

func TestLoadConfig(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

	_, configured, err := slack.LoadConfig(env(nil))
	require.NoError(t, err)
	require.False(t, configured)

	cfg, configured, err := slack.LoadConfig(env(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}))
	require.NoError(t, err)
	require.True(t, configured)
	require.False(t, cfg.SocketMode())
	require.Equal(t, slack.DefaultAPIURL, cfg.APIURL)

	cfg, _, err = slack.LoadConfig(env(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": "http://127.0.0.1:9/api"}))
	require.NoError(t, err)
	require.True(t, cfg.SocketMode())
	require.Equal(t, "http://127.0.0.1:9/api/", cfg.APIURL)
	require.NotContains(t, cfg.String(), "xoxb-1")

	for _, c := range []struct {
		vars  map[string]string
		names string
	}{
		{map[string]string{"SLACK_SIGNING_SECRET": "hunter2"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxp-hunter2", "SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-hunter2"}, "SLACK_SIGNING_SECRET"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "hunter2"}, "SLACK_APP_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": "ftp://hunter2"}, "SLACK_API_URL"},
	} {
		_, configured, err := slack.LoadConfig(env(c.vars))
		require.True(t, configured)
		require.ErrorContains(t, err, c.names)
		require.NotContains(t, err.Error(), "hunter2", "a secret is never echoed")
	}
}
