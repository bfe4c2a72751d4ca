package conversations

import (
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Weekly progress: once a check-in is submitted, each active key result of
// the person's agreed goals is asked for its new value (a number, 40%,
// +3, or skip), showing the last value, the target and the due date, then
// for the owner's confidence. A confidence lower than last time asks one
// line of why, which goes to the manager. An update after the due date is
// marked late; one without evidence where the key result requires it, "no
// evidence" (by the store).

// actConfidence is a confidence button: id the key result, arg the
// confidence.
const actConfidence = "gconf"

// activeKRs are the key results asked each week: those of the person's
// agreed goals, in order (one at its target may still move; and the order
// stays the same while the weekly questions go from one to the next).
func (c goals) activeKRs() []store.KeyResult {
	var out []store.KeyResult
	for _, o := range c.in.Goal.Mine {
		if !o.Counts() {
			continue
		}
		for _, k := range o.KeyResults {
			if k.Due == "" {
				k.Due = o.Ends
			}
			out = append(out, k)
		}
	}
	return out
}

// afterCheckin asks the first active key result, if there is one.
func (c goals) afterCheckin() {
	if len(c.activeKRs()) > 0 {
		c.askProgress(0)
	}
}

// askProgress asks active key result i, or ends when there is none left.
func (c goals) askProgress(i int) {
	krs := c.activeKRs()
	if i >= len(krs) {
		c.res.State = State{}
		c.say(c.t.T("goal.progress_done"))
		return
	}
	k := krs[i]
	c.enter(GoalState{Step: StepProgress, N: i, KR: k.ID})
	text := c.t.T("goal.ask_progress", "N", i+1, "Total", len(krs), "KR", bot.Neutralize(k.Title),
		"Current", num(k.Current), "Target", num(k.Target), "Unit", bot.Neutralize(k.Unit), "Due", k.Due)
	if k.Due != "" && c.in.Today > k.Due {
		text += "\n" + c.t.T("goal.progress_overdue")
	}
	if k.RequiresEvidence {
		text += "\n" + c.t.T("goal.progress_evidence")
	}
	c.say(text)
}

// progressKR is the key result the state asks about, if still active.
func (c goals) progressKR() (store.KeyResult, bool) {
	for _, k := range c.activeKRs() {
		if k.ID == c.in.State.Goal.KR {
			return k, true
		}
	}
	return store.KeyResult{}, false
}

// progressValue takes a key result's new value, or skip.
func (c goals) progressValue(text string) {
	st := c.in.State.Goal
	k, ok := c.progressKR()
	if !ok {
		c.askProgress(st.N)
		return
	}
	value, evidence := splitEvidence(text)
	p, ok := parseProgress(value, KRDraft{Start: k.Start, Target: k.Target}, k.Current)
	if !ok {
		c.say(c.t.T("goal.progress_bad"))
		return
	}
	if p.Skip {
		c.askProgress(st.N + 1)
		return
	}
	st.Step, st.Target, st.HasTarget, st.Evidence = StepConfidence, p.Value, true, evidence
	c.enter(st)
	var bs []bot.Button
	for _, conf := range []store.Confidence{store.OnTrack, store.AtRisk, store.OffTrack} {
		bs = append(bs, c.button(actConfidence, k.ID, string(conf), c.t.T("goal.confidence."+string(conf)), bot.StyleDefault))
	}
	c.send(bot.Message{Text: c.t.T("goal.ask_confidence", "KR", bot.Neutralize(k.Title)), Buttons: bs})
}

// splitEvidence separates a link typed after the value: "12 https://…".
func splitEvidence(text string) (value, link string) {
	fields := strings.Fields(text)
	if n := len(fields); n > 1 && (strings.HasPrefix(fields[n-1], "https://") || strings.HasPrefix(fields[n-1], "http://")) {
		return strings.Join(fields[:n-1], " "), fields[n-1]
	}
	return text, ""
}

func (c goals) pickConfidence(a action) {
	if !c.fresh(a) {
		return
	}
	st := c.in.State.Goal
	k, ok := c.progressKR()
	conf := store.Confidence(a.Arg)
	if !ok || k.ID != a.ID || conf.Rank() == 0 {
		c.say(c.t.T("button.used"))
		return
	}
	c.replaceClicked(bot.Message{Text: c.t.T("chosen", "Choice", c.t.T("goal.confidence."+a.Arg))})
	if k.Confidence.Rank() > 0 && conf.Rank() < k.Confidence.Rank() {
		st.Step, st.Confidence = StepProgressWhy, conf
		c.enter(st)
		c.say(c.t.T("goal.ask_progress_why", "From", c.t.T("goal.confidence."+string(k.Confidence)),
			"To", c.t.T("goal.confidence."+a.Arg)))
		return
	}
	st.Confidence = conf
	c.record(k, st, "")
}

// progressWhy takes the line on why confidence dropped, for the manager.
func (c goals) progressWhy(text string) {
	st := c.in.State.Goal
	k, ok := c.progressKR()
	why := strings.TrimSpace(text)
	switch n := runeLen(why); {
	case !ok:
		c.askProgress(st.N)
		return
	case n == 0:
		c.say(c.t.T("goal.ask_progress_why", "From", c.t.T("goal.confidence."+string(k.Confidence)),
			"To", c.t.T("goal.confidence."+string(st.Confidence))))
		return
	case n > MaxNote:
		c.sayKept(c.t.T("goal.too_long", "Count", n, "Max", MaxNote), why)
		return
	}
	c.record(k, st, why)
	if m := c.in.Manager; m != nil {
		mt := c.in.Texts.For(m.Locale)
		c.tell(*m, bot.Message{
			Title: mt.T("goal.drop_title", "Name", c.in.Person.Name),
			Text: mt.T("goal.drop_text", "KR", bot.Neutralize(k.Title), "From", mt.T("goal.confidence."+string(k.Confidence)),
				"To", mt.T("goal.confidence."+string(st.Confidence)), "Why", bot.Neutralize(why)),
		})
	}
}

// record saves the update the state holds and asks the next key result.
func (c goals) record(k store.KeyResult, st GoalState, why string) {
	late := k.Due != "" && c.in.Today > k.Due
	c.effect(&AddProgress{Update: store.ProgressUpdate{KeyResultID: k.ID, AuthorID: c.in.Person.ID, Value: st.Target,
		Confidence: st.Confidence, Why: why, Evidence: st.Evidence, Late: late, At: c.in.Now}})
	msg := c.t.T("goal.progress_kept", "KR", bot.Neutralize(k.Title), "Value", num(st.Target))
	if late {
		msg += " " + c.t.T("goal.progress_late")
	}
	c.say(msg)
	c.askProgress(st.N + 1)
}
