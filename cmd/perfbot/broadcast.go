package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/store"
)

// broadcastSend creates a broadcast; perfbot serve sends it.
func broadcastSend(ctx context.Context, env environment, args []string) error {
	var (
		text, to string
		ack      bool
		remind   time.Duration
	)
	fs, err := flags("broadcast send", args, func(fs *flag.FlagSet) {
		fs.StringVar(&text, "text", "", "the announcement")
		fs.StringVar(&to, "to", "everyone", "everyone, team:NAME, dept:NAME, role:ROLE or email:a@b.com, comma-separated")
		fs.BoolVar(&ack, "ack", false, `add an "I've read it" button`)
		fs.DurationVar(&remind, "remind-after", conversations.DefaultRemindAfter, "with --ack, remind who has not read it after this long (0: never)")
	})
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case fs.NArg() > 0:
		return usagef("unexpected %q: quote the --text", fs.Arg(0))
	case n == 0:
		return usagef("--text is missing")
	case n > conversations.MaxBroadcast:
		return usagef("--text has %d characters; at most %d", n, conversations.MaxBroadcast)
	case remind < 0:
		return usagef("--remind-after must not be negative")
	}
	aud, err := audience.Parse(to)
	if err != nil {
		return usagef("--to: %v", err)
	}
	if !ack {
		remind = 0
	}
	return withApp(ctx, env, func(a *app) error {
		res, err := audience.Resolve(ctx, a.store, aud)
		if err != nil {
			return err
		}
		if len(res.Missing) > 0 {
			return fmt.Errorf("nothing was sent: nobody matches %s", strings.Join(res.Missing, ", "))
		}
		b := store.Broadcast{Text: text, Ack: ack, RemindAfter: remind, Audience: aud}
		if _, err := a.store.CreateBroadcast(ctx, &b, res.IDs()); err != nil {
			return err
		}
		err = a.store.Audit(ctx, store.AuditEntry{At: env.clock(), Actor: "cli", Action: "broadcast.create",
			Object: fmt.Sprintf("broadcast:%d", b.ID), Detail: fmt.Sprintf("%d recipients, ack %t", len(res.People), ack)})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "broadcast %d queued for %d people; perfbot serve sends it\n", b.ID, len(res.People))
		return nil
	})
}

// broadcastStatus prints how a broadcast went.
func broadcastStatus(ctx context.Context, env environment, args []string) error {
	var failed bool
	define := func(fs *flag.FlagSet) {
		fs.BoolVar(&failed, "failed", false, "list every recipient it failed for, and why")
	}
	fs, err := flags("broadcast status", args, define)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("which broadcast? give its ID (perfbot broadcast list shows them)")
	}
	// Flags may follow the ID, too.
	idArg := fs.Arg(0)
	if fs, err = flags("broadcast status", fs.Args()[1:], define); err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(idArg, "#"), 10, 64)
	if err != nil || id <= 0 || fs.NArg() > 0 {
		return usagef("takes one ID, a number")
	}
	return withApp(ctx, env, func(a *app) error {
		s, err := findBroadcast(ctx, a.store, id)
		if err != nil {
			return err
		}
		w := env.stdout
		fmt.Fprintf(w, "broadcast %d, %s, to %s\n", id, s.Broadcast.CreatedAt.UTC().Format("2006-01-02 15:04"), audience.String(s.Broadcast.Audience))
		fmt.Fprintf(w, "recipients %d: sent %d, failed %d, pending %d; possible duplicates %d\n", s.Total, s.Sent, s.Failed, s.Pending, s.Reclaims)
		if s.Broadcast.Ack {
			fmt.Fprintf(w, "read %d of %d sent (%.1f%%); reminders sent %d\n", s.Acked, s.Sent, 100*s.ReadRate(), s.Reminded)
		}
		if !failed {
			if len(s.Failures) > 0 {
				fmt.Fprintf(w, "%d failures: --failed lists them\n", len(s.Failures))
			}
			return nil
		}
		tw := newTable(w)
		fmt.Fprintln(tw, "PERSON\tNAME\tKIND\tREASON")
		for _, f := range s.Failures {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", f.PersonID, f.Name, f.Kind, f.Reason)
		}
		return tw.Flush()
	})
}

// broadcastList prints the newest broadcasts.
func broadcastList(ctx context.Context, env environment, args []string) error {
	if _, err := flags("broadcast list", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withApp(ctx, env, func(a *app) error {
		bs, err := a.store.Broadcasts(ctx, 50)
		if err != nil {
			return err
		}
		if len(bs) == 0 {
			fmt.Fprintln(env.stdout, "no broadcasts yet")
			return nil
		}
		tw := newTable(env.stdout)
		fmt.Fprintln(tw, "ID\tCREATED\tACK\tAUDIENCE\tTEXT")
		for _, b := range bs {
			text := []rune(strings.Join(strings.Fields(b.Text), " "))
			if len(text) > 40 {
				text = append(text[:40], '…')
			}
			fmt.Fprintf(tw, "%d\t%s\t%t\t%s\t%s\n", b.ID, b.CreatedAt.UTC().Format("2006-01-02 15:04"), b.Ack,
				audience.String(b.Audience), string(text))
		}
		return tw.Flush()
	})
}
