package conversations_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/conversations"
)

func TestLoadFeedbackConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := conversations.LoadFeedbackConfig(env(nil))
	require.NoError(t, err)
	require.Equal(t, conversations.DefaultFeedbackConfig(), cfg)

	cfg, err = conversations.LoadFeedbackConfig(env(map[string]string{
		"PERFBOT_KUDOS_ALLOWANCE": "20", "PERFBOT_KUDOS_DAILY_CAP": "5",
		"PERFBOT_KUDOS_VALUES": "Customer first / 客户第一; ;Craft", "PERFBOT_KUDOS_FEED": "false",
	}))
	require.NoError(t, err)
	require.Equal(t, conversations.FeedbackConfig{Allowance: 20, DailyCap: 5, Values: []string{"Customer first / 客户第一", "Craft"}}, cfg)

	for k, v := range map[string]string{"PERFBOT_KUDOS_ALLOWANCE": "-1", "PERFBOT_KUDOS_DAILY_CAP": "three", "PERFBOT_KUDOS_FEED": "sometimes"} {
		_, err := conversations.LoadFeedbackConfig(env(map[string]string{k: v}))
		require.ErrorContains(t, err, k)
	}
}
