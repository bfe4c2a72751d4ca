package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// warnings is the log of the administration commands: only warnings and
// errors, a line each a person can read ("perfbot: warning: no way to
// reach recipient (person=3)"), since their answer is on stdout and a JSON
// record of the start would bury it. serve and demo log JSON.
type warnings struct {
	mu     *sync.Mutex
	w      io.Writer
	attrs  []slog.Attr
	groups string
}

func newWarnings(w io.Writer) *warnings { return &warnings{mu: &sync.Mutex{}, w: w} }

func (h *warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("perfbot: ")
	if r.Level < slog.LevelError {
		b.WriteString("warning: ")
	} else {
		b.WriteString("error: ")
	}
	b.WriteString(r.Message)
	var details []string
	add := func(prefix string, a slog.Attr) { details = appendAttr(details, prefix, a) }
	for _, a := range h.attrs {
		add("", a)
	}
	r.Attrs(func(a slog.Attr) bool { add(h.groups, a); return true })
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, " "))
	}
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// appendAttr adds a as key=value, a group's members as group.key=value.
func appendAttr(details []string, prefix string, a slog.Attr) []string {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, m := range v.Group() {
			details = appendAttr(details, prefix, m)
		}
		return details
	}
	if a.Key == "" {
		return details
	}
	s := v.String()
	if strings.ContainsAny(s, " \t\n\"=") || s == "" {
		s = fmt.Sprintf("%q", s)
	}
	return append(details, prefix+a.Key+"="+s)
}

func (h *warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		if h.groups != "" {
			a = slog.Attr{Key: strings.TrimSuffix(h.groups, "."), Value: slog.GroupValue(a)}
		}
		c.attrs = append(c.attrs, a)
	}
	return &c
}

func (h *warnings) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.groups += name + "."
	return &c
}
