package conversations

import (
	"fmt"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// MaxAnswer is the longest answer kept, in characters.
const MaxAnswer = 4000

// Step runs one transition of the person's conversation, in the flow that
// owns it.
func Step(in Input) Result { return flows().step(in) }

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
	in     Input
	t      i18n.Texts
	res    Result
	w      writes
	router *router
}

func (c *turn) say(text string) { c.res.Out = append(c.res.Out, reply(bot.Message{Text: text})) }

func (c *turn) send(m bot.Message) { c.res.Out = append(c.res.Out, reply(m)) }

func (c *turn) audit(action string, r *store.Round, detail string) {
	c.w.audit = append(c.w.audit, store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: action,
		Object: fmt.Sprintf("round:%d", r.ID), Detail: detail,
	})
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

// unknown is the reply to text that fits nothing: short help, never silence,
// in one message with what perfbot is waiting for; the longer help when it
// waits for nothing.
func (c *turn) unknown() {
	short := c.t.T("unknown.short")
	c.say(short)
	i := len(c.res.Out) - 1
	c.where()
	if c.res.Out[i].Message.Text == short {
		c.res.Out[i].Message.Text = c.t.T("unknown")
	}
}

// where reminds the person what perfbot is waiting for, if anything, or
// that it lost track (see lostNotice): said after whatever fit nothing, in
// the same message as that.
func (c *turn) where() {
	from := len(c.res.Out)
	c.router.where(c)
	c.lostNotice()
	c.joinReplies(from)
}

// joinReplies makes the plain text replies from Out[from] on part of the
// plain reply just before them, so what went amiss and where things stand
// arrive as one message.
func (c *turn) joinReplies(from int) {
	out := c.res.Out
	if from == 0 || from >= len(out) || !plainReply(out[from-1]) {
		return
	}
	end := from
	for ; end < len(out) && plainReply(out[end]); end++ {
		out[from-1].Message.Text += "\n\n" + out[end].Message.Text
	}
	c.res.Out = append(out[:from], out[end:]...)
}

// plainReply reports whether o is text only, to the person who acted.
func plainReply(o Outbound) bool {
	m := o.Message
	return o.PersonID == 0 && !o.Channel.IsChannel() && m.Title == "" && m.Replace == "" &&
		len(m.Fields) == 0 && len(m.Buttons) == 0 && m.Form == nil && m.Text != ""
}

// standing reminds the person what perfbot is waiting for, if anything,
// where nothing went amiss (help).
func (c *turn) standing() { c.router.where(c) }

// expecting reports whether free text is expected: an answer, or the new
// text of a voice summary's part. Text that merely starts like a command
// ("请假了两天…", "广播系统上线了") is then that text.
func (c *turn) expecting() bool { return c.answering() || c.in.State.Voice.Step == StepVoicePart }

// unsupported is the reply to an event no flow takes.
func (c *turn) unsupported() {
	c.say(c.t.T("unsupported"))
	c.where()
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
	// more are the effects of a flow's own kinds (see effect).
	more  []Effect
	audit []store.AuditEntry
}

// effect adds an effect of a flow's own kind to the step: a new flow's
// writes need nothing but their Effect type. Audit entries still come last,
// after every write they may record.
func (c *turn) effect(e Effect) { c.w.more = append(c.w.more, e) }

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
	out = append(out, w.more...)
	for _, a := range w.audit {
		out = append(out, Audit{a})
	}
	return out
}
