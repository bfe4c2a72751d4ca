package dashboard

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The weekly digest's chart is a PNG drawn here with the standard library,
// for chat platforms, which show images but no SVG. Its labels are the
// bitmap font of golang.org/x/image (ASCII: week numbers and percents);
// the words around it are in the message, in the reader's language.

// PNGBar is one bar of a PNG chart: a share in [0, 1], or none.
type PNGBar struct {
	Label string // under the bar, ASCII ("W48")
	Value string // above the bar, ASCII ("83%")
	Share float64
	Has   bool
}

const (
	pngW, pngH = 640, 300
	pngPad     = 28
)

var (
	pngBG   = color.RGBA{0xff, 0xff, 0xff, 0xff}
	pngAxis = color.RGBA{0x90, 0xa4, 0xae, 0xff}
	pngGrid = color.RGBA{0xec, 0xef, 0xf1, 0xff}
	pngBar  = color.RGBA{0x1e, 0x88, 0xe5, 0xff}
	pngLast = color.RGBA{0x0d, 0x47, 0xa1, 0xff}
	pngInk  = color.RGBA{0x26, 0x32, 0x38, 0xff}
)

// BarsPNG draws bars as a PNG, the last one darker (this week).
func BarsPNG(bars []PNGBar) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, pngW, pngH))
	draw.Draw(img, img.Bounds(), &image.Uniform{pngBG}, image.Point{}, draw.Src)
	top, bottom := pngPad, pngH-pngPad-8
	left, right := pngPad+12, pngW-pngPad
	plotH := bottom - top
	for _, f := range []float64{0.25, 0.5, 0.75, 1} {
		y := bottom - int(f*float64(plotH))
		fill(img, image.Rect(left, y, right, y+1), pngGrid)
		text(img, 2, y+4, fmt.Sprintf("%3.0f", f*100), pngAxis)
	}
	fill(img, image.Rect(left, bottom, right, bottom+1), pngAxis)
	if len(bars) == 0 {
		return encode(img)
	}
	slot := (right - left) / len(bars)
	barW := slot * 3 / 5
	for i, b := range bars {
		x := left + i*slot + (slot-barW)/2
		mid := x + barW/2
		text(img, mid-textPixels(b.Label)/2, bottom+16, b.Label, pngInk)
		if !b.Has {
			continue
		}
		share := min(max(b.Share, 0), 1)
		h := max(int(share*float64(plotH)), 1)
		c := pngBar
		if i == len(bars)-1 {
			c = pngLast
		}
		fill(img, image.Rect(x, bottom-h, x+barW, bottom), c)
		text(img, mid-textPixels(b.Value)/2, bottom-h-4, b.Value, pngInk)
	}
	return encode(img)
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// text draws s with its baseline at (x, y).
func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: &image.Uniform{c}, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func textPixels(s string) int { return font.MeasureString(basicfont.Face7x13, s).Round() }

func encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("dashboard: png: %w", err)
	}
	return b.Bytes(), nil
}
