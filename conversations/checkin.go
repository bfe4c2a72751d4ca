package conversations

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// checkin is the weekly check-in: the prompt, the questions one by one
// (or in a form), the review, the submit, and edits until it is reviewed.
type checkin struct {
	*turn
	base
}

func (checkin) owns() owns {
	actions := actionsOf(checkinButtons)
	return owns{actions: actions, rounds: actions, states: []string{FlowCheckin}, events: []event{evOpen}, fallback: true}
}

// on prompts for a round just opened.
func (c checkin) on(event) { c.prompt() }

// text takes the check-in's commands and answers, and whatever no other
// flow took: short help, never silence.
func (c checkin) text(cmd command) bool {
	st := c.in.State
	active := st.Flow == FlowCheckin && c.in.Round != nil && c.in.Round.ID == st.Checkin.RoundID
	checkinCommands[cmd.Name](c, cmd, active)
	return true
}

// checkinCommands step what the person typed: each command (parseCommand
// knows them all), and cmdNone, an answer. active says the dialog is on
// this round's check-in.
var checkinCommands = map[string]func(c checkin, cmd command, active bool){
	cmdHelp: func(c checkin, _ command, _ bool) {
		c.say(c.t.T("help") + "\n" + c.t.T("help.feedback") + "\n" + c.t.T("help.goals"))
		c.standing()
	},
	cmdCheckin: func(c checkin, _ command, _ bool) { c.begin() },
	cmdCancel:  func(c checkin, _ command, active bool) { c.cancel(active) },
	cmdEdit:    func(c checkin, cmd command, _ bool) { c.edit(cmd.N) },
	cmdSkip: func(c checkin, _ command, active bool) {
		switch step := c.in.State.Checkin.Step; {
		case active && step == StepItem:
			c.skipItem()
		case active && step == StepSkipReason:
			c.skipWeek("")
		default:
			c.askSkipReason()
		}
	},
	cmdSubmit: func(c checkin, _ command, active bool) {
		if active && c.in.State.Checkin.Step == StepReview {
			c.submit()
			return
		}
		c.unknown()
	},
	cmdLater: func(c checkin, _ command, active bool) {
		if active && c.in.State.Checkin.Step == StepPrompt {
			c.later()
			return
		}
		c.unknown()
	},
	cmdNone: func(c checkin, _ command, active bool) {
		switch step := c.in.State.Checkin.Step; {
		case active && step == StepItem:
			c.answer(c.in.Event.Text)
		case active && step == StepSkipReason:
			c.skipWeek(c.in.Event.Text)
		default:
			c.unknown()
		}
	},
}

// stands says which step of the check-in (or of its voice note) the
// person is at.
func (c checkin) stands() bool {
	st := c.in.State.Checkin
	if (voice{turn: c.turn}).stands() {
		return true
	}
	if c.in.Round == nil || c.in.Round.ID != st.RoundID {
		return false
	}
	switch st.Step {
	case StepItem:
		its := items(c.in.Team, c.in.Goals)
		if st.Item >= len(its) {
			return false
		}
		c.say(c.t.T("where.item", "N", st.Item+1, "Total", len(its), "Question", c.itemText(its[st.Item])))
	case StepReview:
		c.say(c.t.T("where.review"))
	case StepPrompt:
		c.say(c.t.T("where.prompt"))
	case StepSkipReason:
		c.say(c.t.T("where.skip_reason"))
	default:
		return false
	}
	return true
}

func (c checkin) cancel(active bool) {
	if !active || c.in.State.Checkin.Step == StepSubmitted {
		c.say(c.t.T("cancel.nothing"))
		return
	}
	c.res.State = State{}
	c.say(c.t.T("cancel.done"))
}

// next moves the dialog to a new step; Seq grows so older buttons go stale.
func (c checkin) next(step string, item int, editing bool) {
	c.res.State = State{
		Flow:    FlowCheckin,
		Checkin: CheckinState{RoundID: c.in.Round.ID, Step: step, Item: item, Editing: editing},
		Fb:      c.in.State.Fb,
		// The round's version outlives an expired dialog, so a button from
		// before the expiry still reads as old.
		Seq: max(c.in.State.Seq, int(c.in.Round.Version)) + 1,
	}
}

// prompt offers this period's check-in: Start / Skip this week / Remind me later.
func (c checkin) prompt() {
	r := c.in.Round
	if r.Status == store.StatusSubmitted || r.Status == store.StatusSkipped || c.in.Person.AwayOn(c.in.Today) {
		return // dealt with already, or out of office: opening again must not nag
	}
	if c.in.Nudge > 0 {
		c.nudge()
		return
	}
	c.next(StepPrompt, 0, false)
	c.send(c.promptCard(""))
}

func (c checkin) promptCard(chosen string) bot.Message {
	m := bot.Message{
		Title: c.t.T("prompt.title", "Period", c.in.Round.Period),
		Text:  c.t.T("prompt.text", "Name", c.in.Person.Name, "Count", len(items(c.in.Team, c.in.Goals))),
	}
	bs := []bot.Button{c.button(actStart, "", c.t.T("button.start"), bot.StylePrimary)}
	if c.in.Forms {
		bs = append(bs, c.button(actForm, "", c.t.T("button.form"), bot.StyleDefault))
	}
	bs = append(bs,
		c.button(actSkip, "", c.t.T("button.skip_week"), bot.StyleDefault),
		c.button(actLater, "", c.t.T("button.later"), bot.StyleDefault))
	return c.withButtons(m, chosen, bs...)
}

// button is a button about the current round at the step being entered.
func (c checkin) button(name, arg, label string, style bot.ButtonStyle) bot.Button {
	a := action{Name: name, ID: c.in.Round.ID, Seq: c.res.State.Seq, Arg: arg}
	return bot.Button{Label: label, Value: a.value(), Style: style}
}

// withButtons adds buttons to m, or, once one was chosen, shows the choice
// instead so nothing can be clicked twice.
func (c *turn) withButtons(m bot.Message, chosen string, buttons ...bot.Button) bot.Message {
	if chosen != "" {
		m.Text = strings.TrimSpace(m.Text + "\n\n" + c.t.T("chosen", "Choice", chosen))
		return m
	}
	m.Buttons = buttons
	return m
}

// replaceClicked replaces the card whose button was clicked.
func (c *turn) replaceClicked(m bot.Message) {
	if c.in.Event.Ref == "" {
		return
	}
	m.Replace = c.in.Event.Ref
	c.send(m)
}

// begin starts or resumes this period's check-in.
func (c checkin) begin() {
	if c.startRound() {
		c.resume()
	}
}

// startRound opens this period's round for answering, and reports whether
// there is anything to answer: not when the round still has to be opened,
// or is already submitted or closed (the person is told).
func (c checkin) startRound() bool {
	r := c.in.Round
	if r == nil {
		c.res.OpenPeriod = c.in.Period
		return false
	}
	switch r.Status {
	case store.StatusSubmitted:
		c.next(StepSubmitted, 0, false)
		c.say(c.submittedNote(r))
		return false
	case store.StatusMissed:
		c.say(c.t.T("checkin.closed", "Period", r.Period))
		return false
	case store.StatusPending, store.StatusSkipped:
		nr := c.round()
		nr.Status, nr.SkipReason = store.StatusInProgress, ""
		if nr.StartedAt.IsZero() {
			nr.StartedAt = c.in.Now
		}
		c.audit("checkin.start", nr, "")
	}
	return true
}

// submittedNote says r is submitted and what can still be done with it:
// edit N until it is reviewed, nothing after.
func (c checkin) submittedNote(r *store.Round) string {
	if name := c.reviewerName(r); name != "" {
		return c.t.T("checkin.reviewed", "Period", r.Period, "Name", name)
	}
	return c.t.T("checkin.already_submitted", "Period", r.Period)
}

// resume asks the first unanswered item, or shows the review.
func (c checkin) resume() {
	r := c.current()
	for i, it := range items(c.in.Team, c.in.Goals) {
		if !it.answered(r) {
			c.ask(i, false)
			return
		}
	}
	c.review("")
}

// current is the round as this step leaves it.
func (c checkin) current() *store.Round {
	if c.w.round != nil {
		return c.w.round
	}
	return c.in.Round
}

// ask asks item i.
func (c checkin) ask(i int, editing bool) {
	c.next(StepItem, i, editing)
	c.send(c.askCard(i, ""))
}

func (c checkin) askCard(i int, chosen string) bot.Message {
	its := items(c.in.Team, c.in.Goals)
	it := its[i]
	m := bot.Message{Text: c.t.T("ask", "N", i+1, "Total", len(its), "Question", c.itemText(it))}
	switch it.kind {
	case itemMood:
		var bs []bot.Button
		for n := 1; n <= 5; n++ {
			bs = append(bs, c.button(actMood, strconv.Itoa(n), moodLabel(n), bot.StyleDefault))
		}
		return c.withButtons(m, chosen, bs...)
	case itemGoal:
		m.Text += "\n" + c.t.T("ask.goal_hint")
	case itemQuestion:
		m.Text += "\n" + c.t.T("ask.question_hint")
	}
	return m
}

func (c checkin) itemText(it item) string {
	switch it.kind {
	case itemGoal:
		if it.goal.Target > 0 {
			return c.t.T("question.goal_target", "Goal", it.goal.Title, "Target", num(it.goal.Target))
		}
		return c.t.T("question.goal", "Goal", it.goal.Title)
	case itemMood:
		return c.t.T("question.mood")
	}
	return questionText(c.t, it.question)
}

// answer takes the answer to the item being asked.
func (c checkin) answer(text string) {
	st := c.in.State.Checkin
	its := items(c.in.Team, c.in.Goals)
	if st.Item >= len(its) {
		c.resume() // the template changed under us; pick up where it stands now
		return
	}
	if !c.in.Round.ReviewedAt.IsZero() {
		c.say(c.t.T("edit.reviewed", "Period", c.in.Round.Period))
		c.res.State = State{}
		return
	}
	it := its[st.Item]
	text = strings.TrimSpace(text)
	if text == "" {
		c.say(c.t.T("answer.empty"))
		return
	}
	if n := utf8.RuneCountInString(text); n > MaxAnswer {
		c.tooLong(text, n)
		return
	}
	changed := c.w.round != nil
	r := c.round()
	if problem := c.takeAnswer(r, it, text); problem != "" {
		if !changed {
			c.w.round = nil // nothing to save
		}
		c.say(problem)
		return
	}
	c.audit("checkin.answer", r, it.key())
	c.advance()
}

// takeAnswer stores an answer (typed, tapped or from a form) to item it in
// r, or, leaving r as it was, says what is wrong with it.
func (c checkin) takeAnswer(r *store.Round, it item, v string) string {
	switch it.kind {
	case itemQuestion:
		setAnswer(r, it.question.Key, questionText(c.t, it.question), v)
	case itemGoal:
		if parseCommand(v).Name == cmdSkip { // typed in chat it is a command; in a form, an answer
			setGoal(r, store.GoalProgress{GoalID: it.goal.ID, Title: it.goal.Title, Target: it.goal.Target, Skipped: true})
			return ""
		}
		value, percent, ok := parseNumber(v)
		switch {
		case !ok || value < 0:
			return c.t.T("answer.bad_number")
		case (percent || it.goal.Target == 0) && value > 100:
			return c.t.T("answer.bad_percent")
		}
		if percent && it.goal.Target > 0 {
			value = it.goal.Target * value / 100
		}
		setGoal(r, store.GoalProgress{GoalID: it.goal.ID, Title: it.goal.Title, Value: value, Target: it.goal.Target})
		g := it.goal
		g.Progress = value
		c.w.goals = append(c.w.goals, g)
	case itemMood:
		n, ok := parseMood(v)
		if !ok {
			return c.t.T("answer.bad_mood")
		}
		r.Mood = n
	}
	return ""
}

// key names an item in the audit log.
func (it item) key() string {
	switch it.kind {
	case itemGoal:
		return "goal:" + num(float64(it.goal.ID))
	case itemMood:
		return "mood"
	}
	return it.question.Key
}

// advance moves past the item just answered or skipped: to the next one
// still unanswered (a form or a voice note may have answered some), or to
// the review.
func (c checkin) advance() {
	st := c.in.State.Checkin
	if st.Editing {
		c.resume() // back to the review, or to what is still unanswered
		return
	}
	its, r := items(c.in.Team, c.in.Goals), c.current()
	for i := st.Item + 1; i < len(its); i++ {
		if !its[i].answered(r) {
			c.ask(i, false)
			return
		}
	}
	c.review("")
}

// tooLong keeps an over-long answer as a draft and offers to cut it.
func (c checkin) tooLong(text string, n int) {
	st := c.in.State.Checkin
	c.next(StepItem, st.Item, st.Editing)
	c.res.State.Checkin.Draft = text
	c.send(c.tooLongCard(n, ""))
}

func (c checkin) tooLongCard(n int, chosen string) bot.Message {
	m := bot.Message{Text: c.t.T("answer.too_long", "Count", n, "Max", MaxAnswer)}
	return c.withButtons(m, chosen, c.button(actTrim, "", c.t.T("button.trim", "Max", MaxAnswer), bot.StyleDefault))
}

// skipItem leaves the item being asked unanswered and moves on.
func (c checkin) skipItem() {
	its := items(c.in.Team, c.in.Goals)
	st := c.in.State.Checkin
	if st.Item >= len(its) {
		c.resume()
		return
	}
	it := its[st.Item]
	switch it.kind {
	case itemQuestion:
		setAnswer(c.round(), it.question.Key, questionText(c.t, it.question), "")
	case itemGoal:
		setGoal(c.round(), store.GoalProgress{GoalID: it.goal.ID, Title: it.goal.Title, Target: it.goal.Target, Skipped: true})
	case itemMood:
		// Mood has no "skipped" value; it stays unanswered and the review shows it so.
	}
	if c.w.round != nil {
		c.audit("checkin.answer", c.w.round, it.key()+" skipped")
	}
	c.advance()
}

// askSkipReason asks why the week is skipped.
func (c checkin) askSkipReason() {
	r := c.in.Round
	switch {
	case r == nil:
		c.res.OpenPeriod = c.in.Period
		return
	case r.Status == store.StatusSubmitted:
		c.say(c.t.T("checkin.already_submitted", "Period", r.Period))
		return
	case r.Status == store.StatusSkipped:
		c.say(c.t.T("skip.already", "Period", r.Period))
		return
	}
	c.next(StepSkipReason, 0, false)
	m := bot.Message{Text: c.t.T("skip.ask")}
	c.send(c.withButtons(m, "",
		c.button(actSkip, "leave", c.t.T("skip.reason.leave"), bot.StyleDefault),
		c.button(actSkip, "nothing", c.t.T("skip.reason.nothing"), bot.StyleDefault)))
}

// skipWeek marks the round skipped with reason.
func (c checkin) skipWeek(reason string) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n > MaxAnswer {
		c.tooLong(reason, n)
		c.res.State.Checkin.Step = StepSkipReason
		return
	}
	r := c.round()
	r.Status, r.SkipReason = store.StatusSkipped, reason
	c.audit("checkin.skip", r, reason)
	c.res.State = State{}
	c.say(c.t.T("skip.done", "Period", r.Period))
}

// LaterDelay is how long "Remind me later" puts the prompt off.
const LaterDelay = 2 * time.Hour

// later puts the prompt off: the round remembers when to prompt again, so
// the reminder survives restarts and is sent once across replicas.
func (c checkin) later() {
	r := c.round()
	r.RemindAt = c.in.Now.Add(LaterDelay)
	c.audit("checkin.later", r, r.RemindAt.UTC().Format(time.RFC3339))
	c.res.State = State{}
	c.say(c.t.T("later.done"))
}

// review shows every answer with Submit and Edit buttons.
func (c checkin) review(chosen string) {
	c.next(StepReview, 0, false)
	c.send(c.reviewCard(chosen))
}

func (c checkin) reviewCard(chosen string) bot.Message {
	r := c.current()
	m := bot.Message{
		Title:  c.t.T("review.title", "Period", r.Period),
		Fields: c.reviewFields(r),
		Text:   c.t.T("review.text"),
	}
	submit := c.t.T("button.submit")
	if r.Status == store.StatusSubmitted {
		submit = c.t.T("button.submit_changes")
	}
	bs := []bot.Button{c.button(actSubmit, "", submit, bot.StylePrimary)}
	// Platforms cap buttons (WeCom at 6), so only the first few items get
	// one; "edit N" works for all of them.
	for i := range min(len(items(c.in.Team, c.in.Goals)), 5) {
		bs = append(bs, c.button(actEdit, num(float64(i+1)), c.t.T("button.edit", "N", i+1), bot.StyleDefault))
	}
	return c.withButtons(m, chosen, bs...)
}

// reviewFields lists the person's answers numbered as the items, so "edit N"
// means what it shows.
func (c checkin) reviewFields(r *store.Round) []bot.Field {
	its := items(c.in.Team, c.in.Goals)
	fs := make([]bot.Field, 0, len(its))
	for i, it := range its {
		value := c.t.T("answer.none")
		if it.answered(r) {
			value = c.itemValue(r, it)
		}
		fs = append(fs, bot.Field{Label: num(float64(i+1)) + ". " + c.itemText(it), Value: value})
	}
	return fs
}

// itemValue is the answer to an answered item as it reads in a card.
func (c checkin) itemValue(r *store.Round, it item) string {
	switch it.kind {
	case itemGoal:
		for _, g := range r.Goals {
			if g.GoalID == it.goal.ID {
				return progressLabel(c.t, g)
			}
		}
	case itemMood:
		return moodLabel(r.Mood)
	}
	return orSkipped(c.t, r.Answer(it.question.Key))
}
