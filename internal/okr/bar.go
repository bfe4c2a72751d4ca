package okr

import (
	"math"
	"strconv"
	"strings"
)

// Bar draws progress p in [0, 1] as width cells and a percentage,
// "▓▓▓▓░░░░░░ 40%": plain text every chat platform and terminal shows.
func Bar(p float64, width int) string {
	p = clamp(p)
	full := int(math.Round(p * float64(width)))
	return strings.Repeat("▓", full) + strings.Repeat("░", width-full) + " " + Percent(p)
}

// Percent is p in [0, 1] as a whole percentage, "40%".
func Percent(p float64) string { return strconv.Itoa(int(math.Round(clamp(p)*100))) + "%" }
