package slack

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultAPIURL is Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// Config is the Slack app's credentials and where its API is.
type Config struct {
	// BotToken (SLACK_BOT_TOKEN, xoxb-...) calls the Web API.
	BotToken string
	// AppToken (SLACK_APP_TOKEN, xapp-...) turns on Socket Mode.
	AppToken string
	// SigningSecret (SLACK_SIGNING_SECRET) verifies HTTP requests. It is
	// required without AppToken.
	SigningSecret string
	// APIURL (SLACK_API_URL) is the Web API's base, ending in a slash.
	APIURL string
}

// SocketMode reports whether events arrive over Socket Mode rather than HTTP.
func (c Config) SocketMode() bool { return c.AppToken != "" }

// String keeps the secrets out of logs.
func (c Config) String() string {
	mode := "http"
	if c.SocketMode() {
		mode = "socket"
	}
	return fmt.Sprintf("slack{mode: %s, api: %s}", mode, c.APIURL)
}

// LoadConfig reads the Slack settings. configured is false when no Slack
// credential is set at all. An error names the variable and never echoes a
// secret.
func LoadConfig(getenv func(string) string) (cfg Config, configured bool, err error) {
	cfg = Config{
		BotToken:      strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		AppToken:      strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		SigningSecret: strings.TrimSpace(getenv("SLACK_SIGNING_SECRET")),
		APIURL:        strings.TrimSpace(getenv("SLACK_API_URL")),
	}
	if cfg.BotToken == "" && cfg.AppToken == "" && cfg.SigningSecret == "" {
		return Config{}, false, nil
	}
	var errs []error
	switch {
	case cfg.BotToken == "":
		errs = append(errs, errors.New("SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set"))
	case !strings.HasPrefix(cfg.BotToken, "xoxb-"):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN: must be a bot token starting with xoxb-"))
	}
	if cfg.AppToken != "" && !strings.HasPrefix(cfg.AppToken, "xapp-") {
		errs = append(errs, errors.New("SLACK_APP_TOKEN: must be an app-level token starting with xapp-"))
	}
	if cfg.AppToken == "" && cfg.SigningSecret == "" {
		errs = append(errs, errors.New("SLACK_SIGNING_SECRET: required for the Events API over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"))
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	} else if u, perr := url.Parse(cfg.APIURL); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, errors.New("SLACK_API_URL: must be an http(s) URL such as https://slack.com/api/"))
	} else if !strings.HasSuffix(cfg.APIURL, "/") {
		// slack-go appends the method name to the base as is.
		cfg.APIURL += "/"
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, true, err
	}
	return cfg, true, nil
}
