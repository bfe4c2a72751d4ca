package voice

import (
	"strings"
	"unicode"
)

// tokenKind sorts the pieces of a transcript.
type tokenKind int

const (
	word   tokenKind = iota // a run of Latin letters, digits and the like
	han                     // one Chinese character
	clause                  // a comma or colon: a clause ends, the sentence goes on
	stop                    // . ! ? 。 and friends: the sentence ends
)

type token struct {
	text  string
	low   string
	kind  tokenKind
	space bool // whitespace came before it: kept when the text is put back together
}

// tokenize splits text into words, Chinese characters and punctuation. A
// Chinese character is a token of its own, so a cue phrase like 完成了
// matches the same way "done with" does: as a sequence of tokens.
func tokenize(text string) []token {
	var toks []token
	var cur strings.Builder
	space := false
	flush := func() {
		if cur.Len() > 0 {
			s := cur.String()
			toks = append(toks, token{text: s, low: strings.ToLower(s), kind: word, space: space})
			cur.Reset()
			space = false
		}
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case unicode.IsSpace(r):
			flush()
			space = true
		case unicode.Is(unicode.Han, r):
			flush()
			toks = append(toks, token{text: string(r), low: string(r), kind: han, space: space})
			space = false
		case strings.ContainsRune(".!?。！？;；…", r):
			// A dot between letters or digits belongs to the word: v2.1, e.g.
			if r == '.' && cur.Len() > 0 && i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
				cur.WriteRune(r)
				continue
			}
			flush()
			if n := len(toks); n > 0 && toks[n-1].kind == stop {
				toks[n-1].text += string(r) // "?!" and "..." are one stop
				continue
			}
			toks = append(toks, token{text: string(r), low: string(r), kind: stop, space: space})
			space = false
		case strings.ContainsRune(",，、:：", r):
			flush()
			toks = append(toks, token{text: string(r), low: string(r), kind: clause, space: space})
			space = false
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

// phrase is a cue or connector as tokens, lower-cased.
type phrase []string

func newPhrase(s string) phrase {
	toks := tokenize(s)
	p := make(phrase, len(toks))
	for i, t := range toks {
		p[i] = t.low
	}
	return p
}

// at reports whether p occurs in toks at i.
func (p phrase) at(toks []token, i int) bool {
	if i < 0 || i+len(p) > len(toks) {
		return false
	}
	for j, w := range p {
		if toks[i+j].low != w {
			return false
		}
	}
	return true
}

// endsAt reports whether p occurs in toks ending just before i.
func (p phrase) endsAt(toks []token, i int) bool { return p.at(toks, i-len(p)) }

// phrases is a set of phrases, matched longest first.
type phrases []phrase

func newPhrases(ss ...string) phrases {
	ps := make(phrases, len(ss))
	for i, s := range ss {
		ps[i] = newPhrase(s)
	}
	return ps
}

// at returns the length of the longest phrase at toks[i], 0 if none.
func (ps phrases) at(toks []token, i int) int {
	n := 0
	for _, p := range ps {
		if len(p) > n && p.at(toks, i) {
			n = len(p)
		}
	}
	return n
}

// endsAt returns the length of the longest phrase ending before toks[i].
func (ps phrases) endsAt(toks []token, i int) int {
	n := 0
	for _, p := range ps {
		if len(p) > n && p.endsAt(toks, i) {
			n = len(p)
		}
	}
	return n
}

// render puts tokens back into text with their original spacing.
func render(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && t.space && t.kind != stop && t.kind != clause {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}
