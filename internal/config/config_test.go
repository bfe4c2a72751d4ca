package config_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/seal"
)

// env is a getenv backed by a map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// writeFile writes a YAML file for one test and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "perfbot.yaml")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil), "")
	require.NoError(t, err)
	require.Equal(t, "sqlite:./data/perfbot.db", c.DatabaseURL)
	require.Empty(t, c.RedisURL)
	require.Equal(t, "127.0.0.1:8080", c.HTTPAddr)
	require.Equal(t, slog.LevelInfo, c.LogLevel)
	require.Equal(t, "en", c.DefaultLocale)
	require.Equal(t, "UTC", c.DefaultTimeZone.String())
	require.Equal(t, 20*time.Second, c.ShutdownTimeout)
	require.Nil(t, c.HookSecrets)
	require.Equal(t, eventkind.Defaults(), c.HookKinds)
	require.Equal(t, config.Kudos{}, c.Kudos, "praise keeps the flow's defaults")
	require.Equal(t, 30*time.Second, c.HTTPReadTimeout)
	require.Equal(t, 30*time.Second, c.HTTPWriteTimeout)
	require.Equal(t, time.Minute, c.HTTPIdleTimeout)
	require.Equal(t, 1024, c.HTTPMaxConns)
	require.Nil(t, c.SimulatorHosts)
	require.Empty(t, c.ButtonKeys, "perfbot generates one")
	require.Equal(t, seal.DefaultLifetime, c.ButtonLifetime)
	require.Equal(t, bot.DefaultClaim, c.InboxClaim)
	require.Equal(t, bot.DefaultStepTimeout, c.StepTimeout)
}

func TestEnvOverrides(t *testing.T) {
	tests := []struct {
		env   string
		value string
		got   func(config.Config) any
		want  any
	}{
		{"PERFBOT_DATABASE_URL", "postgres://perfbot:pw@db:5432/perfbot?sslmode=disable", func(c config.Config) any { return c.DatabaseURL }, "postgres://perfbot:pw@db:5432/perfbot?sslmode=disable"},
		{"PERFBOT_DATABASE_URL", "postgresql:///perfbot?host=/var/run/postgresql", func(c config.Config) any { return c.DatabaseURL }, "postgresql:///perfbot?host=/var/run/postgresql"},
		{"PERFBOT_DATABASE_URL", "sqlite:/var/lib/perfbot/perfbot.db", func(c config.Config) any { return c.DatabaseURL }, "sqlite:/var/lib/perfbot/perfbot.db"},
		{"PERFBOT_REDIS_URL", "redis://127.0.0.1:6379/0", func(c config.Config) any { return c.RedisURL }, "redis://127.0.0.1:6379/0"},
		{"PERFBOT_REDIS_URL", "rediss://:pw@cache.internal:6380/2", func(c config.Config) any { return c.RedisURL }, "rediss://:pw@cache.internal:6380/2"},
		{"PERFBOT_HTTP_ADDR", ":9090", func(c config.Config) any { return c.HTTPAddr }, ":9090"},
		{"PERFBOT_HTTP_ADDR", "[::1]:8443", func(c config.Config) any { return c.HTTPAddr }, "[::1]:8443"},
		{"PERFBOT_DEBUG_ADDR", "127.0.0.1:6060", func(c config.Config) any { return c.DebugAddr }, "127.0.0.1:6060"},
		{"PERFBOT_DEBUG_ADDR", "[::1]:6060", func(c config.Config) any { return c.DebugAddr }, "[::1]:6060"},
		{"PERFBOT_LOG_LEVEL", "debug", func(c config.Config) any { return c.LogLevel }, slog.LevelDebug},
		{"PERFBOT_LOG_LEVEL", "WARN", func(c config.Config) any { return c.LogLevel }, slog.LevelWarn},
		{"PERFBOT_LOG_LEVEL", "error", func(c config.Config) any { return c.LogLevel }, slog.LevelError},
		{"PERFBOT_DEFAULT_LOCALE", "zh-CN", func(c config.Config) any { return c.DefaultLocale }, "zh-CN"},
		{"PERFBOT_DEFAULT_LOCALE", "zh-cn", func(c config.Config) any { return c.DefaultLocale }, "zh-CN"},
		{"PERFBOT_DEFAULT_TIMEZONE", "Asia/Shanghai", func(c config.Config) any { return c.DefaultTimeZone.String() }, "Asia/Shanghai"},
		{"PERFBOT_SHUTDOWN_TIMEOUT", "1m30s", func(c config.Config) any { return c.ShutdownTimeout }, 90 * time.Second},
		{"PERFBOT_HOOK_SECRETS", "jira=0123456789abcdef, gitlab=c2VjcmV0c2VjcmV0c2VjcmV0PQ==", func(c config.Config) any { return c.HookSecrets },
			map[string]string{"jira": "0123456789abcdef", "gitlab": "c2VjcmV0c2VjcmV0c2VjcmV0PQ=="}},
		{"PERFBOT_CONNECTOR_SECRETS", "github=0123456789abcdef,jira_automation=c2VjcmV0c2VjcmV0c2VjcmV0PQ==", func(c config.Config) any { return c.ConnectorSecrets },
			map[string]string{"github": "0123456789abcdef", "jira_automation": "c2VjcmV0c2VjcmV0c2VjcmV0PQ=="}},
		{"PERFBOT_PUBLIC_URL", "https://perfbot.example.com/", func(c config.Config) any { return c.PublicURL }, "https://perfbot.example.com"},
		{"PERFBOT_HOOK_RULES", "/etc/perfbot/rules.yaml", func(c config.Config) any { return c.HookRules }, "/etc/perfbot/rules.yaml"},
		{"PERFBOT_HOOK_KINDS", "deal_won, okr-closed", func(c config.Config) any { return c.HookKinds }, []string{"deal_won", "okr-closed"}},
		{"PERFBOT_KUDOS_ALLOWANCE", "20", func(c config.Config) any { return c.Kudos.Allowance }, new(20)},
		{"PERFBOT_KUDOS_DAILY_CAP", "0", func(c config.Config) any { return c.Kudos.DailyCap }, new(0)},
		{"PERFBOT_KUDOS_VALUES", "Customer first / 客户第一; ;Craft", func(c config.Config) any { return c.Kudos.Values }, []string{"Customer first / 客户第一", "Craft"}},
		{"PERFBOT_KUDOS_VALUES", " ; ", func(c config.Config) any { return c.Kudos.Values }, []string{}},
		{"PERFBOT_KUDOS_FEED", "false", func(c config.Config) any { return c.Kudos.Feed }, new(false)},
		{"PERFBOT_HTTP_READ_TIMEOUT", "5s", func(c config.Config) any { return c.HTTPReadTimeout }, 5 * time.Second},
		{"PERFBOT_HTTP_WRITE_TIMEOUT", "2m", func(c config.Config) any { return c.HTTPWriteTimeout }, 2 * time.Minute},
		{"PERFBOT_HTTP_IDLE_TIMEOUT", "90s", func(c config.Config) any { return c.HTTPIdleTimeout }, 90 * time.Second},
		{"PERFBOT_HTTP_MAX_CONNS", "64", func(c config.Config) any { return c.HTTPMaxConns }, 64},
		{"PERFBOT_SIMULATOR_HOSTS", "Demo.Corp.Example, 10.0.0.5,,::1", func(c config.Config) any { return c.SimulatorHosts }, []string{"demo.corp.example", "10.0.0.5", "::1"}},
		{"PERFBOT_BUTTON_KEYS", "2=0123456789abcdefXYZ, 1=c2VjcmV0c2VjcmV0c2VjcmV0PQ==", func(c config.Config) any {
			return fmt.Sprintf("%c=%s %c=%s", c.ButtonKeys[0].ID(), c.ButtonKeys[0].Secret(), c.ButtonKeys[1].ID(), c.ButtonKeys[1].Secret())
		}, "2=0123456789abcdefXYZ 1=c2VjcmV0c2VjcmV0c2VjcmV0PQ=="},
		{"PERFBOT_BUTTON_LIFETIME", "168h", func(c config.Config) any { return c.ButtonLifetime }, 7 * 24 * time.Hour},
		{"PERFBOT_INBOX_CLAIM", "5m", func(c config.Config) any { return c.InboxClaim }, 5 * time.Minute},
		{"PERFBOT_STEP_TIMEOUT", "1s", func(c config.Config) any { return c.StepTimeout }, time.Second},
		{"PERFBOT_DASHBOARD_URL", "https://perfbot.example.com/", func(c config.Config) any { return c.Dashboard.URL }, "https://perfbot.example.com"},
		{"PERFBOT_DASHBOARD_MIN_GROUP", "7", func(c config.Config) any { return c.Dashboard.MinGroup }, 7},
	}
	for _, tt := range tests {
		t.Run(tt.env+"="+tt.value, func(t *testing.T) {
			c, err := config.Load(env(map[string]string{tt.env: tt.value}), "")
			require.NoError(t, err)
			require.Equal(t, tt.want, tt.got(c))
		})
	}
}

func TestFile(t *testing.T) {
	path := writeFile(t, `
database_url: postgres://perfbot@db/perfbot
redis_url: redis://cache:6379/1
http_addr: 0.0.0.0:8080
log_level: debug
default_locale: zh-CN
default_timezone: Asia/Shanghai
shutdown_timeout: 45s
hook_secrets: crm=0123456789abcdef
hook_kinds: deal_won
kudos_allowance: 12
kudos_values: Craft;Care
`)
	c, err := config.Load(env(nil), path)
	require.NoError(t, err)
	require.Equal(t, config.Config{
		DatabaseURL:      "postgres://perfbot@db/perfbot",
		RedisURL:         "redis://cache:6379/1",
		HTTPAddr:         "0.0.0.0:8080",
		LogLevel:         slog.LevelDebug,
		DefaultLocale:    "zh-CN",
		DefaultTimeZone:  mustZone(t, "Asia/Shanghai"),
		ShutdownTimeout:  45 * time.Second,
		HookSecrets:      map[string]string{"crm": "0123456789abcdef"},
		HookKinds:        []string{"deal_won"},
		Kudos:            config.Kudos{Allowance: new(12), Values: []string{"Craft", "Care"}},
		HTTPReadTimeout:  30 * time.Second,
		HTTPWriteTimeout: 30 * time.Second,
		HTTPIdleTimeout:  time.Minute,
		HTTPMaxConns:     1024,
		ButtonLifetime:   seal.DefaultLifetime,
		InboxClaim:       bot.DefaultClaim,
		StepTimeout:      bot.DefaultStepTimeout,
		Dashboard:        config.Dashboard{MinGroup: 5},
	}, c)
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name string
		file string // YAML; empty for no file
		env  map[string]string
		want string // HTTPAddr
	}{
		{name: "default", want: "127.0.0.1:8080"},
		{name: "file over default", file: "http_addr: 10.0.0.1:80\n", want: "10.0.0.1:80"},
		{name: "env over default", env: map[string]string{"PERFBOT_HTTP_ADDR": ":81"}, want: ":81"},
		{name: "env over file", file: "http_addr: 10.0.0.1:80\n", env: map[string]string{"PERFBOT_HTTP_ADDR": ":81"}, want: ":81"},
		{name: "empty env keeps file", file: "http_addr: 10.0.0.1:80\n", env: map[string]string{"PERFBOT_HTTP_ADDR": ""}, want: "10.0.0.1:80"},
		{name: "null in file keeps default", file: "http_addr:\n", want: "127.0.0.1:8080"},
		{name: "empty file", file: "\n", want: "127.0.0.1:8080"},
		{name: "comments only", file: "# nothing yet\n---\n", want: "127.0.0.1:8080"},
		{name: "null document", file: "~\n", want: "127.0.0.1:8080"},
		{name: "other keys only", file: "log_level: warn\n", want: "127.0.0.1:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeFile(t, tt.file)
			}
			c, err := config.Load(env(tt.env), path)
			require.NoError(t, err)
			require.Equal(t, tt.want, c.HTTPAddr)
		})
	}
}

// A bad value set in the file is only an error when the environment does
// not override it.
func TestEnvOverridesBadFileValue(t *testing.T) {
	path := writeFile(t, "log_level: loud\n")
	_, err := config.Load(env(nil), path)
	require.ErrorContains(t, err, "log_level")

	c, err := config.Load(env(map[string]string{"PERFBOT_LOG_LEVEL": "warn"}), path)
	require.NoError(t, err)
	require.Equal(t, slog.LevelWarn, c.LogLevel)
}

// secret is the password in every bad URL below: no error may show it.
const secret = "hunter2"

func TestErrors(t *testing.T) {
	tests := []struct {
		env   string
		value string
		want  string // in the error, after the variable's name
	}{
		{"PERFBOT_DATABASE_URL", "mysql://root:" + secret + "@db/perfbot", `unsupported scheme "mysql" (want postgres:// or sqlite:PATH)`},
		{"PERFBOT_DATABASE_URL", "perfbot.db", "no scheme"},
		{"PERFBOT_DATABASE_URL", "sqlite:", "sqlite: needs a path"},
		{"PERFBOT_DATABASE_URL", "postgres://root:" + secret + "@[::1/perfbot", "not a valid URL"},
		{"PERFBOT_DATABASE_URL", "postgres://root:" + secret + "%zz@db/perfbot", "not a valid URL"},
		{"PERFBOT_DATABASE_URL", "postgres://db:port/perfbot", `invalid port ":port"`},
		{"PERFBOT_REDIS_URL", "memcached://:" + secret + "@cache:11211", `unsupported scheme "memcached" (want redis:// or rediss://)`},
		{"PERFBOT_REDIS_URL", "cache:6379", "unsupported scheme"},
		{"PERFBOT_REDIS_URL", "127.0.0.1:6379", "not a valid URL"},
		{"PERFBOT_REDIS_URL", "redis:///0", "no host"},
		{"PERFBOT_REDIS_URL", "redis://:" + secret + "@cache:99999/0", `port "99999"`},
		{"PERFBOT_REDIS_URL", "redis://:" + secret + "@cache:6379/zero", "invalid database number"},
		{"PERFBOT_REDIS_URL", "redis://:" + secret + "@cache:6379/0?colour=blue", "unexpected option: colour"},
		{"PERFBOT_REDIS_URL", "redis://:" + secret + "@[cache/0", "not a valid URL"},
		{"PERFBOT_HTTP_ADDR", "8080", `"8080" is not host:port`},
		{"PERFBOT_DEBUG_ADDR", "0.0.0.0:6060", "loopback only"},
		{"PERFBOT_DEBUG_ADDR", ":6060", "loopback only"},
		{"PERFBOT_HTTP_ADDR", "localhost:http", `port "http"`},
		{"PERFBOT_HTTP_ADDR", "localhost:70000", `port "70000"`},
		{"PERFBOT_LOG_LEVEL", "verbose", `unknown level "verbose"`},
		{"PERFBOT_DEFAULT_LOCALE", "fr", `unsupported locale "fr" (want en or zh-CN)`},
		{"PERFBOT_DEFAULT_TIMEZONE", "Mars/Olympus", `unknown time zone "Mars/Olympus"`},
		{"PERFBOT_SHUTDOWN_TIMEOUT", "20", `"20" is not a duration`},
		{"PERFBOT_SHUTDOWN_TIMEOUT", "-5s", `"-5s" must be positive`},
		{"PERFBOT_SHUTDOWN_TIMEOUT", "0s", `"0s" must be positive`},
		{"PERFBOT_HOOK_SECRETS", secret + "-without-a-source", "entry 1 is not source=secret"},
		{"PERFBOT_HOOK_SECRETS", "jira=0123456789abcdef,Jira CRM=" + secret + secret + secret, `entry 2: source "Jira CRM" must be`},
		{"PERFBOT_HOOK_SECRETS", "jira=" + secret, `the secret of source "jira" is shorter than 16 characters`},
		{"PERFBOT_CONNECTOR_SECRETS", "bitbucket=" + secret + secret + secret, `entry 1: unknown name "bitbucket" (the names are github, gitlab, jira, jira_automation, hubspot)`},
		{"PERFBOT_PUBLIC_URL", "perfbot.example.com", `"perfbot.example.com" is not an absolute http(s) URL`},
		{"PERFBOT_HOOK_SECRETS", "jira=" + secret + secret + secret + ",jira=" + secret + secret + secret, `source "jira" is given twice`},
		{"PERFBOT_HOOK_KINDS", "deal_won,,release_shipped", `kind "" must be`},
		{"PERFBOT_HOOK_KINDS", "Deal Won", `kind "Deal Won" must be`},
		{"PERFBOT_HOOK_KINDS", "deal_won,deal_won", `kind "deal_won" is given twice`},
		{"PERFBOT_KUDOS_ALLOWANCE", "-1", `want a whole number of points, 0 or more, got "-1"`},
		{"PERFBOT_KUDOS_DAILY_CAP", "three", `got "three"`},
		{"PERFBOT_KUDOS_FEED", "sometimes", `want true or false, got "sometimes"`},
		{"PERFBOT_HTTP_IDLE_TIMEOUT", "0s", `"0s" must be positive`},
		{"PERFBOT_HTTP_WRITE_TIMEOUT", "forever", `"forever" is not a duration`},
		{"PERFBOT_HTTP_MAX_CONNS", "0", `want a whole number of connections, 1 or more, got "0"`},
		{"PERFBOT_SIMULATOR_HOSTS", "http://demo.example", `"http://demo.example" is not a host name`},
		{"PERFBOT_SIMULATOR_HOSTS", "demo.example:8080", `"demo.example:8080" is not a host name`},
		{"PERFBOT_BUTTON_KEYS", secret + "-without-an-id", "entry 1 is not id=secret"},
		{"PERFBOT_BUTTON_KEYS", "1=" + secret, "the secret of key 1 is shorter than 16 bytes"},
		{"PERFBOT_BUTTON_KEYS", "1=" + secret + secret + secret + ",1=" + secret + secret + secret, "key id 1 is given twice"},
		{"PERFBOT_BUTTON_LIFETIME", "45d", `"45d" is not a duration`},
		{"PERFBOT_BUTTON_LIFETIME", "0s", `"0s" must be positive`},
		{"PERFBOT_INBOX_CLAIM", "2", `"2" is not a duration`},
		{"PERFBOT_STEP_TIMEOUT", "-1s", `"-1s" must be positive`},
		{"PERFBOT_DASHBOARD_URL", "perfbot.example.com", `want the dashboard's public base URL`},
		{"PERFBOT_DASHBOARD_URL", "https://perfbot.example.com/?a=1", `want the dashboard's public base URL`},
		{"PERFBOT_DASHBOARD_MIN_GROUP", "1", `want a whole number of people, 2 or more, got "1"`},
	}
	for _, tt := range tests {
		t.Run(tt.env+"="+tt.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tt.env: tt.value}), "")
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.env+": ")
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), secret)
		})
	}
}

// A claim must outlast a step, or a second worker could take an event the
// first still handles.
func TestClaimOutlastsStep(t *testing.T) {
	_, err := config.Load(env(map[string]string{"PERFBOT_INBOX_CLAIM": "10s"}), "")
	require.ErrorContains(t, err, "PERFBOT_INBOX_CLAIM (10s) must be longer than PERFBOT_STEP_TIMEOUT (20s)")
	_, err = config.Load(env(map[string]string{"PERFBOT_STEP_TIMEOUT": "2m"}), "")
	require.ErrorContains(t, err, "PERFBOT_INBOX_CLAIM (2m0s) must be longer than PERFBOT_STEP_TIMEOUT (2m0s)")
	c, err := config.Load(env(map[string]string{"PERFBOT_INBOX_CLAIM": "3s", "PERFBOT_STEP_TIMEOUT": "1s"}), "")
	require.NoError(t, err)
	require.Equal(t, 3*time.Second, c.InboxClaim)
}

// A bad value from the file names the file and the key.
func TestFileValueErrorNamesKey(t *testing.T) {
	path := writeFile(t, "database_url: mysql://root:"+secret+"@db/perfbot\n")
	_, err := config.Load(env(nil), path)
	require.ErrorContains(t, err, path+": database_url: unsupported scheme \"mysql\"")
	require.NotContains(t, err.Error(), secret)
}

// Every bad value is reported, not only the first.
func TestErrorsAreAllReported(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"PERFBOT_LOG_LEVEL":        "loud",
		"PERFBOT_SHUTDOWN_TIMEOUT": "soon",
	}), "")
	require.ErrorContains(t, err, "PERFBOT_LOG_LEVEL")
	require.ErrorContains(t, err, "PERFBOT_SHUTDOWN_TIMEOUT")
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{"unknown key", "http_adr: :8080\n", `unknown key "http_adr"`},
		{"unknown section", "slack:\n  bot_token: " + secret + "\n", `unknown key "slack"`},
		{"list value", "http_addr: [a, b]\n", "http_addr must be a single value"},
		{"section for a value", "http_addr:\n  host: a\n", `unknown key "http_addr.host"`},
		{"duplicate key", "log_level: info\nlog_level: debug\n", "line 2: log_level is set twice"},
		{"not a mapping", "- a\n- b\n", "want keys and values"},
		{"scalar", "hello\n", "want keys and values"},
		{"syntax", "database_url: \"postgres://u:" + secret + "@h\n", "perfbot.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file)
			_, err := config.Load(env(nil), path)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), secret)
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, err := config.Load(env(nil), filepath.Join(t.TempDir(), "nope.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
	require.ErrorContains(t, err, config.EnvFile)
}

func loadWithSecrets(t *testing.T) config.Config {
	t.Helper()
	c, err := config.Load(env(map[string]string{
		"PERFBOT_DATABASE_URL": "postgres://perfbot:" + secret + "@db/perfbot?sslmode=require&password=" + secret,
		"PERFBOT_REDIS_URL":    "rediss://default:" + secret + "@cache:6380/0",
		"PERFBOT_HOOK_SECRETS": "jira=" + secret + secret + secret + ",crm=" + secret + "-" + secret + "-" + secret,
		"PERFBOT_BUTTON_KEYS":  "2=" + secret + secret + secret + ",1=" + secret + "-" + secret + "-" + secret,
	}), "")
	require.NoError(t, err)
	return c
}

func TestRedacted(t *testing.T) {
	c := loadWithSecrets(t)
	r := c.Redacted()
	require.Equal(t, "postgres://perfbot:xxxxx@db/perfbot?password=xxxxx&sslmode=require", r.DatabaseURL)
	require.Equal(t, "rediss://default:xxxxx@cache:6380/0", r.RedisURL)
	require.Equal(t, map[string]string{"jira": "xxxxx", "crm": "xxxxx"}, r.HookSecrets)
	require.Contains(t, c.DatabaseURL, secret, "Redacted must not change c")
	require.Equal(t, secret+secret+secret, c.HookSecrets["jira"], "Redacted must not change c's map")

	// Nothing else changes.
	r.DatabaseURL, r.RedisURL, r.HookSecrets = c.DatabaseURL, c.RedisURL, c.HookSecrets
	require.Equal(t, c, r)
}

func TestLoggedFormsHideSecrets(t *testing.T) {
	c := loadWithSecrets(t)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "config", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", c)
	fmt.Fprintf(&buf, "%v %+v %#v %s", c, c, c, c)
	out := buf.String()

	require.NotContains(t, out, secret)
	require.Contains(t, out, "rediss://default:xxxxx@cache:6380/0")
	require.Contains(t, out, "crm=xxxxx,jira=xxxxx")
	require.Contains(t, out, "2=xxxxx,1=xxxxx")
}

// Every field of Config is logged, so a field added later cannot be
// forgotten (or leak, if it holds a secret, without a test noticing here).
func TestLogValueHasEveryField(t *testing.T) {
	c, err := config.Load(env(nil), "")
	require.NoError(t, err)
	attrs := c.LogValue().Group()
	require.Len(t, attrs, reflect.TypeFor[config.Config]().NumField())
	for _, a := range attrs {
		require.Equal(t, strings.ToLower(a.Key), a.Key)
	}
}

func TestKudosLogged(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PERFBOT_KUDOS_ALLOWANCE": "20", "PERFBOT_KUDOS_VALUES": "Craft;Care"}), "")
	require.NoError(t, err)
	require.Equal(t, "allowance=20 daily_cap=default feed=default values=Craft;Care", c.Kudos.String())
}
