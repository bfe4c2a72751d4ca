package main

import (
	"bytes"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// table lines up tab-separated cells in columns, as text/tabwriter does
// (two spaces between columns, the last cell of a line unpadded), but by
// the width a terminal shows: a Chinese character takes two columns, which
// tabwriter counts as one. Write the lines, then Flush.
type table struct {
	w   io.Writer
	buf bytes.Buffer
}

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the lines out aligned. Consecutive lines with tabs form a
// block whose columns line up; a line without a tab ends one.
func (t *table) Flush() error {
	var out strings.Builder
	var block [][]string
	flush := func() {
		writeBlock(&out, block)
		block = block[:0]
	}
	text := t.buf.String()
	t.buf.Reset()
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.Contains(line, "\t") {
			flush()
			out.WriteString(line + "\n")
			continue
		}
		block = append(block, strings.Split(line, "\t"))
	}
	flush()
	_, err := io.WriteString(t.w, out.String())
	return err
}

// writeBlock pads every cell but a line's last to its column's width.
func writeBlock(out *strings.Builder, lines [][]string) {
	var widths []int
	for _, cells := range lines {
		for i, c := range cells[:len(cells)-1] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, cells := range lines {
		for i, c := range cells[:len(cells)-1] {
			out.WriteString(c)
			out.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
		}
		out.WriteString(cells[len(cells)-1] + "\n")
	}
}

// displayWidth is how many columns a terminal gives s: two for wide and
// full-width characters (CJK), none for combining marks.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == '\u200b':
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
