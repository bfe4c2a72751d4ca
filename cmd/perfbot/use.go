package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/perfbot/perfbot/internal/config"
)

// appUse is what a command wants of the app.
type appUse struct {
	// service is serve's and demo's: a JSON log at PERFBOT_LOG_LEVEL.
	// The other commands log only warnings, a readable line each.
	service bool
	// localVoice lets the command transcribe voice notes with a
	// recogniser installed on the machine when none is configured: the
	// demo's, which should work as it comes.
	localVoice bool
	// create lets the command create a SQLite database that is not there.
	// The others refuse, since a command run in the wrong folder would
	// otherwise work on a new empty database and look as if data were
	// lost.
	create bool
}

var (
	// adminUse is an administration command's: it answers on stdout, and
	// says on stderr which database it opened.
	adminUse = appUse{}
	// migrateUse is perfbot migrate's: it creates the database.
	migrateUse = appUse{create: true}
	// serviceUse is a long-running process's.
	serviceUse = appUse{service: true, create: true}
	// demoUse is perfbot demo's.
	demoUse = appUse{service: true, create: true, localVoice: true}
)

// sqliteFile is the absolute path of the SQLite file dbURL names, or ""
// for PostgreSQL and an in-memory SQLite.
func sqliteFile(dbURL string) string {
	path, ok := strings.CutPrefix(dbURL, "sqlite:")
	if !ok || path == "" || path == ":memory:" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// errNoDatabase is a SQLite database that is not there.
var errNoDatabase = errors.New("no database")

// databaseMissing says, with what to do, when the configured SQLite file
// does not exist.
func databaseMissing(cfg config.Config) error {
	path := sqliteFile(cfg.DatabaseURL)
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return withHint(fmt.Errorf("%w at %s (PERFBOT_DATABASE_URL=%s)", errNoDatabase, path, cfg.DatabaseURL),
		"run perfbot in the folder perfbot demo or serve runs in, set PERFBOT_DATABASE_URL to the database, or create one with `perfbot migrate`")
}

// where names the database a command opened, password hidden.
func where(cfg config.Config) string {
	if path := sqliteFile(cfg.DatabaseURL); path != "" {
		return "sqlite:" + path
	}
	return cfg.Redacted().DatabaseURL
}

// logger is the log the use wants.
func (u appUse) logger(env environment, cfg config.Config) *slog.Logger {
	if u.service {
		return slog.New(slog.NewJSONHandler(env.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	}
	return slog.New(newWarnings(env.stderr))
}
