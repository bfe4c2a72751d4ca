package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"unicode/utf8"
)

// Charts are drawn here as SVG through html/template: the numbers are laid
// out in Go, the markup is in templates/charts.tmpl, and every label is
// escaped. They use the browser's own sans-serif font and nothing else.

// label is a text at a point.
type label struct {
	X, Y float64
	Text string
}

// heatCell is one cell of a heat map.
type heatCell struct {
	X, Y, W, H float64
	TX, TY     float64
	Fill, Ink  string
	Label, Tip string
}

type heatmap struct {
	Title         string
	Width, Height float64
	Rows, Cols    []label
	Cells         []heatCell
}

// heatValue is one cell's value: a share in [0, 1], or none.
type heatValue struct {
	Share float64
	Has   bool
	Label string
	Tip   string
}

const (
	cellW, cellH = 56.0, 30.0
	headH        = 24.0
	charW        = 7.5 // an average character at the charts' 12 px, wide for CJK
)

// textWidth estimates s's width at 12 px: CJK characters count double.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2 * charW
		} else {
			w += charW
		}
	}
	return w
}

// clip shortens s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// newHeatmap lays out rows × cols of values.
func newHeatmap(title string, rows, cols []string, values [][]heatValue) heatmap {
	labelW := 60.0
	for _, r := range rows {
		labelW = math.Max(labelW, textWidth(clip(r, 24))+12)
	}
	h := heatmap{Title: title, Width: labelW + float64(len(cols))*cellW + 4, Height: headH + float64(len(rows))*cellH + 4}
	for j, c := range cols {
		h.Cols = append(h.Cols, label{X: labelW + float64(j)*cellW + cellW/2, Y: 16, Text: c})
	}
	for i, r := range rows {
		y := headH + float64(i)*cellH
		h.Rows = append(h.Rows, label{X: labelW - 8, Y: y + cellH/2 + 4, Text: clip(r, 24)})
		for j := range cols {
			v := values[i][j]
			x := labelW + float64(j)*cellW
			c := heatCell{X: x + 2, Y: y + 2, W: cellW - 4, H: cellH - 4, TX: x + cellW/2, TY: y + cellH/2 + 4,
				Fill: "#eceff1", Ink: "#607d8b", Label: v.Label, Tip: v.Tip}
			if v.Has {
				c.Fill, c.Ink = shade(v.Share)
			}
			h.Cells = append(h.Cells, c)
		}
	}
	return h
}

// shade is a heat map's fill for a share, red through amber to green, and
// the ink that reads on it.
func shade(share float64) (fill, ink string) {
	share = math.Max(0, math.Min(1, share))
	switch {
	case share >= 0.9:
		return "#2e7d32", "#ffffff"
	case share >= 0.75:
		return "#66bb6a", "#0b2e0d"
	case share >= 0.5:
		return "#ffca28", "#3e2b00"
	case share >= 0.25:
		return "#ff8a65", "#3b1204"
	}
	return "#e53935", "#ffffff"
}

type barItem struct {
	Label, Value string
	N            float64
	Fill         string
}

type bar struct {
	LX, X, Y, W, H, VX, TY float64
	Label, Value, Fill     string
}

type target struct {
	X, Y1, Y2, TY float64
	Label         string
}

type barChart struct {
	Title         string
	Width, Height float64
	Bars          []bar
	Target        *target
}

const (
	barH   = 22.0
	barGap = 8.0
	plotW  = 360.0
)

// newBars lays out horizontal bars, scaled to max (or the largest bar),
// with a target line at targetN when targetLabel is set.
func newBars(title string, items []barItem, max, targetN float64, targetLabel string) barChart {
	labelW := 60.0
	for _, it := range items {
		labelW = math.Max(labelW, textWidth(clip(it.Label, 24))+12)
	}
	for _, it := range items {
		max = math.Max(max, it.N)
	}
	max = math.Max(max, targetN)
	if max <= 0 {
		max = 1
	}
	top := 8.0
	if targetLabel != "" {
		top = 22
	}
	c := barChart{Title: title, Width: labelW + plotW + 70, Height: top + float64(len(items))*(barH+barGap) + 4}
	for i, it := range items {
		y := top + float64(i)*(barH+barGap)
		w := plotW * it.N / max
		fill := it.Fill
		if fill == "" {
			fill = "#1e88e5"
		}
		c.Bars = append(c.Bars, bar{LX: labelW - 8, X: labelW, Y: y, W: math.Max(w, 1), H: barH, VX: labelW + w + 6, TY: y + barH/2 + 4,
			Label: clip(it.Label, 24), Value: it.Value, Fill: fill})
	}
	if targetLabel != "" {
		x := labelW + plotW*targetN/max
		c.Target = &target{X: x, Y1: top - 4, Y2: c.Height - 2, TY: 14, Label: targetLabel}
	}
	return c
}

type gridLine struct {
	X1, X2, Y, LX, TY float64
	Text              string
}

type dot struct {
	X, Y float64
	Tip  string
}

type lineChart struct {
	Title         string
	Width, Height float64
	Grid          []gridLine
	Cols          []label
	Segments      []string // polyline points; a gap (no value) splits the line
	Dots          []dot
}

// newLine draws values (nil: none that week) over cols on a fixed scale
// [lo, hi].
func newLine(title string, cols []string, values []*float64, lo, hi float64, tips []string) lineChart {
	const left, top, plotH, step = 40.0, 10.0, 160.0, 56.0
	c := lineChart{Title: title, Width: left + float64(len(cols))*step + 10, Height: top + plotH + 30}
	y := func(v float64) float64 { return top + plotH - (v-lo)/(hi-lo)*plotH }
	for v := lo; v <= hi; v++ {
		c.Grid = append(c.Grid, gridLine{X1: left, X2: c.Width - 10, Y: y(v), LX: left - 6, TY: y(v) + 4, Text: fmt.Sprintf("%.0f", v)})
	}
	var seg bytes.Buffer
	flush := func() {
		if seg.Len() > 0 {
			c.Segments = append(c.Segments, seg.String())
			seg.Reset()
		}
	}
	for i, col := range cols {
		x := left + float64(i)*step + step/2
		c.Cols = append(c.Cols, label{X: x, Y: top + plotH + 20, Text: col})
		if values[i] == nil {
			flush()
			continue
		}
		py := y(*values[i])
		fmt.Fprintf(&seg, "%.1f,%.1f ", x, py)
		c.Dots = append(c.Dots, dot{X: x, Y: py, Tip: tips[i]})
	}
	flush()
	return c
}

// render executes a chart template into SVG markup.
func render(t *template.Template, name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("dashboard: chart %s: %w", name, err)
	}
	return template.HTML(b.String()), nil // #nosec: html/template escaped every value
}
