package voice

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is how the pipeline is set up. LoadConfig reads it from the
// environment; the zero values of the optional fields mean "not used".
type Config struct {
	// MaxDuration and MaxBytes bound the audio accepted (default 5 minutes
	// and 20 MB): longer or bigger audio fails with ErrTooLong/ErrTooLarge.
	MaxDuration time.Duration
	MaxBytes    int64
	// FFmpeg is the ffmpeg executable, a path or a name looked up in PATH.
	FFmpeg string

	// ASRURL is the base URL of an OpenAI-compatible speech-to-text API,
	// up to and including the version ("http://127.0.0.1:8000/v1"); the
	// pipeline posts to ASRURL + "/audio/transcriptions". Empty: not used.
	ASRURL   string
	ASRKey   string
	ASRModel string
	// ASRCommand is a local speech-to-text command line, split on spaces:
	// {wav} is replaced by the path of the 16 kHz WAV and {lang} by the
	// language ("en", "zh"); without {wav} the WAV is written to its stdin.
	// Its stdout is the transcript. Empty: not used.
	ASRCommand string
	// ASRTimeout bounds one transcription attempt (default 2 minutes).
	ASRTimeout time.Duration

	// LLMURL is the base URL of an OpenAI-compatible chat-completions API
	// ("https://api.deepseek.com/v1"); the pipeline posts to LLMURL +
	// "/chat/completions". Empty: the offline summariser alone.
	LLMURL   string
	LLMKey   string
	LLMModel string
	// LLMTimeout bounds one summary attempt (default 1 minute).
	LLMTimeout time.Duration

	// Retention is how long a transcript is kept (default 90 days);
	// Result.ExpiresAt is when it runs out.
	Retention time.Duration
}

// Defaults.
const (
	DefaultMaxDuration = 5 * time.Minute
	DefaultMaxBytes    = 20 << 20
	DefaultRetention   = 90 * 24 * time.Hour
	DefaultASRModel    = "whisper-1"
	DefaultLLMModel    = "gpt-4o-mini"
	defaultASRTimeout  = 2 * time.Minute
	defaultLLMTimeout  = time.Minute
)

// DefaultConfig is the configuration with nothing set: the limits, ffmpeg
// from PATH, no remote providers.
func DefaultConfig() Config {
	return Config{
		MaxDuration: DefaultMaxDuration,
		MaxBytes:    DefaultMaxBytes,
		FFmpeg:      "ffmpeg",
		ASRModel:    DefaultASRModel,
		ASRTimeout:  defaultASRTimeout,
		LLMModel:    DefaultLLMModel,
		LLMTimeout:  defaultLLMTimeout,
		Retention:   DefaultRetention,
	}
}

// LoadConfig reads the PERFBOT_VOICE_* variables through getenv (os.Getenv
// in production). A bad value is an error naming the variable; a secret is
// never part of an error.
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	var err error
	if v := getenv("PERFBOT_VOICE_MAX_SECONDS"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n <= 0 {
			return Config{}, fmt.Errorf("PERFBOT_VOICE_MAX_SECONDS: want a positive whole number of seconds, got %q", v)
		}
		cfg.MaxDuration = time.Duration(n) * time.Second
	}
	if v := getenv("PERFBOT_VOICE_MAX_BYTES"); v != "" {
		if cfg.MaxBytes, err = parseBytes(v); err != nil {
			return Config{}, fmt.Errorf("PERFBOT_VOICE_MAX_BYTES: %w", err)
		}
	}
	if v := getenv("PERFBOT_VOICE_FFMPEG"); v != "" {
		cfg.FFmpeg = v
	}
	if cfg.ASRURL, err = baseURL(getenv, "PERFBOT_VOICE_ASR_URL"); err != nil {
		return Config{}, err
	}
	cfg.ASRKey = getenv("PERFBOT_VOICE_ASR_KEY")
	if v := getenv("PERFBOT_VOICE_ASR_MODEL"); v != "" {
		cfg.ASRModel = v
	}
	if v := getenv("PERFBOT_VOICE_ASR_COMMAND"); v != "" {
		if len(strings.Fields(v)) == 0 {
			return Config{}, fmt.Errorf("PERFBOT_VOICE_ASR_COMMAND: empty command")
		}
		cfg.ASRCommand = v
	}
	if cfg.LLMURL, err = baseURL(getenv, "PERFBOT_VOICE_LLM_URL"); err != nil {
		return Config{}, err
	}
	cfg.LLMKey = getenv("PERFBOT_VOICE_LLM_KEY")
	if v := getenv("PERFBOT_VOICE_LLM_MODEL"); v != "" {
		cfg.LLMModel = v
	}
	if v := getenv("PERFBOT_VOICE_RETENTION"); v != "" {
		if cfg.Retention, err = parseRetention(v); err != nil {
			return Config{}, fmt.Errorf("PERFBOT_VOICE_RETENTION: %w", err)
		}
	}
	return cfg, nil
}

// baseURL reads an http(s) URL without a trailing slash. The value is not
// echoed in errors: people paste URLs with credentials in them.
func baseURL(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s: want an http:// or https:// URL", name)
	}
	if u.User != nil {
		return "", fmt.Errorf("%s: put the key in the _KEY variable, not in the URL", name)
	}
	return strings.TrimRight(v, "/"), nil
}

// parseBytes reads "20971520", "20MB", "20MiB", "512KB" (powers of 1024:
// what people mean by a 20 MB upload limit).
func parseBytes(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"MIB", 1 << 20}, {"KIB", 1 << 10}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size like 20MB or 20971520, got %q", v)
	}
	return n * mult, nil
}

// parseRetention reads a Go duration ("2160h") or whole days ("90d").
func parseRetention(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("want a duration like 90d or 720h, got %q", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a duration like 90d or 720h, got %q", v)
	}
	return d, nil
}

// LogValue keeps the keys out of logs: slog prints whether each is set.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Duration("max_duration", c.MaxDuration),
		slog.Int64("max_bytes", c.MaxBytes),
		slog.String("ffmpeg", c.FFmpeg),
		slog.String("asr_url", c.ASRURL),
		slog.Bool("asr_key_set", c.ASRKey != ""),
		slog.String("asr_model", c.ASRModel),
		slog.String("asr_command", c.ASRCommand),
		slog.String("llm_url", c.LLMURL),
		slog.Bool("llm_key_set", c.LLMKey != ""),
		slog.String("llm_model", c.LLMModel),
		slog.Duration("retention", c.Retention),
	)
}
