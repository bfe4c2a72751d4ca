package conversations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// A voice note is transcribed and summarised away from the conversation (it
// can take a while); meanwhile the person is told it arrived. When it is
// ready, its summary is offered with Confirm / Edit / Discard, and only a
// confirmed summary is saved: into the check-in under way, or, outside one,
// sent to the manager as a weekly 3x3 note.

// voicePart is one part of a summary: its key and where it lives.
type voicePart struct {
	key  string
	text func(*store.VoiceSummary) *string
}

var (
	checkinParts = []voicePart{
		{store.QuestionDone, func(s *store.VoiceSummary) *string { return &s.Done }},
		{store.QuestionBlockers, func(s *store.VoiceSummary) *string { return &s.Blockers }},
		{store.QuestionNext, func(s *store.VoiceSummary) *string { return &s.Next }},
	}
	noteParts = []voicePart{
		{"win", func(s *store.VoiceSummary) *string { return &s.Win }},
		{"improve", func(s *store.VoiceSummary) *string { return &s.Improve }},
		{"support", func(s *store.VoiceSummary) *string { return &s.Support }},
	}
)

func partsOf(kind store.VoiceKind) []voicePart {
	if kind == store.VoiceCheckin {
		return checkinParts
	}
	return noteParts
}

func partLabel(t i18n.Texts, kind store.VoiceKind, p voicePart) string {
	if kind == store.VoiceCheckin {
		return t.T("summary." + p.key)
	}
	return t.T("voice.part." + p.key)
}

// voice is a voice note: its summary offered for Confirm, Edit or
// Discard, then kept in the check-in under way or as a weekly note.
type voice struct {
	*turn
	base
}

func (voice) owns() owns {
	return owns{
		actions: []string{actVoiceConfirm, actVoiceEdit, actVoicePart, actVoiceDiscard},
		states:  []string{FlowVoice},
		events:  []event{evNoteReady, evVoice},
	}
}

func (c voice) on(e event) {
	if e == evNoteReady {
		c.voiceReady()
		return
	}
	c.voiceReceived()
}

func (c voice) click(a action) { c.voiceClick(a) }

// text takes the new text of the summary part being edited.
func (c voice) text(cmd command) bool {
	st := c.in.State.Voice
	if st.Step != StepVoicePart || cmd.Name != cmdNone || c.in.Note == nil || c.in.Note.ID != st.Note {
		return false
	}
	c.voicePartText(c.in.Event.Text)
	return true
}

// stands says a voice summary waits, in either the check-in's state or
// its own.
func (c voice) stands() bool {
	st := c.in.State.Voice
	if (st.Step == StepVoice || st.Step == StepVoicePart) && c.in.Note != nil && c.in.Note.ID == st.Note {
		c.say(c.t.T("where.voice"))
		return true
	}
	return false
}

// load reads the voice note the step is about: the one just transcribed, the
// one a button names, or the one the dialog is confirming.
func (voice) load(ctx context.Context, l *loader) error {
	id, ev := l.tr.Note, l.in.Event
	if id == 0 && ev.Kind == bot.KindAction {
		id = voiceOf(ev.Action)
	}
	if id == 0 {
		id = l.in.State.Voice.Note
	}
	if id == 0 {
		return nil
	}
	n, err := l.r.VoiceNote(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("conversations: load voice note: %w", err)
	}
	l.in.Note = &n
	return nil
}

// voiceReceived answers a voice note as it arrives.
func (c voice) voiceReceived() {
	c.say(c.t.T("voice.received"))
}

// voiceReady offers a transcribed note's summary, or says why there is none.
func (c voice) voiceReady() {
	n := c.in.Note
	switch n.Status {
	case store.VoiceFailed:
		c.say(c.t.T("voice.failed." + n.Error))
		c.where()
		return
	case store.VoiceReady:
	default:
		return // dealt with already
	}
	note := *n
	if note.Kind == store.VoiceCheckin && !c.checkinTakesVoice() {
		// The check-in moved on (reviewed, or gone) while the note was
		// transcribed: keep what was said as a note instead.
		note.Kind = store.VoiceNote3x3
		c.w.note = &note
	}
	c.voiceStep(&note, StepVoice, 0)
	c.send(c.voiceCard(&note, ""))
}

// checkinTakesVoice reports whether there is a check-in whose answers a
// voice summary may still fill.
func (c voice) checkinTakesVoice() bool {
	r := c.in.Round
	return r != nil && r.PersonID == c.in.Person.ID && r.ReviewedAt.IsZero() &&
		(r.Status == store.StatusInProgress || r.Status == store.StatusSubmitted)
}

// voiceStep moves the dialog to a voice step about note n.
func (c voice) voiceStep(n *store.VoiceNote, step string, part int) {
	seq := c.in.State.Seq
	c.res.State = State{Flow: FlowVoice, Voice: VoiceState{Note: n.ID, Step: step, Part: part}}
	if n.Kind == store.VoiceCheckin {
		c.res.State.Flow, c.res.State.Checkin = FlowCheckin, CheckinState{RoundID: c.in.Round.ID}
		seq = max(seq, int(c.in.Round.Version))
	}
	c.res.State.Seq = seq + 1
}

func (c voice) voiceButton(n *store.VoiceNote, name, arg, label string, style bot.ButtonStyle) bot.Button {
	a := action{Name: name, ID: n.ID, Seq: c.res.State.Seq, Arg: arg}
	return bot.Button{Label: label, Value: a.value(), Style: style}
}

func (c voice) voiceCard(n *store.VoiceNote, chosen string) bot.Message {
	m := bot.Message{Title: c.t.T("voice.title." + string(n.Kind))}
	for _, p := range partsOf(n.Kind) {
		v := *p.text(&n.Summary)
		if v == "" {
			v = c.t.T("answer.none")
		}
		m.Fields = append(m.Fields, bot.Field{Label: partLabel(c.t, n.Kind, p), Value: v})
	}
	m.Text = c.t.T("voice.text", "Quote", quote(n.Transcript, 280))
	return c.withButtons(m, chosen,
		c.voiceButton(n, actVoiceConfirm, "", c.t.T("button.confirm"), bot.StylePrimary),
		c.voiceButton(n, actVoiceEdit, "", c.t.T("button.voice_edit"), bot.StyleDefault),
		c.voiceButton(n, actVoiceDiscard, "", c.t.T("button.discard"), bot.StyleDanger))
}

// quote shortens a transcript for a card.
func quote(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}

// voiceClick handles Confirm, Edit, a part to edit, and Discard.
func (c voice) voiceClick(a action) {
	n, st := c.in.Note, c.in.State
	switch {
	case n == nil || n.ID != a.ID:
		c.say(c.t.T("button.unknown"))
		return
	case st.Voice.Note != n.ID || st.Seq != a.Seq || n.Status != store.VoiceReady:
		c.say(c.t.T("button.used"))
		c.where()
		return
	}
	switch a.Name {
	case actVoiceConfirm:
		c.replaceClicked(c.voiceCard(n, c.t.T("button.confirm")))
		c.voiceConfirm()
	case actVoiceEdit:
		c.replaceClicked(c.voiceCard(n, c.t.T("button.voice_edit")))
		c.voiceStep(n, StepVoice, 0)
		var bs []bot.Button
		for i, p := range partsOf(n.Kind) {
			bs = append(bs, c.voiceButton(n, actVoicePart, strconv.Itoa(i), partLabel(c.t, n.Kind, p), bot.StyleDefault))
		}
		c.send(bot.Message{Text: c.t.T("voice.which_part"), Buttons: bs})
	case actVoicePart:
		i, err := strconv.Atoi(a.Arg)
		parts := partsOf(n.Kind)
		if err != nil || i < 0 || i >= len(parts) {
			c.say(c.t.T("button.unknown"))
			return
		}
		c.voiceStep(n, StepVoicePart, i)
		c.say(c.t.T("voice.ask_part", "Part", partLabel(c.t, n.Kind, parts[i]), "Now", *parts[i].text(&n.Summary)))
	case actVoiceDiscard:
		c.replaceClicked(c.voiceCard(n, c.t.T("button.discard")))
		c.voiceDiscard()
	default:
		c.say(c.t.T("button.unknown"))
	}
}

// voicePartText takes the new text of the part being edited.
func (c voice) voicePartText(text string) {
	n := *c.in.Note
	parts := partsOf(n.Kind)
	i := c.in.State.Voice.Part
	text = strings.TrimSpace(text)
	switch {
	case i >= len(parts):
		c.voiceStep(&n, StepVoice, 0)
	case text == "":
		c.say(c.t.T("answer.empty"))
		return
	case utf8.RuneCountInString(text) > MaxAnswer:
		c.say(c.t.T("voice.part_too_long", "Max", MaxAnswer))
		return
	default:
		*parts[i].text(&n.Summary) = text
		c.w.note = &n
	}
	c.voiceStep(&n, StepVoice, 0)
	c.send(c.voiceCard(&n, ""))
}

// voiceConfirm saves the summary where it belongs.
func (c voice) voiceConfirm() {
	n := *c.in.Note
	n.Status = store.VoiceConfirmed
	c.w.note = &n
	c.w.audit = append(c.w.audit, store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: "voice.confirm", Object: "voice:" + strconv.FormatInt(n.ID, 10),
	})
	if n.Kind == store.VoiceCheckin && c.checkinTakesVoice() {
		r := c.round()
		n.RoundID = r.ID
		for _, p := range checkinParts {
			if v := *p.text(&n.Summary); v != "" {
				setAnswer(r, p.key, questionText(c.t, store.Question{Key: p.key}), v)
			}
		}
		c.audit("checkin.answer", r, "voice:"+strconv.FormatInt(n.ID, 10))
		checkin{turn: c.turn}.resume() // the check-in carries on
		return
	}
	c.res.State = State{}
	mgr := c.in.Manager
	if mgr == nil {
		c.say(c.t.T("voice.saved"))
		return
	}
	mt := c.in.Texts.For(mgr.Locale)
	m := bot.Message{Title: mt.T("voice.note_title", "Name", c.in.Person.Name)}
	for _, p := range noteParts {
		if v := *p.text(&n.Summary); v != "" {
			m.Fields = append(m.Fields, bot.Field{Label: partLabel(mt, store.VoiceNote3x3, p), Value: v})
		}
	}
	c.res.Out = append(c.res.Out, to(mgr.ID, m))
	c.say(c.t.T("voice.sent", "Manager", mgr.Name))
}

// voiceDiscard throws a summary away; a check-in carries on where it was.
func (c voice) voiceDiscard() {
	n := *c.in.Note
	n.Status = store.VoiceDiscarded
	c.w.note = &n
	c.w.audit = append(c.w.audit, store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: "voice.discard", Object: "voice:" + strconv.FormatInt(n.ID, 10),
	})
	c.say(c.t.T("voice.discarded"))
	if n.Kind == store.VoiceCheckin && c.checkinTakesVoice() {
		checkin{turn: c.turn}.resume() // the check-in carries on
		return
	}
	c.res.State = State{}
}
