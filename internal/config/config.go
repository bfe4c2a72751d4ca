// Package config loads perfbot's settings from the environment and an
// optional YAML file.
//
// Every setting has a PERFBOT_* environment variable and a snake_case YAML
// key (PERFBOT_HTTP_ADDR and http_addr). A variable that is set overrides
// the file, and the file overrides the default. The file is named by
// PERFBOT_CONFIG; keys it holds that perfbot does not know are an error, so a
// typo is not silently ignored.
//
// A bad value is reported with the name of the variable or key it came from.
// Database and Redis URLs may carry passwords, and PERFBOT_HOOK_SECRETS and
// PERFBOT_BUTTON_KEYS hold secrets: no error and no logged form of [Config]
// ever shows one.
//
// Settings are declared once, in the fields table; an adapter adds its own
// by adding entries there (with a dotted YAML key such as "slack.bot_token"
// for a nested section) and the fields they fill to Config.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	// Embedded zone data, so a zone that loads here also loads on a minimal
	// image without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/redis/go-redis/v9"
	"go.yaml.in/yaml/v3"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
)

// Config is perfbot's configuration. Load fills every field.
type Config struct {
	// DatabaseURL is postgres://… (or postgresql://…) for PostgreSQL, or
	// sqlite:PATH for the embedded database.
	DatabaseURL string
	// RedisURL is redis://… or rediss://…; empty keeps dialog state in
	// process, which suits a single replica.
	RedisURL string
	HTTPAddr string // host:port the HTTP server listens on
	// DebugAddr, when set, is a loopback host:port serving Go's profiles
	// (/debug/pprof/) apart from the service's own port, so a profile of a
	// replica under load can be taken without exposing it.
	DebugAddr       string
	LogLevel        slog.Level
	DefaultLocale   string // "en" or "zh-CN"
	DefaultTimeZone *time.Location
	// ShutdownTimeout bounds how long a stopping perfbot waits for work in
	// flight.
	ShutdownTimeout time.Duration
	// CalendarFile, when set, adds or replaces years of the working-day
	// calendars (see internal/calendar).
	CalendarFile string
	// HookSecrets are the secrets that sign business events (POST
	// /hooks/events), by source name; empty turns the endpoint off.
	HookSecrets map[string]string
	// HookKinds are the kinds of business event taken.
	HookKinds []string
	// ConnectorSecrets are the secrets of the tools' own webhooks
	// (POST /hooks/github and the like), by name: github, gitlab, jira,
	// jira_automation, hubspot. A tool without one has no endpoint.
	ConnectorSecrets map[string]string
	// HookRules is the rules file mapping the tools' events to kinds, and
	// kinds to key-result increments (progress:); empty takes the default
	// rules and moves no key result but those an event names itself.
	HookRules string
	// PublicURL is perfbot's URL as the outside world calls it
	// (https://perfbot.example.com); HubSpot signs it. Empty: each
	// request's own host.
	PublicURL string
	// Kudos is how praise works, as far as it is configured.
	Kudos Kudos
	// HTTPReadTimeout bounds reading a whole request, body included, where
	// a route sets no shorter deadline (the platforms' webhooks do).
	HTTPReadTimeout time.Duration
	// HTTPWriteTimeout bounds writing a response; streams lift it.
	HTTPWriteTimeout time.Duration
	// HTTPIdleTimeout closes a keep-alive connection idle this long.
	HTTPIdleTimeout time.Duration
	// HTTPMaxConns caps the connections open at once; more wait to be
	// accepted.
	HTTPMaxConns int
	// SimulatorHosts are host names, besides loopback ones, the demo's
	// simulator answers on (lower case, no port).
	SimulatorHosts []string
	// ButtonKeys seal button values: the first signs, the others only
	// open, so a key rotates without breaking buttons already sent. Empty
	// uses a key perfbot generates once and keeps in the database.
	ButtonKeys []seal.Key
	// ButtonLifetime is how long a button can be used after it was sent.
	ButtonLifetime time.Duration
	// InboxClaim is how long a handling owns its event in the inbox; past
	// it (a replica died), the event is taken again. It must exceed
	// StepTimeout, the deadline of one handling.
	InboxClaim  time.Duration
	StepTimeout time.Duration
	// Dashboard is where the dashboard is reached and what it shows.
	Dashboard Dashboard
}

// Kudos is how praise is configured: the points a person may give a month
// and a day, the company values it may be tagged with, and whether it is
// public. A nil field is not configured and keeps the praise flow's default:
// the defaults belong to the flow, which cmd/perfbot maps these onto.
type Kudos struct {
	Allowance *int
	DailyCap  *int
	// Values is nil when not configured, and empty when configured to none.
	Values []string
	Feed   *bool
}

// field is one setting: where it comes from, its default, and how it is
// parsed into Config. parse must not put the value into its error when
// secret is set; the caller names the field.
type field struct {
	env    string
	yaml   string // dotted path into the YAML file
	def    string
	secret bool
	parse  func(c *Config, v string) error
}

var fields = []field{
	{env: "PERFBOT_DATABASE_URL", yaml: "database_url", def: "sqlite:./data/perfbot.db", secret: true, parse: parseDatabaseURL},
	{env: "PERFBOT_REDIS_URL", yaml: "redis_url", secret: true, parse: parseRedisURL},
	{env: "PERFBOT_HTTP_ADDR", yaml: "http_addr", def: "127.0.0.1:8080", parse: parseHTTPAddr},
	{env: "PERFBOT_DEBUG_ADDR", yaml: "debug_addr", parse: parseDebugAddr},
	{env: "PERFBOT_LOG_LEVEL", yaml: "log_level", def: "info", parse: parseLogLevel},
	{env: "PERFBOT_DEFAULT_LOCALE", yaml: "default_locale", def: "en", parse: parseLocale},
	{env: "PERFBOT_DEFAULT_TIMEZONE", yaml: "default_timezone", def: "UTC", parse: parseTimeZone},
	{env: "PERFBOT_SHUTDOWN_TIMEOUT", yaml: "shutdown_timeout", def: "20s", parse: func(c *Config, v string) error { return parseTimeout(&c.ShutdownTimeout, v) }},
	{env: "PERFBOT_HTTP_READ_TIMEOUT", yaml: "http_read_timeout", def: "30s", parse: func(c *Config, v string) error { return parseTimeout(&c.HTTPReadTimeout, v) }},
	{env: "PERFBOT_HTTP_WRITE_TIMEOUT", yaml: "http_write_timeout", def: "30s", parse: func(c *Config, v string) error { return parseTimeout(&c.HTTPWriteTimeout, v) }},
	{env: "PERFBOT_HTTP_IDLE_TIMEOUT", yaml: "http_idle_timeout", def: "60s", parse: func(c *Config, v string) error { return parseTimeout(&c.HTTPIdleTimeout, v) }},
	{env: "PERFBOT_HTTP_MAX_CONNS", yaml: "http_max_conns", def: "1024", parse: parseMaxConns},
	{env: "PERFBOT_SIMULATOR_HOSTS", yaml: "simulator_hosts", parse: parseSimulatorHosts},
	{env: "PERFBOT_CALENDAR", yaml: "calendar", parse: func(c *Config, v string) error { c.CalendarFile = v; return nil }},
	{env: "PERFBOT_HOOK_SECRETS", yaml: "hook_secrets", secret: true, parse: parseHookSecrets},
	{env: "PERFBOT_HOOK_KINDS", yaml: "hook_kinds", def: strings.Join(eventkind.Defaults(), ","), parse: parseHookKinds},
	{env: "PERFBOT_CONNECTOR_SECRETS", yaml: "connector_secrets", secret: true, parse: parseConnectorSecrets},
	{env: "PERFBOT_HOOK_RULES", yaml: "hook_rules", parse: func(c *Config, v string) error { c.HookRules = v; return nil }},
	{env: "PERFBOT_PUBLIC_URL", yaml: "public_url", parse: parsePublicURL},
	// No defaults: an unset kudos setting keeps the praise flow's own.
	{env: "PERFBOT_KUDOS_ALLOWANCE", yaml: "kudos_allowance",
		parse: func(c *Config, v string) error { return parsePoints(&c.Kudos.Allowance, v) }},
	{env: "PERFBOT_KUDOS_DAILY_CAP", yaml: "kudos_daily_cap",
		parse: func(c *Config, v string) error { return parsePoints(&c.Kudos.DailyCap, v) }},
	{env: "PERFBOT_KUDOS_VALUES", yaml: "kudos_values", parse: parseKudosValues},
	{env: "PERFBOT_KUDOS_FEED", yaml: "kudos_feed", parse: parseKudosFeed},
	{env: "PERFBOT_BUTTON_KEYS", yaml: "button_keys", secret: true, parse: parseButtonKeys},
	{env: "PERFBOT_BUTTON_LIFETIME", yaml: "button_lifetime", def: seal.DefaultLifetime.String(), parse: parseButtonLifetime},
	{env: "PERFBOT_INBOX_CLAIM", yaml: "inbox_claim", def: bot.DefaultClaim.String(), parse: func(c *Config, v string) error { return parseTimeout(&c.InboxClaim, v) }},
	{env: "PERFBOT_STEP_TIMEOUT", yaml: "step_timeout", def: bot.DefaultStepTimeout.String(), parse: func(c *Config, v string) error { return parseTimeout(&c.StepTimeout, v) }},
	{env: "PERFBOT_DASHBOARD_URL", yaml: "dashboard_url", parse: parseDashboardURL},
	{env: "PERFBOT_DASHBOARD_MIN_GROUP", yaml: "dashboard_min_group", def: "5", parse: parseDashboardMinGroup},
}

// EnvFile names the variable that holds the YAML file's path.
const EnvFile = "PERFBOT_CONFIG"

// Load reads the configuration: each variable getenv returns non-empty
// wins over the YAML file at yamlPath (none when empty), which wins over
// the defaults. Every bad value is reported, each naming its variable or
// key.
func Load(getenv func(string) string, yamlPath string) (Config, error) {
	var file map[string]string
	if yamlPath != "" {
		var err error
		if file, err = readFile(yamlPath); err != nil {
			return Config{}, err
		}
	}

	var c Config
	var errs []error
	for _, f := range fields {
		v, source := f.def, ""
		if fv, ok := file[f.yaml]; ok && fv != "" {
			v, source = fv, yamlPath+": "+f.yaml
		}
		if ev := getenv(f.env); ev != "" {
			v, source = ev, f.env
		}
		if source == "" {
			source = f.env + " (default)"
		}
		if err := f.parse(&c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", source, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	if c.InboxClaim <= c.StepTimeout {
		// A claim running out mid-step would let a second worker take the
		// event while the first still handles it.
		return Config{}, fmt.Errorf("PERFBOT_INBOX_CLAIM (%v) must be longer than PERFBOT_STEP_TIMEOUT (%v)", c.InboxClaim, c.StepTimeout)
	}
	return c, nil
}

// readFile reads the YAML file into dotted keys and scalar values.
func readFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvFile, err)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file sets nothing
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	known := make(map[string]bool, len(fields))
	for _, f := range fields {
		known[f.yaml] = true
	}
	out := make(map[string]string)
	if err := flatten(&doc, "", known, out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// flatten walks n, storing each scalar under its dotted path in out. It
// never quotes a value, which could be a secret.
func flatten(n *yaml.Node, path string, known map[string]bool, out map[string]string) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		root := n.Content[0]
		if root.Tag == "!!null" {
			return nil // a file of comments sets nothing
		}
		if root.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: want keys and values, such as http_addr: 127.0.0.1:8080", root.Line)
		}
		return flatten(root, path, known, out)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: keys must be plain names", k.Line)
			}
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if !known[p] && !knownSection(p, known) {
				return fmt.Errorf("line %d: unknown key %q", k.Line, p)
			}
			if _, dup := out[p]; dup {
				return fmt.Errorf("line %d: %s is set twice", k.Line, p)
			}
			if err := flatten(n.Content[i+1], p, known, out); err != nil {
				return err
			}
		}
		return nil
	case yaml.ScalarNode:
		if !known[path] {
			return fmt.Errorf("line %d: %s must be a section, not a value", n.Line, path)
		}
		if n.Tag == "!!null" {
			out[path] = ""
			return nil
		}
		out[path] = n.Value
		return nil
	case yaml.AliasNode:
		return fmt.Errorf("line %d: %s: aliases are not supported", n.Line, path)
	default:
		return fmt.Errorf("line %d: %s must be a single value", n.Line, path)
	}
}

// knownSection reports whether p is a prefix of known keys (slack in
// slack.bot_token).
func knownSection(p string, known map[string]bool) bool {
	for k := range known {
		if strings.HasPrefix(k, p+".") {
			return true
		}
	}
	return false
}

func parseDatabaseURL(c *Config, v string) error {
	const want = "(want postgres:// or sqlite:PATH)"
	if path, ok := strings.CutPrefix(v, "sqlite:"); ok {
		if path == "" {
			return errors.New("sqlite: needs a path, e.g. sqlite:./data/perfbot.db")
		}
		c.DatabaseURL = v
		return nil
	}
	u, err := parseURL(v)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "postgres", "postgresql":
	case "":
		return fmt.Errorf("no scheme %s", want)
	default:
		return fmt.Errorf("unsupported scheme %q %s", u.Scheme, want)
	}
	c.DatabaseURL = v
	return nil
}

func parseRedisURL(c *Config, v string) error {
	if v == "" {
		return nil // dialog state in process
	}
	u, err := parseURL(v)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "redis", "rediss":
	case "":
		return errors.New("no scheme (want redis:// or rediss://)")
	default:
		return fmt.Errorf("unsupported scheme %q (want redis:// or rediss://)", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("no host (want redis://host:port/db)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
	}
	// Catch what the Redis client would refuse at start, such as a bad
	// database number or option. It is given the URL without its user
	// part, so its message cannot quote the password.
	bare := *u
	bare.User = nil
	if _, err := redis.ParseURL(bare.String()); err != nil {
		return err
	}
	c.RedisURL = v
	return nil
}

// parseURL parses v without ever quoting a password. url.Parse's errors hold
// the whole URL, so only their reason is kept, and not even that when the
// URL has a user part: the reason may quote a piece of it.
func parseURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err == nil {
		return u, nil
	}
	if hasUserinfo(v) {
		return nil, errors.New("not a valid URL (check the host, the port, and that the user and password are %-escaped)")
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return nil, fmt.Errorf("not a valid URL: %v", err)
}

// hasUserinfo reports whether the authority of URL v has a user@ part.
func hasUserinfo(v string) bool {
	_, rest, ok := strings.Cut(v, "://")
	if !ok {
		return strings.Contains(v, "@") // cannot tell: assume so
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.Contains(rest, "@")
}

func parseHTTPAddr(c *Config, v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%q is not host:port", v)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || (n == 0 && port != "0") {
		return fmt.Errorf("%q: port %q is not a number from 0 to 65535", v, port)
	}
	c.HTTPAddr = v
	return nil
}

func parseLogLevel(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return fmt.Errorf("unknown level %q (want debug, info, warn or error)", v)
	}
	return nil
}

func parseLocale(c *Config, v string) error {
	for _, l := range i18n.Locales() {
		if strings.EqualFold(v, l) {
			c.DefaultLocale = l
			return nil
		}
	}
	return fmt.Errorf("unsupported locale %q (want %s)", v, strings.Join(i18n.Locales(), " or "))
}

func parseTimeZone(c *Config, v string) error {
	loc, err := time.LoadLocation(v)
	if err != nil {
		return fmt.Errorf("unknown time zone %q (want an IANA name such as Asia/Shanghai)", v)
	}
	c.DefaultTimeZone = loc
	return nil
}

// parseTimeout reads a positive duration into to.
func parseTimeout(to *time.Duration, v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (want e.g. 20s or 1m)", v)
	}
	if d <= 0 {
		return fmt.Errorf("%q must be positive", v)
	}
	*to = d
	return nil
}

func parseMaxConns(c *Config, v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return fmt.Errorf("want a whole number of connections, 1 or more, got %q", v)
	}
	c.HTTPMaxConns = n
	return nil
}

// parseSimulatorHosts reads "name,name2": host names or addresses, without
// a scheme or port, as the Host header names them.
func parseSimulatorHosts(c *Config, v string) error {
	c.SimulatorHosts = nil
	for h := range strings.SplitSeq(v, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if _, err := netip.ParseAddr(h); err != nil && strings.ContainsAny(h, ":/[]@*? ") {
			return fmt.Errorf("%q is not a host name (want e.g. perfbot-demo.corp.example, without scheme or port)", h)
		}
		c.SimulatorHosts = append(c.SimulatorHosts, h)
	}
	return nil
}

// parseButtonKeys reads "id=secret,id2=secret2", the signing key first.
// seal.ParseKeys never quotes a secret in its errors.
func parseButtonKeys(c *Config, v string) error {
	keys, err := seal.ParseKeys(v)
	if err != nil {
		return err
	}
	c.ButtonKeys = keys
	return nil
}

func parseButtonLifetime(c *Config, v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (want e.g. 1080h for 45 days)", v)
	}
	if d <= 0 {
		return fmt.Errorf("%q must be positive", v)
	}
	c.ButtonLifetime = d
	return nil
}

// parseHookSecrets reads "source=secret,source2=secret2".
func parseHookSecrets(c *Config, v string) error {
	secrets, err := parseSecrets(v, nil)
	if err != nil || secrets == nil {
		return err
	}
	c.HookSecrets = secrets
	return nil
}

// Connectors are the names PERFBOT_CONNECTOR_SECRETS takes.
func Connectors() []string { return []string{"github", "gitlab", "jira", "jira_automation", "hubspot"} }

// parseConnectorSecrets reads "github=secret,jira=secret2", names among
// Connectors.
func parseConnectorSecrets(c *Config, v string) error {
	secrets, err := parseSecrets(v, Connectors())
	if err != nil || secrets == nil {
		return err
	}
	c.ConnectorSecrets = secrets
	return nil
}

// parseSecrets reads "name=secret,name2=secret2", names among allowed
// unless it is nil; nil for an empty v. Its errors name names but never
// quote a secret, nor an entry that may be one.
func parseSecrets(v string, allowed []string) (map[string]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	secrets := make(map[string]string)
	for i, entry := range strings.Split(v, ",") {
		// Cut at the first "=": base64 secrets end in "=".
		source, secret, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok {
			return nil, fmt.Errorf("entry %d is not source=secret (want e.g. jira=SECRET,gitlab=SECRET2)", i+1)
		}
		if err := eventkind.CheckSource(source); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if allowed != nil && !slices.Contains(allowed, source) {
			return nil, fmt.Errorf("entry %d: unknown name %q (the names are %s)", i+1, source, strings.Join(allowed, ", "))
		}
		if _, dup := secrets[source]; dup {
			return nil, fmt.Errorf("source %q is given twice", source)
		}
		if len(secret) < eventkind.MinSecret {
			return nil, fmt.Errorf("the secret of source %q is shorter than %d characters (make one with: openssl rand -hex 32)", source, eventkind.MinSecret)
		}
		secrets[source] = secret
	}
	return secrets, nil
}

// parsePublicURL reads an absolute http(s) URL without a query.
func parsePublicURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return fmt.Errorf("%q is not an absolute http(s) URL such as https://perfbot.example.com", v)
	}
	c.PublicURL = strings.TrimSuffix(v, "/")
	return nil
}

// parseHookKinds reads "kind,kind2".
func parseHookKinds(c *Config, v string) error {
	var kinds []string
	for k := range strings.SplitSeq(v, ",") {
		k = strings.TrimSpace(k)
		if err := eventkind.Check(k); err != nil {
			return err
		}
		if slices.Contains(kinds, k) {
			return fmt.Errorf("kind %q is given twice", k)
		}
		kinds = append(kinds, k)
	}
	c.HookKinds = kinds
	return nil
}

// Redacted returns c with the passwords in its URLs and the hook secrets
// replaced by "xxxxx".
func (c Config) Redacted() Config {
	c.DatabaseURL = redactURL(c.DatabaseURL)
	c.RedisURL = redactURL(c.RedisURL)
	c.HookSecrets = hideSecrets(c.HookSecrets)
	c.ConnectorSecrets = hideSecrets(c.ConnectorSecrets)
	return c
}

// hideSecrets is secrets with every secret "xxxxx", in a new map: the
// config shares the caller's.
func hideSecrets(secrets map[string]string) map[string]string {
	if secrets == nil {
		return nil
	}
	hidden := make(map[string]string, len(secrets))
	for name := range secrets {
		hidden[name] = "xxxxx"
	}
	return hidden
}

// parseDebugAddr takes a loopback host:port only: profiles show the
// process's memory and must not be reachable from outside the host.
func parseDebugAddr(c *Config, v string) error {
	if v == "" {
		c.DebugAddr = "" // off
		return nil
	}
	host, _, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%q is not host:port", v)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%q: profiles are served on loopback only (127.0.0.1:PORT)", v)
	}
	c.DebugAddr = v
	return nil
}

// LogValue logs c redacted, so slog.Any("config", c) is safe.
func (c Config) LogValue() slog.Value {
	r := c.Redacted()
	tz := ""
	if r.DefaultTimeZone != nil {
		tz = r.DefaultTimeZone.String()
	}
	return slog.GroupValue(
		slog.String("database_url", r.DatabaseURL),
		slog.String("redis_url", r.RedisURL),
		slog.String("http_addr", r.HTTPAddr),
		slog.String("debug_addr", r.DebugAddr),
		slog.String("log_level", strings.ToLower(r.LogLevel.String())),
		slog.String("default_locale", r.DefaultLocale),
		slog.String("default_timezone", tz),
		slog.String("shutdown_timeout", r.ShutdownTimeout.String()),
		slog.String("calendar", r.CalendarFile),
		slog.String("hook_secrets", joinSecrets(r.HookSecrets)),
		slog.String("hook_kinds", strings.Join(r.HookKinds, ",")),
		slog.String("connector_secrets", joinSecrets(r.ConnectorSecrets)),
		slog.String("hook_rules", r.HookRules),
		slog.String("public_url", r.PublicURL),
		slog.String("kudos", r.Kudos.String()),
		slog.String("http_read_timeout", r.HTTPReadTimeout.String()),
		slog.String("http_write_timeout", r.HTTPWriteTimeout.String()),
		slog.String("http_idle_timeout", r.HTTPIdleTimeout.String()),
		slog.Int("http_max_conns", r.HTTPMaxConns),
		slog.String("simulator_hosts", strings.Join(r.SimulatorHosts, ",")),
		slog.String("button_keys", keyIDs(r.ButtonKeys)),
		slog.String("button_lifetime", r.ButtonLifetime.String()),
		slog.String("inbox_claim", r.InboxClaim.String()),
		slog.String("step_timeout", r.StepTimeout.String()),
		slog.String("dashboard", r.Dashboard.String()),
	)
}

// keyIDs names the button keys by id, signing key first; their secrets are
// never shown.
func keyIDs(keys []seal.Key) string {
	if len(keys) == 0 {
		return "(generated, kept in the database)"
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = string(k.ID()) + "=xxxxx"
	}
	return strings.Join(ids, ",")
}

// joinSecrets formats secrets as they are configured, each hidden whatever
// map it is given.
func joinSecrets(secrets map[string]string) string {
	var b strings.Builder
	for _, source := range slices.Sorted(maps.Keys(secrets)) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(source + "=xxxxx")
	}
	return b.String()
}

// String formats c redacted, so printing it with %v cannot leak a password.
func (c Config) String() string {
	return c.LogValue().String()
}

// GoString is String, for %#v.
func (c Config) GoString() string {
	return "config.Config" + c.String()
}

// redactURL hides the password in a URL's userinfo and in a password query
// parameter (which pgx accepts). What cannot be parsed is hidden whole.
func redactURL(v string) string {
	if v == "" || strings.HasPrefix(v, "sqlite:") {
		return v
	}
	u, err := url.Parse(v)
	if err != nil {
		return "(invalid URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// String formats k for the log, "default" for what is not configured.
func (k Kudos) String() string {
	values := "default"
	if k.Values != nil {
		values = strings.Join(k.Values, ";")
	}
	return fmt.Sprintf("allowance=%s daily_cap=%s feed=%s values=%s",
		orDefault(k.Allowance, strconv.Itoa), orDefault(k.DailyCap, strconv.Itoa), orDefault(k.Feed, strconv.FormatBool), values)
}

func orDefault[T any](v *T, format func(T) string) string {
	if v == nil {
		return "default"
	}
	return format(*v)
}

// parsePoints reads a number of praise points, 0 or more. Empty is not
// configured.
func parsePoints(to **int, v string) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return fmt.Errorf("want a whole number of points, 0 or more, got %q", v)
	}
	*to = &n
	return nil
}

// parseKudosValues reads company values separated by ";", each maybe
// "English / 中文". Empty is not configured; only separators are no values.
func parseKudosValues(c *Config, v string) error {
	if v == "" {
		return nil
	}
	c.Kudos.Values = []string{}
	for value := range strings.SplitSeq(v, ";") {
		if value = strings.TrimSpace(value); value != "" {
			c.Kudos.Values = append(c.Kudos.Values, value)
		}
	}
	return nil
}

func parseKudosFeed(c *Config, v string) error {
	if v == "" {
		return nil
	}
	feed, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("want true or false, got %q", v)
	}
	c.Kudos.Feed = &feed
	return nil
}
