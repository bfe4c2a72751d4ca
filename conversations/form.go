package conversations

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
)

// Where a platform shows forms, the check-in can be answered in one: every
// question at once, prefilled with what is already answered. A submitted
// form is checked like typed answers; what is fine is kept, and anything
// that is not is asked again in chat.

// openForm starts the round and asks for the form.
func (c checkin) openForm() {
	if !c.startRound() {
		return
	}
	c.next(StepForm, 0, false)
	r := c.current()
	f := bot.Form{
		Title:  c.t.T("form.title", "Period", r.Period),
		Submit: c.t.T("button.submit"),
		Value:  c.button(actFormOK, "", "", bot.StyleDefault).Value,
	}
	for _, it := range items(c.in.Team, c.in.Goals) {
		field := bot.FormField{Key: formKey(it), Label: c.itemText(it), Optional: true, MaxLength: MaxAnswer}
		switch it.kind {
		case itemQuestion:
			field.Multiline = true
			field.Value = r.Answer(it.question.Key)
		case itemGoal:
			field.Hint, field.MaxLength = c.t.T("form.goal_hint"), 16
			for _, g := range r.Goals {
				if g.GoalID == it.goal.ID && !g.Skipped {
					field.Value = num(g.Value)
				}
			}
		case itemMood:
			for n := 1; n <= 5; n++ {
				field.Choices = append(field.Choices, bot.Choice{Label: moodLabel(n), Value: strconv.Itoa(n)})
			}
			if r.Mood != 0 {
				field.Value = strconv.Itoa(r.Mood)
			}
		}
		f.Fields = append(f.Fields, field)
	}
	// The text is what the person reads where the form cannot be opened
	// after all.
	c.send(bot.Message{Form: &f, Text: c.t.T("form.fallback")})
}

// formKey names an item's field in a form.
func formKey(it item) string {
	switch it.kind {
	case itemGoal:
		return "goal_" + strconv.FormatInt(it.goal.ID, 10)
	case itemMood:
		return "mood"
	}
	return "q_" + it.question.Key
}

// formSubmitted keeps what the form answered well and asks again in chat
// for anything it could not take.
func (c checkin) formSubmitted() {
	values := c.in.Event.Values
	r := c.round()
	var problems []string
	first, filled := -1, 0
	its := items(c.in.Team, c.in.Goals)
	for i, it := range its {
		v := strings.TrimSpace(values[formKey(it)])
		if v == "" {
			continue // left empty: asked in chat later, like any unanswered item
		}
		filled++
		problem := c.t.T("form.too_long", "Max", MaxAnswer)
		if utf8.RuneCountInString(v) <= MaxAnswer {
			problem = c.takeAnswer(r, it, v)
		}
		if problem != "" {
			problems = append(problems, c.t.T("form.problem", "N", i+1, "Problem", problem))
			if first < 0 {
				first = i
			}
		}
	}
	c.audit("checkin.answer", r, "form")
	if len(problems) > 0 {
		c.say(c.t.T("form.problems") + "\n" + strings.Join(problems, "\n"))
		c.ask(first, true) // then on to whatever is still unanswered
		return
	}
	left := 0
	for _, it := range its {
		if !it.answered(r) {
			left++
		}
	}
	// Say what became of the form before chat asks what it left open.
	switch {
	case filled == 0:
		c.say(c.t.T("form.empty"))
	case left > 0:
		c.say(c.t.T("form.partial", "Filled", filled, "Left", left))
	}
	c.resume()
}
