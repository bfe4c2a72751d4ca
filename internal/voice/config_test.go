package voice

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	cfg, err := LoadConfig(env(nil))
	require.NoError(t, err)
	require.Equal(t, DefaultConfig(), cfg)
	require.Equal(t, 5*time.Minute, cfg.MaxDuration)
	require.EqualValues(t, 20<<20, cfg.MaxBytes)

	cfg, err = LoadConfig(env(map[string]string{
		"PERFBOT_VOICE_MAX_SECONDS": "120",
		"PERFBOT_VOICE_MAX_BYTES":   "10MB",
		"PERFBOT_VOICE_FFMPEG":      "/opt/ffmpeg/bin/ffmpeg",
		"PERFBOT_VOICE_ASR_URL":     "http://127.0.0.1:8000/v1/",
		"PERFBOT_VOICE_ASR_KEY":     secretKey,
		"PERFBOT_VOICE_ASR_MODEL":   "large-v3",
		"PERFBOT_VOICE_ASR_COMMAND": "pocketsphinx_continuous -infile {wav}",
		"PERFBOT_VOICE_LLM_URL":     "https://dashscope.aliyuncs.com/compatible-mode/v1",
		"PERFBOT_VOICE_LLM_KEY":     secretKey,
		"PERFBOT_VOICE_LLM_MODEL":   "qwen-plus",
		"PERFBOT_VOICE_RETENTION":   "30d",
	}))
	require.NoError(t, err)
	require.Equal(t, 2*time.Minute, cfg.MaxDuration)
	require.EqualValues(t, 10<<20, cfg.MaxBytes)
	require.Equal(t, "http://127.0.0.1:8000/v1", cfg.ASRURL)
	require.Equal(t, "large-v3", cfg.ASRModel)
	require.Equal(t, "qwen-plus", cfg.LLMModel)
	require.Equal(t, 30*24*time.Hour, cfg.Retention)

	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("voice", "config", cfg)
	require.NotContains(t, logged.String(), secretKey)
	require.Contains(t, logged.String(), `"llm_key_set":true`)

	cfg, err = LoadConfig(env(map[string]string{"PERFBOT_VOICE_RETENTION": "2160h"}))
	require.NoError(t, err)
	require.Equal(t, 90*24*time.Hour, cfg.Retention)
}

func TestLoadConfigErrors(t *testing.T) {
	for name, value := range map[string]string{
		"PERFBOT_VOICE_MAX_SECONDS": "five",
		"PERFBOT_VOICE_MAX_BYTES":   "-3",
		"PERFBOT_VOICE_ASR_URL":     "ftp://example.com",
		"PERFBOT_VOICE_LLM_URL":     "https://user:" + secretKey + "@example.com/v1",
		"PERFBOT_VOICE_ASR_COMMAND": "   ",
		"PERFBOT_VOICE_RETENTION":   "forever",
	} {
		_, err := LoadConfig(env(map[string]string{name: value}))
		require.Error(t, err, name)
		require.Contains(t, err.Error(), name)
		require.NotContains(t, err.Error(), secretKey)
	}
}
