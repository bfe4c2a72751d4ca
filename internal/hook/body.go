package hook

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
)

const (
	maxTitle = 500  // runes
	maxURL   = 2048 // bytes
)

// fields are the body's fields, in the order errors name them.
var fields = []string{"person", "kind", "title", "url"}

// payload is a checked body; person is not resolved yet.
type payload struct {
	person, kind, title, url string
}

// event checks the body of req. Unknown fields are refused, so a misspelt
// "titel" is an error rather than a missing title.
func (h *Handler) event(req signed) (payload, *problem) {
	invalid := func(field, msg string, args ...any) (payload, *problem) {
		return payload{}, &problem{status: http.StatusUnprocessableEntity, field: field, msg: fmt.Sprintf(msg, args...)}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(req.body, &raw); err != nil || raw == nil {
		return payload{}, &problem{status: http.StatusBadRequest,
			msg: `the body must be a JSON object such as {"person": "ada@example.com", "kind": "deal_won", "title": "ACME renewal"}`}
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(fields, k) {
			return invalid(k, "unknown field (the fields are %s)", strings.Join(fields, ", "))
		}
	}
	vals := make(map[string]string, len(fields))
	for _, f := range fields {
		v, ok := raw[f]
		if !ok || string(v) == "null" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return invalid(f, "must be a string")
		}
		vals[f] = strings.TrimSpace(s)
	}

	p := payload{person: vals["person"], kind: vals["kind"], url: vals["url"]}
	if p.person == "" {
		return invalid("person", "is required: the person's email, or their platform id such as slack:U123")
	}
	if p.kind == "" || !h.kindSet[p.kind] {
		return payload{}, &problem{status: http.StatusUnprocessableEntity, field: "kind", allowed: h.kinds,
			msg: fmt.Sprintf("unknown kind %q (allowed: %s)", p.kind, strings.Join(h.kinds, ", "))}
	}
	title := oneLine(vals["title"])
	if title == "" {
		return invalid("title", "is required: a few words on what happened, such as the deal or ticket name")
	}
	if utf8.RuneCountInString(title) > maxTitle {
		return invalid("title", "is longer than %d characters", maxTitle)
	}
	p.title = bot.Neutralize(title)
	if p.url != "" {
		if len(p.url) > maxURL {
			return invalid("url", "is longer than %d bytes", maxURL)
		}
		u, err := url.Parse(p.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalid("url", "must be an absolute http:// or https:// URL")
		}
	}
	return p, nil
}

// oneLine folds line breaks, tabs and other control characters into single
// spaces: a title is shown on one line of a card.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029'
	}), " ")
}
