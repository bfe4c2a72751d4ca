package dingtalk

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Mode is how DingTalk delivers events to perfbot.
type Mode string

// The modes.
const (
	// ModeStream keeps a connection open to DingTalk: no public URL needed.
	ModeStream Mode = "stream"
	// ModeHTTP takes DingTalk's callbacks on perfbot's HTTP server.
	ModeHTTP Mode = "http"
)

// Buttons is how buttons are sent.
type Buttons string

// The button kinds.
const (
	// ButtonsCard sends interactive cards (StandardCard): a click comes back
	// through the card callback on the stream connection, and the card is
	// updated to show the choice. Stream mode only.
	ButtonsCard Buttons = "card"
	// ButtonsActionCard sends action cards whose buttons make the person's
	// client send a short text back: works in both modes, but the click shows
	// as a message and the card cannot be updated.
	ButtonsActionCard Buttons = "actioncard"
)

// The default API bases.
const (
	DefaultAPIBase  = "https://api.dingtalk.com"
	DefaultOAPIBase = "https://oapi.dingtalk.com"
)

// Config is the DingTalk app perfbot speaks as.
type Config struct {
	ClientID     string // the app's Client ID (AppKey)
	ClientSecret string // the app's Client Secret (AppSecret)
	RobotCode    string // the robot's code; the Client ID unless set
	Mode         Mode
	// Buttons is how buttons are sent: interactive cards in stream mode,
	// action cards in HTTP mode (card callbacks come only by stream).
	Buttons Buttons
	// CallbackToken and CallbackAESKey verify and decrypt event
	// subscriptions in HTTP mode.
	CallbackToken  string
	CallbackAESKey string
	APIBase        string // the new API, https://api.dingtalk.com
	OAPIBase       string // the old API, https://oapi.dingtalk.com
	// CorpID is the organisation: the Tenant of every identity.
	CorpID string
	// QPS is the calls a second made to each API (DINGTALK_QPS); zero
	// means DefaultQPS, the lowest edition's limit.
	QPS int
}

// String never shows the secrets.
func (c Config) String() string {
	return fmt.Sprintf("dingtalk{client_id=%s robot=%s mode=%s buttons=%s corp=%s api=%s oapi=%s qps=%d}",
		c.ClientID, c.RobotCode, c.Mode, c.Buttons, c.CorpID, c.APIBase, c.OAPIBase, cmp.Or(c.QPS, DefaultQPS))
}

// LoadConfig reads the DINGTALK_* variables. configured is false when no
// credentials are set at all. Errors name the variable and never echo a
// secret.
func LoadConfig(getenv func(string) string) (cfg Config, configured bool, err error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	cfg = Config{
		ClientID:       get("DINGTALK_CLIENT_ID"),
		ClientSecret:   get("DINGTALK_CLIENT_SECRET"),
		RobotCode:      get("DINGTALK_ROBOT_CODE"),
		Mode:           Mode(strings.ToLower(get("DINGTALK_MODE"))),
		Buttons:        Buttons(strings.ToLower(get("DINGTALK_BUTTONS"))),
		CallbackToken:  get("DINGTALK_CALLBACK_TOKEN"),
		CallbackAESKey: get("DINGTALK_CALLBACK_AES_KEY"),
		APIBase:        get("DINGTALK_API_BASE"),
		OAPIBase:       get("DINGTALK_OAPI_BASE"),
		CorpID:         get("DINGTALK_CORP_ID"),
	}
	if cfg.ClientID == "" && cfg.ClientSecret == "" {
		return cfg, false, nil
	}
	var errs []error
	if q := get("DINGTALK_QPS"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > 1000 {
			errs = append(errs, fmt.Errorf("DINGTALK_QPS: must be the calls a second your edition allows per API (20, 40 or 60), not %q", q))
		}
		cfg.QPS = n
	}
	if cfg.ClientID == "" {
		errs = append(errs, errors.New("DINGTALK_CLIENT_ID: must be set with DINGTALK_CLIENT_SECRET"))
	}
	if cfg.ClientSecret == "" {
		errs = append(errs, errors.New("DINGTALK_CLIENT_SECRET: must be set with DINGTALK_CLIENT_ID"))
	}
	if cfg.CorpID == "" {
		errs = append(errs, errors.New("DINGTALK_CORP_ID: must be set (the organisation's corp id, dingxxxx)"))
	}
	if cfg.RobotCode == "" {
		cfg.RobotCode = cfg.ClientID
	}
	switch cfg.Mode {
	case "":
		cfg.Mode = ModeStream
	case ModeStream, ModeHTTP:
	default:
		errs = append(errs, fmt.Errorf("DINGTALK_MODE: must be stream or http, not %q", cfg.Mode))
	}
	switch cfg.Buttons {
	case "":
		cfg.Buttons = ButtonsCard
		if cfg.Mode == ModeHTTP {
			cfg.Buttons = ButtonsActionCard
		}
	case ButtonsActionCard:
	case ButtonsCard:
		if cfg.Mode == ModeHTTP {
			errs = append(errs, errors.New("DINGTALK_BUTTONS: card needs DINGTALK_MODE=stream (card clicks come back only on the stream connection); use actioncard"))
		}
	default:
		errs = append(errs, fmt.Errorf("DINGTALK_BUTTONS: must be card or actioncard, not %q", cfg.Buttons))
	}
	if (cfg.CallbackToken == "") != (cfg.CallbackAESKey == "") {
		errs = append(errs, errors.New("DINGTALK_CALLBACK_TOKEN and DINGTALK_CALLBACK_AES_KEY: set both or neither"))
	}
	if cfg.CallbackAESKey != "" {
		if _, err := aesKey(cfg.CallbackAESKey); err != nil {
			errs = append(errs, fmt.Errorf("DINGTALK_CALLBACK_AES_KEY: %w", err))
		}
	}
	for _, b := range []struct {
		name string
		v    *string
		def  string
	}{{"DINGTALK_API_BASE", &cfg.APIBase, DefaultAPIBase}, {"DINGTALK_OAPI_BASE", &cfg.OAPIBase, DefaultOAPIBase}} {
		if *b.v == "" {
			*b.v = b.def
			continue
		}
		u, err := url.Parse(*b.v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s: must be an http(s) URL like %s", b.name, b.def))
			continue
		}
		*b.v = strings.TrimRight(*b.v, "/")
	}
	return cfg, true, errors.Join(errs...)
}

// aesKey decodes a 43-character EncodingAESKey into its 32 bytes.
func aesKey(s string) ([]byte, error) {
	if len(s) != 43 {
		return nil, errors.New("must be 43 characters")
	}
	k, err := base64.StdEncoding.DecodeString(s + "=")
	if err != nil || len(k) != 32 {
		return nil, errors.New("must be base64 (43 characters, as DingTalk generates it)")
	}
	return k, nil
}

// DefaultQPS is the calls a second perfbot makes to each DingTalk API: the
// published per-API limit of the lowest edition (20; higher editions 40 and
// 60). Going faster only earns QpsLimit refusals and their backoff.
const DefaultQPS = 20
