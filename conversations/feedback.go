package conversations

import (
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
	"strings"
)

// The feedback flows (SBI feedback, praise, requests) share this file's
// plumbing. Load asks wants what the step will look at and reads it into
// Input.Fb through the person's Reader: a button naming feedback or a
// request they may not see finds nothing. A step cannot
// know the ids of the records it creates either: its buttons name them by a
// placeholder, and Bind puts in the ids the store gave.

// Draft is SBI feedback being written and where it goes, or praise just
// sent that a note may still be added to.
type Draft struct {
	To         int64  `json:"to,omitempty"`  // the recipient
	Request    int64  `json:"req,omitempty"` // the request it answers
	Source     string `json:"src,omitempty"` // the business event that prompted it
	Situation  string `json:"s,omitempty"`
	Behavior   string `json:"b,omitempty"`
	Impact     string `json:"i,omitempty"`
	Suggestion string `json:"g,omitempty"`
	// Praise is praise just sent, for FlowPraiseNote.
	Praise int64 `json:"praise,omitempty"`
}

// FeedbackConfig is how an organisation runs praise.
type FeedbackConfig struct {
	// Allowance is the points a person may give in a month, and DailyCap
	// in a day; each recipient of praise gets one point.
	Allowance int
	DailyCap  int
	// Values are the company values praise may be tagged with. An entry may
	// name a value in several languages, separated by " / ".
	Values []string
	// Feed makes praise public and posts it to the recipient's team channel,
	// where the team has one.
	Feed bool
}

// DefaultFeedbackConfig is what an organisation gets unless it sets its own.
func DefaultFeedbackConfig() FeedbackConfig {
	return FeedbackConfig{
		Allowance: 10, DailyCap: 3, Feed: true,
		Values: []string{"Customer first / 客户第一", "Ownership / 主人翁精神", "Teamwork / 团队合作", "Bias for action / 行动力", "Learn and grow / 学习成长"},
	}
}

// Given is the praise points a person gave this month and today.
type Given struct{ Month, Today int }

// Leader is one line of the leaderboard.
type Leader struct {
	Name   string
	Points int
}

// FeedbackInput is what the feedback flows look at, loaded as wants says.
type FeedbackInput struct {
	Config FeedbackConfig
	// Peer is the other person of the step: the recipient of the draft, the
	// other side of the feedback or request a button names, or the person
	// a button names.
	Peer *bot.Person
	// Mentioned maps each mention token to the people it may mean.
	Mentioned map[string][]bot.Person
	// Teams are the teams of the people mentioned and of Peer, for the feed.
	Teams    map[int64]store.Team
	Feedback *store.Feedback
	Request  *store.FeedbackRequest
	Given    Given
	Leaders  []Leader
	// RoundPraise is the praise Person already gave on the check-in a
	// Praise button names, and RoundRequest their request to their manager
	// about the check-in an Ask my manager button names, still open; nil
	// when there is none.
	RoundPraise  *store.Feedback
	RoundRequest *store.FeedbackRequest
}

// needs is what a step will look at, beyond what every step gets.
type needs struct {
	Mentions    []string
	Peer        int64
	Feedback    int64
	Request     int64
	Points      bool
	Leaderboard bool
	// RoundPraise and RoundRequest ask for FeedbackInput's fields of the
	// same names, for the round Input.Round.
	RoundPraise  bool
	RoundRequest bool
}

// wants says what the step for ev in state st will need loaded.
func wants(ev bot.Event, st State) needs {
	n := needs{Peer: st.Fb.To}
	switch ev.Kind {
	case bot.KindAction:
		a, ok := parseAction(ev.Action)
		if !ok {
			return n
		}
		switch a.Name {
		case actThanks, actTalk, actPraiseValue, actPraiseNote:
			n.Feedback = a.ID
		case actReqGive, actReqDecline:
			n.Request = a.ID
		case actBizPraise, actBizSBI:
			n.Peer, n.Points = a.ID, true
		case actPraise:
			n.Points, n.RoundPraise = true, true
		case actAskManager:
			n.RoundRequest = true
		case actPick:
			n.add(parseFbCommand(pendingText(st, a)))
		}
		if sbiAction(a.Name) {
			n.Request = st.Fb.Request
		}
	case bot.KindMessage:
		switch st.Flow {
		case FlowPraiseNote:
			n.Feedback = st.Fb.Praise
		case FlowFeedback:
			n.Request = st.Fb.Request
		}
		n.add(parseFbCommand(ev.Text))
	}
	return n
}

func (n *needs) add(cmd fbCommand) {
	n.Mentions = cmd.candidates()
	n.Points = cmd.kind == fbKudos
	n.Leaderboard = cmd.kind == fbBoard
}

// Placeholders for records a step creates: feedback i of the SaveFeedback effect is
// -(i+1) in a feedback button, and its new request is -1 in a
// request button.
func pendingFeedback(i int) int64 { return -int64(i) - 1 }

const pendingRequest = -1

// Bind puts the ids the store gave into the buttons of out that name new
// records by placeholder: feedback[i] for feedback placeholder i, request
// for the request one.
func Bind(out []Outbound, feedback []int64, request int64) {
	for i := range out {
		bs := out[i].Message.Buttons
		if len(bs) == 0 {
			continue
		}
		bound := make([]bot.Button, len(bs))
		for j, b := range bs {
			bound[j] = b
			a, ok := parseAction(b.Value)
			if !ok || a.ID >= 0 {
				continue
			}
			switch {
			case requestAction(a.Name):
				a.ID = request
			case int(-a.ID-1) < len(feedback):
				a.ID = feedback[-a.ID-1]
			}
			bound[j].Value = a.value()
		}
		out[i].Message.Buttons = bound
	}
}

// BindRequest gives r the id of the feedback it was answered with, when
// that feedback was new in the same step.
func BindRequest(r *store.FeedbackRequest, feedback []int64) {
	if r != nil && r.FeedbackID < 0 && int(-r.FeedbackID-1) < len(feedback) {
		r.FeedbackID = feedback[-r.FeedbackID-1]
	}
}

func requestAction(name string) bool { return name == actReqGive || name == actReqDecline }

// Feedback button actions. Thanks, Let's talk, the value and note buttons
// name feedback; the request buttons a request; the business-event and
// SBI buttons a person (the draft's recipient); praise and ask-manager a
// round.
const (
	actThanks      = "fthx"
	actTalk        = "ftalk"
	actPraise      = "praise" // one tap on a check-in summary
	actPraiseValue = "pval"
	actPraiseNote  = "pnote"
	actReqGive     = "rgive"
	actReqDecline  = "rdecl"
	actAskManager  = "askmgr"
	actBizPraise   = "bpraise"
	actBizSBI      = "bsbi"
	actPick        = "pick"
	actSBIChat     = "sbichat"
	actSBIForm     = "sbiform"
	actSBIFormOK   = "sbifsub"
	actSBISend     = "sbisend"
	actSBIEdit     = "sbiedit"
	actSBICancel   = "sbidrop"
	actSBITrim     = "sbitrim"
)

// feedback is the feedback commands typed in chat: kudos, feedback, ask,
// the leaderboard. Each hands on to its flow: kudos, sbi, requests.
type feedback struct {
	*turn
	base
}

// text takes a feedback command. An answer may well start with
// "feedback" or "praise": while one is asked for, only a command naming
// someone with @ is a command.
func (c feedback) text(command) bool {
	text := c.in.Event.Text
	fc := parseFbCommand(text)
	if !fc.explicit && c.answering() {
		return false
	}
	if fc.kind == fbNone {
		return false
	}
	c.run(fc, text)
	return true
}

// cancelDraft drops a feedback flow's draft, when cmd is cancel.
func (c *turn) cancelDraft(cmd command) bool {
	if cmd.Name != cmdCancel {
		return false
	}
	c.res.State = State{}
	c.say(c.t.T("fb.cancelled"))
	return true
}

// answering reports whether free text is expected: an answer in a
// check-in or a feedback flow.
func (c *turn) answering() bool {
	st := c.in.State
	switch st.Flow {
	case FlowCheckin:
		return st.Checkin.Step == StepItem || st.Checkin.Step == StepSkipReason
	case FlowFeedback:
		return st.SBI.Step != StepSBIReview
	case FlowPraiseNote:
		return true
	}
	return false
}

// run runs a feedback command typed (or completed by a pick) as text.
func (c feedback) run(fc fbCommand, text string) {
	if fc.kind == fbBoard {
		kudos{turn: c.turn}.leaderboard()
		return
	}
	if st := c.in.State; st.Flow == FlowCheckin && st.Active() && st.Checkin.Step != StepPrompt {
		// Feedback has its own steps: starting them would drop the
		// check-in's place. The answers so far are kept either way.
		c.say(c.t.T("fb.checkin_first"))
		c.where()
		return
	}
	if fc.kind == fbFeedback && len(fc.tokens) == 0 && c.in.State.Fb.To != 0 && c.in.Fb.Peer != nil {
		sbi{turn: c.turn}.sbiResume() // "feedback" alone picks the unsent draft up again
		return
	}
	people, ok := c.resolve(&fc, text)
	if !ok {
		return
	}
	switch fc.kind {
	case fbKudos:
		kudos{turn: c.turn}.kudos(people, fc)
	case fbFeedback:
		sbi{turn: c.turn}.sbiStart(people[0], Draft{})
	case fbAsk:
		requests{turn: c.turn}.askFeedback(people[0], fc.text, 0)
	}
}

// fbState moves the dialog to a feedback flow, with draft d.
func (c *turn) fbState(flow string, d Draft) {
	c.res.State = State{Flow: flow, Seq: c.in.State.Seq + 1, Fb: d}
}

// fbButton is a button naming record or person id, bound to the step being
// entered.
func (c *turn) fbButton(name string, id int64, arg, label string, style bot.ButtonStyle) bot.Button {
	a := action{Name: name, ID: id, Seq: c.res.State.Seq, Arg: arg}
	return bot.Button{Label: label, Value: a.value(), Style: style}
}

// tell sends a message to someone else, in their language.
func (c *turn) tell(p bot.Person, m bot.Message) {
	c.res.Out = append(c.res.Out, to(p.ID, m))
}

func (c *turn) fbAudit(action string, object string, detail string) {
	c.w.audit = append(c.w.audit, store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: action, Object: object, Detail: detail,
	})
}

// sayKept refuses what the person typed with msg, and gives it back to
// them, so nothing they wrote is lost: they can copy, change and send it.
func (c *turn) sayKept(msg, text string) {
	if strings.TrimSpace(text) == "" {
		c.say(msg)
		return
	}
	c.say(msg + "\n\n" + c.t.T("fb.kept", "Text", bot.Neutralize(text)))
}
