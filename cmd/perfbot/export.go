package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

// exportFlags are the flags every export takes: --format, and -o (or --out)
// for a file instead of stdout.
type exportFlags struct {
	format, out string
}

func (e *exportFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&e.format, "format", orgfile.FormatCSV, "csv or xlsx")
	fs.StringVar(&e.out, "o", "", "write to FILE instead of stdout")
	fs.StringVar(&e.out, "out", "", "write to FILE instead of stdout")
}

func (e *exportFlags) check() error {
	if e.format != orgfile.FormatCSV && e.format != orgfile.FormatXLSX {
		return usagef("--format must be csv or xlsx")
	}
	return nil
}

// write runs export on the output the flags name. A file is synced to
// disk once written, and then the rows, named by noun, and the file are
// told on stdout.
func (e *exportFlags) write(stdout io.Writer, noun string, export func(io.Writer) (int, error)) error {
	if e.out == "" {
		_, err := export(stdout)
		return err
	}
	f, err := os.Create(e.out)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := export(f)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	path, err := filepath.Abs(e.out)
	if err != nil {
		path = e.out
	}
	fmt.Fprintf(stdout, "wrote %s to %s\n", plural(rows, noun), path)
	return nil
}

func exportCheckins(ctx context.Context, env environment, args []string) error {
	var from, to string
	var e exportFlags
	if _, err := flags("export checkins", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "first date or week (inclusive)")
		fs.StringVar(&to, "to", "", "last date or week (inclusive)")
		e.define(fs)
	}); err != nil {
		return err
	}
	if err := e.check(); err != nil {
		return err
	}
	fromP, toP, err := orgfile.PeriodRange(from, to)
	if err != nil {
		return usagef("%v", err)
	}
	return withApp(ctx, env, func(a *app) error {
		return e.write(env.stdout, "check-in", func(w io.Writer) (int, error) {
			// The operator running the CLI reads as perfbot itself.
			return orgfile.ExportCheckins(ctx, a.store, store.System,
				store.RoundFilter{FromPeriod: fromP, ToPeriod: toP}, e.format, w)
		})
	})
}

func exportFeedback(ctx context.Context, env environment, args []string) error {
	var from, to string
	var e exportFlags
	if _, err := flags("export feedback", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "first month, e.g. 2026-11 (inclusive)")
		fs.StringVar(&to, "to", "", "last month, e.g. 2026-12 (inclusive)")
		e.define(fs)
	}); err != nil {
		return err
	}
	if err := e.check(); err != nil {
		return err
	}
	start, end, err := orgfile.MonthRange(from, to)
	if err != nil {
		return usagef("%v", err)
	}
	return withApp(ctx, env, func(a *app) error {
		return e.write(env.stdout, "row", func(w io.Writer) (int, error) {
			// Statistics over everyone: only perfbot itself may read them.
			return orgfile.ExportFeedback(ctx, a.store, store.System, start, end, e.format, w)
		})
	})
}
