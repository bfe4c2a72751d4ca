package voice

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Offline is the built-in summariser: no model, no network. It splits the
// transcript into sentences, and sentences into clauses where a cue phrase
// ("finished", "blocked", "next week", 完成了, 卡在, 下周, ...) starts a new
// topic, then files each clause under the section its cue names; a clause
// without a cue goes with the one before it (the first ones with done, or
// win). It keeps the speaker's own words, minus fillers ("um", 嗯, 那个)
// and stutters ("the the"). Because recognisers such as pocketsphinx print
// no punctuation at all, a cue in an unpunctuated stream of words starts a
// new clause by itself.
type Offline struct{}

// Name implements Summariser.
func (Offline) Name() string { return "offline" }

// Summarise implements Summariser.
func (Offline) Summarise(_ context.Context, t Transcript, kind Kind) (Summary, error) {
	if err := kind.valid(); err != nil {
		return Summary{}, err
	}
	keys := kind.Keys()
	parts := make([][]string, len(keys))
	section := 0
	toks := clean(tokenize(t.Text))
	unpunctuated := !slices.ContainsFunc(toks, func(t token) bool { return t.kind == stop || t.kind == clause })
	for _, sentence := range sentences(toks) {
		raw := unpunctuated || runOn(sentence.toks)
		segs := segment(sentence.toks, cueTables[kind], raw)
		for i, seg := range segs {
			if seg.section >= 0 {
				section = seg.section
			}
			stop := ""
			if i == len(segs)-1 {
				stop = sentence.stop
			}
			if text := finish(seg.toks, stop); text != "" {
				parts[section] = append(parts[section], text)
			}
		}
	}
	s := Summary{Kind: kind}
	for i, k := range keys {
		s.set(k, joinSentences(parts[i]))
	}
	if s.empty() {
		return Summary{}, fmt.Errorf("%w: nothing to summarise", ErrBadSummary)
	}
	return s, nil
}

// clean drops fillers and immediately repeated words.
func clean(toks []token) []token {
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); {
		if n := fillers.at(toks, i); n > 0 {
			// Keep the space the filler had, so "um finished" stays two words.
			if i+n < len(toks) && toks[i].space {
				toks[i+n].space = true
			}
			i += n
			continue
		}
		t := toks[i]
		if t.kind == word && len(out) > 0 && out[len(out)-1].kind == word && out[len(out)-1].low == t.low {
			i++
			continue
		}
		if t.kind == clause && (len(out) == 0 || out[len(out)-1].kind == clause || out[len(out)-1].kind == stop) {
			i++ // a comma left dangling by a dropped filler
			continue
		}
		out = append(out, t)
		i++
	}
	return out
}

type sentence struct {
	toks []token
	stop string // the punctuation that ended it, "" for none
}

func sentences(toks []token) []sentence {
	var out []sentence
	start := 0
	for i, t := range toks {
		if t.kind == stop {
			if i > start {
				out = append(out, sentence{toks: toks[start:i], stop: t.text})
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, sentence{toks: toks[start:]})
	}
	return out
}

type span struct{ start, end int }

type match struct {
	span
	section int
	weak    bool
}

type segmentOut struct {
	toks    []token
	section int // -1: no cue of its own
}

// segment cuts a sentence where a cue of another section starts a clause.
// In raw text (no punctuation to go by) a clause starts at any strong cue,
// and at a weak one after a subject.
func segment(toks []token, cues []compiledCue, raw bool) []segmentOut {
	var matches []match
	var bounds []span
	for i := 0; i < len(toks); {
		best := -1
		for j, c := range cues {
			if c.phrase.at(toks, i) && (best < 0 || len(c.phrase) > len(cues[best].phrase)) {
				best = j
			}
		}
		if best >= 0 {
			c := cues[best]
			matches = append(matches, match{span{i, i + len(c.phrase)}, c.section, c.weak})
			i += len(c.phrase)
			continue
		}
		if toks[i].kind == clause {
			bounds = append(bounds, span{i, i + 1})
			i++
			continue
		}
		if n := connectors.at(toks, i); n > 0 {
			bounds = append(bounds, span{i, i + n})
			i += n
			continue
		}
		i++
	}

	var out []segmentOut
	start, section, lastCue, firstCue := 0, -1, 0, 0
	for _, m := range matches {
		if section < 0 {
			firstCue = m.start
		}
		if section < 0 || m.section == section {
			section, lastCue = m.section, m.end
			continue
		}
		// A clause that opens with two cues and nothing but "I am" between
		// them ("this week I am blocked"): the second is the more specific,
		// so it names the clause.
		if onlyLeadIns(toks, start, firstCue) && onlyLeadIns(toks, lastCue, m.start) {
			section, lastCue = m.section, m.end
			continue
		}
		split, next := -1, -1
		if b, ok := lastBound(bounds, lastCue, m.start); ok {
			// The cue starts the clause after a comma or "and then": a new
			// topic. Deeper in the clause ("keys, which arrive next week")
			// it only qualifies what came before.
			if onlyLeadIns(toks, b.end, m.start) {
				split, next = b.start, b.end
			}
		} else if raw {
			p := leadInStart(toks, m.start, lastCue)
			if !m.weak || subjects.endsAt(toks, m.start) > 0 || subjectWithin(toks, p, m.start) {
				split, next = p, p
			}
		}
		if split <= start {
			continue
		}
		out = append(out, segmentOut{toks: toks[start:split], section: section})
		start, section, lastCue, firstCue = next, m.section, m.end, m.start
	}
	return append(out, segmentOut{toks: toks[start:], section: section})
}

// runOn is a sentence too long to have been meant as one: a recogniser
// that punctuates only now and then, or a speaker who never pauses.
func runOn(toks []token) bool {
	const long = 30
	return len(toks) > long && !slices.ContainsFunc(toks, func(t token) bool { return t.kind == clause })
}

func onlyLeadIns(toks []token, from, to int) bool {
	for i := to; i > from; {
		n := leadIns.endsAt(toks, i)
		if n == 0 || i-n < from {
			return false
		}
		i -= n
	}
	return true
}

// leadInStart moves back from a cue over its lead-in words ("I am"), not
// past limit.
func leadInStart(toks []token, at, limit int) int {
	for at > limit {
		n := leadIns.endsAt(toks, at)
		if n == 0 || at-n < limit {
			break
		}
		at -= n
	}
	return at
}

func subjectWithin(toks []token, from, to int) bool {
	for i := from; i < to; i++ {
		if subjects.at(toks, i) > 0 {
			return true
		}
	}
	return false
}

func lastBound(bounds []span, from, to int) (span, bool) {
	for i := len(bounds) - 1; i >= 0; i-- {
		if b := bounds[i]; b.start >= from && b.end <= to {
			return b, true
		}
	}
	return span{}, false
}

// finish trims connectors and dangling commas from the ends of a clause
// and makes it a sentence: a capital letter, "I" for "i", and a full stop
// (the speaker's own if they gave one) when it has none.
func finish(toks []token, stopText string) string {
	for len(toks) > 0 {
		if toks[0].kind == clause {
			toks = toks[1:]
		} else if n := connectors.at(toks, 0); n > 0 && n < len(toks) {
			toks = toks[n:]
		} else {
			break
		}
	}
	for len(toks) > 0 {
		if toks[len(toks)-1].kind == clause {
			toks = toks[:len(toks)-1]
		} else if n := connectors.endsAt(toks, len(toks)); n > 0 && n < len(toks) {
			toks = toks[:len(toks)-n]
		} else {
			break
		}
	}
	if len(toks) == 0 {
		return ""
	}
	words := make([]token, len(toks))
	copy(words, toks)
	words[0].space = false
	for i, t := range words {
		switch t.low {
		case "i", "i'm", "i've", "i'll", "i'd":
			words[i].text = "I" + t.text[1:]
		}
	}
	text := render(words)
	r, size := utf8.DecodeRuneInString(text)
	text = string(unicode.ToUpper(r)) + text[size:]
	switch {
	case stopText != "":
		text += stopText // the speaker's own, on the clause it ended
	case toks[len(toks)-1].kind == han:
		text += "。"
	default:
		text += "."
	}
	return text
}

// joinSentences puts the sentences of one section together: with a space
// between English ones, nothing between Chinese ones.
func joinSentences(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && !strings.HasSuffix(parts[i-1], "。") && !strings.HasSuffix(parts[i-1], "！") && !strings.HasSuffix(parts[i-1], "？") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
