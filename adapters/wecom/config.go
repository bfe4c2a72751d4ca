package wecom

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// DefaultAPIBase is where WeCom's server API lives.
const DefaultAPIBase = "https://qyapi.weixin.qq.com"

// Config is a WeCom self-built app's settings.
type Config struct {
	CorpID  string // WECOM_CORP_ID: the corp (企业ID), also every identity's tenant
	AgentID int64  // WECOM_AGENT_ID: the app's AgentId
	Secret  string // WECOM_SECRET: the app's Secret, for access tokens
	// Token and EncodingAESKey sign and encrypt callbacks (WECOM_TOKEN,
	// WECOM_ENCODING_AES_KEY).
	Token          string
	EncodingAESKey string
	// APIBase is WECOM_API_BASE, DefaultAPIBase unless set; tests point it
	// at a local fake.
	APIBase string
	// CallsPerMinute is the calls a minute made to each API
	// (WECOM_CALLS_PER_MINUTE); zero means DefaultCallsPerMinute.
	CallsPerMinute int
}

// DefaultCallsPerMinute is WeCom's published limit per corp on one API.
// Going faster earns errcode 45009 and a minute's block for the whole app.
const DefaultCallsPerMinute = 10000

// LoadConfig reads the WECOM_* variables. configured is false when none of
// the app's credentials is set; a missing or bad value is an error naming
// its variable, never showing a secret.
func LoadConfig(getenv func(string) string) (cfg Config, configured bool, err error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	cfg = Config{
		CorpID:         get("WECOM_CORP_ID"),
		Secret:         get("WECOM_SECRET"),
		Token:          get("WECOM_TOKEN"),
		EncodingAESKey: get("WECOM_ENCODING_AES_KEY"),
		APIBase:        get("WECOM_API_BASE"),
	}
	agent := get("WECOM_AGENT_ID")
	if cfg.CorpID == "" && agent == "" && cfg.Secret == "" && cfg.Token == "" && cfg.EncodingAESKey == "" {
		return Config{}, false, nil
	}
	var errs []error
	for _, v := range []struct{ name, value string }{
		{"WECOM_CORP_ID", cfg.CorpID}, {"WECOM_AGENT_ID", agent}, {"WECOM_SECRET", cfg.Secret},
		{"WECOM_TOKEN", cfg.Token}, {"WECOM_ENCODING_AES_KEY", cfg.EncodingAESKey},
	} {
		if v.value == "" {
			errs = append(errs, fmt.Errorf("%s: must be set when WeCom is configured", v.name))
		}
	}
	if agent != "" {
		if cfg.AgentID, err = strconv.ParseInt(agent, 10, 64); err != nil || cfg.AgentID <= 0 {
			errs = append(errs, errors.New("WECOM_AGENT_ID: must be the app's numeric AgentId"))
		}
	}
	if cfg.EncodingAESKey != "" {
		if _, kerr := aesKey(cfg.EncodingAESKey); kerr != nil {
			errs = append(errs, fmt.Errorf("WECOM_ENCODING_AES_KEY: %w", kerr))
		}
	}
	if n := get("WECOM_CALLS_PER_MINUTE"); n != "" {
		if cfg.CallsPerMinute, err = strconv.Atoi(n); err != nil || cfg.CallsPerMinute <= 0 {
			errs = append(errs, fmt.Errorf("WECOM_CALLS_PER_MINUTE: must be the calls a minute WeCom allows your corp per API (%d), divided by the replicas, not %q", DefaultCallsPerMinute, n))
		}
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	} else if u, perr := url.Parse(cfg.APIBase); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, errors.New("WECOM_API_BASE: must be an http(s) URL such as "+DefaultAPIBase))
	}
	if len(errs) > 0 {
		return Config{}, true, errors.Join(errs...)
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	return cfg, true, nil
}

// errKeyLength and errKeyEncoding describe a bad EncodingAESKey without
// showing it.
var (
	errKeyLength   = errors.New("must be 43 characters")
	errKeyEncoding = errors.New("must be the 43 base64 characters WeCom generated")
)

// aesKey decodes an EncodingAESKey into the 32-byte AES key.
func aesKey(encodingAESKey string) ([]byte, error) {
	if len(encodingAESKey) != 43 {
		return nil, errKeyLength
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errKeyEncoding
	}
	return key, nil
}

// LogValue shows the configuration without its secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("corp_id", c.CorpID), slog.Int64("agent_id", c.AgentID), slog.String("api_base", c.APIBase),
		slog.Int("calls_per_minute", cmp.Or(c.CallsPerMinute, DefaultCallsPerMinute)),
		slog.Bool("secret_set", c.Secret != ""), slog.Bool("token_set", c.Token != ""),
	)
}

// String is LogValue's text, so printing a Config cannot leak a secret.
func (c Config) String() string { return c.LogValue().String() }
