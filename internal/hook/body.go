package hook

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
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
var fields = []string{"person", "kind", "title", "url", "id", "key_result", "increment"}

// numberFields are the fields that are numbers; the others are strings.
var numberFields = []string{"key_result", "increment"}

// payload is a checked body; person is not resolved yet.
type payload struct {
	person, kind, title, url, id string
	keyResult                    int64
	increment                    float64
}

// maxID bounds the id a sender gives an event: it ends up in a key.
const maxID = 200

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
	nums := map[string]float64{}
	for _, f := range fields {
		v, ok := raw[f]
		if !ok || string(v) == "null" {
			continue
		}
		if slices.Contains(numberFields, f) {
			var n float64
			if err := json.Unmarshal(v, &n); err != nil {
				return invalid(f, "must be a number")
			}
			nums[f] = n
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return invalid(f, "must be a string")
		}
		vals[f] = strings.TrimSpace(s)
	}

	p := payload{person: vals["person"], kind: vals["kind"], url: vals["url"], id: vals["id"]}
	if len(p.id) > maxID || strings.ContainsFunc(p.id, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return invalid("id", "must be at most %d bytes with no spaces or control characters: the event's id in your system", maxID)
	}
	kr, hasKR := nums["key_result"]
	inc, hasInc := nums["increment"]
	switch {
	case hasKR && (kr < 1 || kr > 1<<53 || kr != math.Trunc(kr)):
		return invalid("key_result", "must be a key result's id, a whole number from 1")
	case hasInc && !hasKR:
		return invalid("increment", "goes with a key_result")
	case hasInc && (inc <= 0 || inc > maxIncrement):
		return invalid("increment", "must be a positive number up to %g", float64(maxIncrement))
	case hasKR && p.id == "":
		return invalid("id", "is required with a key_result: the event's id in your system, so that sending it twice moves the key result once")
	}
	if hasKR {
		p.keyResult, p.increment = int64(kr), 1
		if hasInc {
			p.increment = inc
		}
	}
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
