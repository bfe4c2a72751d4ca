package okr

import (
	"math"

	"github.com/perfbot/perfbot/internal/store"
)

// KeyResult is how far k is from its start to its target, in [0, 1]: for
// a key result going up, (current - start) / (target - start); going down,
// (start - current) / (start - target). Overshooting counts as done and
// going backwards as nothing. A target equal to the start is done once
// reached, in the key result's direction.
func KeyResult(k store.KeyResult) float64 {
	span, gone := k.Target-k.Start, k.Current-k.Start
	if k.Direction == store.Down {
		span, gone = -span, -gone
	}
	if span <= 0 {
		// Nothing to travel (or a target behind the start): done once
		// the current value is at or past it, in the direction.
		if reached(k) {
			return 1
		}
		return 0
	}
	return clamp(gone / span)
}

func reached(k store.KeyResult) bool {
	if k.Direction == store.Down {
		return k.Current <= k.Target
	}
	return k.Current >= k.Target
}

func clamp(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0:
		return 0
	case p > 1:
		return 1
	}
	return p
}

// weight is w, a zero weight counting as 1 (the default of a goal or key
// result nobody weighed).
func weight(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// Own is o's progress by its own key results: their weighted mean; 0 for
// an objective without any.
func Own(o store.Objective) float64 {
	var sum, total float64
	for _, k := range o.KeyResults {
		w := weight(k.Weight)
		sum += w * KeyResult(k)
		total += w
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// Expected is where a straight line from the key result's start on
// starts (YYYY-MM-DD) to its target on its due date says it should be on
// day, as progress in [0, 1]; ok is false without dates to draw it.
func Expected(starts, due, day string) (p float64, ok bool) {
	s, err1 := parseDay(starts)
	d, err2 := parseDay(due)
	t, err3 := parseDay(day)
	if err1 != nil || err2 != nil || err3 != nil || !d.After(s) {
		return 0, false
	}
	return clamp(t.Sub(s).Hours() / d.Sub(s).Hours()), true
}
