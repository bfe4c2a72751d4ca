package wecom_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
)

func env(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

func TestLoadConfig(t *testing.T) {
	_, configured, err := wecom.LoadConfig(env(nil))
	require.NoError(t, err)
	require.False(t, configured, "nothing set: WeCom is off")

	full := map[string]string{
		"WECOM_CORP_ID": corp, "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": secret,
		"WECOM_TOKEN": vecToken, "WECOM_ENCODING_AES_KEY": vecKey,
	}
	cfg, configured, err := wecom.LoadConfig(env(full))
	require.NoError(t, err)
	require.True(t, configured)
	require.Equal(t, wecom.Config{CorpID: corp, AgentID: agent, Secret: secret, Token: vecToken, EncodingAESKey: vecKey, APIBase: wecom.DefaultAPIBase}, cfg)
	require.NotContains(t, cfg.String(), secret)
	require.NotContains(t, fmt.Sprint(cfg), vecToken)

	for name, c := range map[string]struct{ key, value, want string }{
		"short key": {"WECOM_ENCODING_AES_KEY", vecKey[:40], "WECOM_ENCODING_AES_KEY: must be 43 characters"},
		"bad key":   {"WECOM_ENCODING_AES_KEY", "!" + vecKey[1:], "WECOM_ENCODING_AES_KEY"},
		"agent":     {"WECOM_AGENT_ID", "app", "WECOM_AGENT_ID"},
		"no secret": {"WECOM_SECRET", "", "WECOM_SECRET: must be set"},
		"bad base":  {"WECOM_API_BASE", "qyapi.weixin.qq.com", "WECOM_API_BASE"},
		"bad rate":  {"WECOM_CALLS_PER_MINUTE", "fast", "WECOM_CALLS_PER_MINUTE: must be the calls a minute"},
		"no rate":   {"WECOM_CALLS_PER_MINUTE", "0", "WECOM_CALLS_PER_MINUTE"},
	} {
		vars := map[string]string{}
		for k, v := range full {
			vars[k] = v
		}
		vars[c.key] = c.value
		_, configured, err := wecom.LoadConfig(env(vars))
		require.True(t, configured, name)
		require.ErrorContains(t, err, c.want, name)
		require.NotContains(t, err.Error(), vecKey[:40], name)
		require.NotContains(t, err.Error(), secret, name)
	}

	full["WECOM_API_BASE"] = "http://127.0.0.1:9999/"
	cfg, _, err = wecom.LoadConfig(env(full))
	require.NoError(t, err)
	require.Equal(t, "http://127.0.0.1:9999", cfg.APIBase)
	require.Contains(t, cfg.String(), "calls_per_minute=10000", "the default limit, shown")

	full["WECOM_CALLS_PER_MINUTE"] = "5000"
	cfg, _, err = wecom.LoadConfig(env(full))
	require.NoError(t, err)
	require.Equal(t, 5000, cfg.CallsPerMinute)
}
