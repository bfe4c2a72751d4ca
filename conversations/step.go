package conversations

import (
	"strings"

	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// MaxAnswer is the longest answer kept, in characters.
const MaxAnswer = 4000

// Step runs one transition of the person's conversation.
func Step(in Input) Result {
	c := &turn{in: in, t: in.Texts.For(in.Person.Locale), res: Result{State: in.State}}
	switch {
	case in.Open:
		c.prompt()
	case in.NoteReady:
		c.voiceReady()
	case in.Returned:
		c.returned()
	case in.Event.Group:
		c.groupChat()
	case in.Event.Kind == bot.KindAction:
		c.click()
	case in.Event.Kind == bot.KindMessage:
		c.text()
	case in.Event.Kind == bot.KindVoice:
		c.voiceReceived()
	default:
		c.say(c.t.T("unsupported"))
		c.where()
	}
	c.res.Effects = c.w.effects(in)
	return c.res
}

// Stranger is the reply to someone perfbot does not know yet. Their locale is
// unknown too, so it speaks every language.
func Stranger(cat *i18n.Catalog) Outbound {
	var text string
	for i, loc := range i18n.Locales() {
		if i > 0 {
			text += "\n\n"
		}
		text += cat.For(loc).T("stranger")
	}
	return reply(bot.Message{Text: text})
}

// turn is one step in progress: the input, the texts in the person's locale
// and the result being built.
type turn struct {
	in  Input
	t   i18n.Texts
	res Result
	w   writes
}

func (c *turn) say(text string) { c.res.Out = append(c.res.Out, reply(bot.Message{Text: text})) }

func (c *turn) send(m bot.Message) { c.res.Out = append(c.res.Out, reply(m)) }

func (c *turn) audit(action string, r *store.Round, detail string) {
	c.w.audit = append(c.w.audit, store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: action,
		Object: fmt.Sprintf("round:%d", r.ID), Detail: detail,
	})
}

// next moves the dialog to a new step; Seq grows so older buttons go stale.
func (c *turn) next(step string, item int, editing bool) {
	c.res.State = State{
		Flow: FlowCheckin, RoundID: c.in.Round.ID, Step: step,
		Item: item, Editing: editing, Fb: c.in.State.Fb,
		// The round's version outlives an expired dialog, so a button from
		// before the expiry still reads as old.
		Seq: max(c.in.State.Seq, int(c.in.Round.Version)) + 1,
	}
}

// round returns the round being changed in this step, copying it once so
// the input stays untouched.
func (c *turn) round() *store.Round {
	if c.w.round == nil {
		r := *c.in.Round
		r.Answers = append([]store.Answer(nil), r.Answers...)
		r.Goals = append([]store.GoalProgress(nil), r.Goals...)
		c.w.round = &r
	}
	return c.w.round
}

func (c *turn) groupChat() {
	ev := c.in.Event
	c.res.Out = append(c.res.Out, Outbound{
		Channel: bot.Address{Identity: bot.Identity{Platform: ev.From.Platform, Tenant: ev.From.Tenant}, Channel: ev.Channel},
		Message: bot.Message{Text: c.t.T("group.only")},
	})
}

// text handles something the person typed.
func (c *turn) text() {
	// While an answer is expected, text that merely starts like a command
	// ("请假了两天…", "广播系统上线了") is the answer: only the exact
	// commands below (skip, cancel, …) are taken as commands.
	answering := c.answering() || c.in.State.Step == StepVoicePart
	if b, ok := parseBroadcast(c.in.Event.Text); ok && !answering {
		c.broadcast(b)
		return
	}
	cmd := parseCommand(c.in.Event.Text)
	st := c.in.State
	if st.Step == StepVoicePart && cmd.Name == cmdNone && c.in.Note != nil && c.in.Note.ID == st.Voice {
		c.voicePartText(c.in.Event.Text)
		return
	}
	if c.feedbackText(cmd) {
		return
	}
	// Mid-answer, only a whole "away until DAY" with a day that reads.
	if day, ok := parseAway(c.in.Event.Text, c.in.Today); ok && (!answering || day != "") {
		c.away(day)
		return
	}
	if backWords[strings.ToLower(strings.TrimSpace(c.in.Event.Text))] {
		c.back()
		return
	}
	active := st.Flow == FlowCheckin && c.in.Round != nil && c.in.Round.ID == st.RoundID
	switch cmd.Name {
	case cmdHelp:
		c.say(c.t.T("help") + "\n" + c.t.T("help.feedback"))
		c.where()
	case cmdCheckin:
		c.begin()
	case cmdCancel:
		c.cancel(active)
	case cmdEdit:
		c.edit(cmd.N)
	case cmdSkip:
		switch {
		case active && st.Step == StepItem:
			c.skipItem()
		case active && st.Step == StepSkipReason:
			c.skipWeek("")
		default:
			c.askSkipReason()
		}
	case cmdSubmit:
		if active && st.Step == StepReview {
			c.submit()
			return
		}
		c.unknown()
	case cmdLater:
		if active && st.Step == StepPrompt {
			c.later()
			return
		}
		c.unknown()
	default:
		switch {
		case active && st.Step == StepItem:
			c.answer(c.in.Event.Text)
		case active && st.Step == StepSkipReason:
			c.skipWeek(c.in.Event.Text)
		default:
			c.unknown()
		}
	}
}

// unknown is the reply to text that fits nothing: short help, never silence.
func (c *turn) unknown() {
	c.say(c.t.T("unknown"))
	c.where()
}

// where reminds the person what perfbot is waiting for, if anything.
func (c *turn) where() {
	st := c.in.State
	if c.fbWhere() {
		return
	}
	if (st.Step == StepVoice || st.Step == StepVoicePart) && c.in.Note != nil && c.in.Note.ID == st.Voice {
		c.say(c.t.T("where.voice"))
		return
	}
	if st.Flow != FlowCheckin || c.in.Round == nil || c.in.Round.ID != st.RoundID {
		return
	}
	switch st.Step {
	case StepItem:
		its := items(c.in.Team, c.in.Goals)
		if st.Item < len(its) {
			c.say(c.t.T("where.item", "N", st.Item+1, "Total", len(its), "Question", c.itemText(its[st.Item])))
		}
	case StepReview:
		c.say(c.t.T("where.review"))
	case StepPrompt:
		c.say(c.t.T("where.prompt"))
	case StepSkipReason:
		c.say(c.t.T("where.skip_reason"))
	}
}

func (c *turn) cancel(active bool) {
	if !active || c.in.State.Step == StepSubmitted {
		c.say(c.t.T("cancel.nothing"))
		return
	}
	c.res.State = State{}
	c.say(c.t.T("cancel.done"))
}

// writes are the records a turn changes, gathered while it runs (a round is
// changed by several methods of one turn) and turned into Effects at its
// end.
type writes struct {
	round     *store.Round
	goals     []store.Goal
	note      *store.VoiceNote
	person    *bot.Person
	feedback  []store.Feedback
	request   *store.FeedbackRequest
	broadcast *NewBroadcast
	ack       int64
	audit     []store.AuditEntry
}

// effects are w in the order they are written: the round first, so a
// round changed meanwhile fails the transaction before anything else.
func (w writes) effects(in Input) []Effect {
	var out []Effect
	if w.round != nil {
		out = append(out, SaveRound{w.round})
	}
	if w.note != nil {
		out = append(out, SaveVoiceNote{w.note})
	}
	if w.person != nil {
		out = append(out, SavePerson{w.person})
	}
	if len(w.feedback) > 0 || w.request != nil {
		out = append(out, &SaveFeedback{Feedback: w.feedback, Request: w.request})
	}
	if w.broadcast != nil {
		out = append(out, CreateBroadcast{NewBroadcast: *w.broadcast, ActorID: in.Person.ID, At: in.Now})
	}
	if w.ack != 0 {
		out = append(out, AckBroadcast{Broadcast: w.ack, Person: in.Person.ID, At: in.Now})
	}
	for _, g := range w.goals {
		out = append(out, SaveGoal{g})
	}
	for _, a := range w.audit {
		out = append(out, Audit{a})
	}
	return out
}
