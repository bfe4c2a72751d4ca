package conversations

import (
	"fmt"
	"strconv"

	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// An item is one thing a check-in asks: a template question, a goal's
// progress, or the mood. A check-in is its items in order.
type item struct {
	kind     itemKind
	question store.Question
	goal     store.Goal
}

type itemKind int

const (
	itemQuestion itemKind = iota
	itemGoal
	itemMood
)

// items lists what the check-in asks this person, in order.
func items(team store.Team, goals []store.Goal) []item {
	qs := team.Questions
	if len(qs) == 0 {
		qs = store.DefaultQuestions
	}
	out := make([]item, 0, len(qs)+len(goals)+1)
	for _, q := range qs {
		out = append(out, item{kind: itemQuestion, question: q})
	}
	for _, g := range goals {
		out = append(out, item{kind: itemGoal, goal: g})
	}
	return append(out, item{kind: itemMood})
}

// questionText is how question q reads in t's locale: a team's own wording
// when it has one, the built-in translation otherwise.
func questionText(t i18n.Texts, q store.Question) string {
	if s := q.Text[t.Locale()]; s != "" {
		return s
	}
	switch q.Key {
	case store.QuestionDone, store.QuestionBlockers, store.QuestionNext:
		return t.T("question." + q.Key)
	}
	for _, s := range q.Text { // any wording beats none
		if s != "" {
			return s
		}
	}
	return q.Key
}

// answered reports whether the round has an answer (or a skip) for it.
func (it item) answered(r *store.Round) bool {
	switch it.kind {
	case itemQuestion:
		for _, a := range r.Answers {
			if a.Key == it.question.Key {
				return true
			}
		}
	case itemGoal:
		for _, g := range r.Goals {
			if g.GoalID == it.goal.ID {
				return true
			}
		}
	case itemMood:
		return r.Mood != 0
	}
	return false
}

// setAnswer stores a question's answer in r, replacing an earlier one.
func setAnswer(r *store.Round, key, question, text string) {
	for i := range r.Answers {
		if r.Answers[i].Key == key {
			r.Answers[i].Question, r.Answers[i].Text = question, text
			return
		}
	}
	r.Answers = append(r.Answers, store.Answer{Key: key, Question: question, Text: text})
}

// setGoal stores a goal's progress in r, replacing an earlier one.
func setGoal(r *store.Round, p store.GoalProgress) {
	for i := range r.Goals {
		if r.Goals[i].GoalID == p.GoalID {
			r.Goals[i] = p
			return
		}
	}
	r.Goals = append(r.Goals, p)
}

// moodEmoji is shown next to a mood number.
var moodEmoji = [6]string{"", "😞", "🙁", "😐", "🙂", "😄"}

func moodLabel(n int) string {
	if n < 1 || n > 5 {
		return ""
	}
	return strconv.Itoa(n) + " " + moodEmoji[n]
}

// progressLabel renders a goal's progress: "40%" or "7 / 10".
func progressLabel(t i18n.Texts, g store.GoalProgress) string {
	if g.Skipped {
		return t.T("answer.skipped")
	}
	if g.Target > 0 {
		return fmt.Sprintf("%s / %s", num(g.Value), num(g.Target))
	}
	return num(g.Value) + "%"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
