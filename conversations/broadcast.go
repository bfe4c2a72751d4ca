package conversations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// HR broadcasts in chat. A person with the hr role types
//
//	broadcast everyone: Review cycle opens Monday
//	broadcast team Platform, dept Sales, role manager ack: Please read the new policy
//	广播 所有人 确认：下周一开始绩效评估
//
// and gets a review card (audience, recipient count, text, read
// confirmation) with Send and Cancel. The draft waits in the dialog state;
// Send asks the caller to create the broadcast (a CreateBroadcast effect), which the
// Broadcaster then sends. "broadcast status [N]" reports how one went.
// Anyone else is refused, and the attempt audited.

// Flow and step of a broadcast being reviewed; State.Draft keeps the command.
const (
	FlowBroadcast       = "broadcast"
	StepBroadcastReview = "broadcast_review"
)

// Broadcast button actions. ack's id is the broadcast; the others' is 0,
// their draft being in the dialog state.
const (
	actAck           = "ack"
	actBroadcastSend = "bcsend"
	actBroadcastStop = "bcstop"
)

// broadcasts is HR's broadcasts in chat, and everyone's acknowledgment.
type broadcasts struct {
	*turn
	base
}

func (broadcasts) owns() owns {
	return owns{actions: []string{actAck, actBroadcastSend, actBroadcastStop}, states: []string{FlowBroadcast}}
}

func (c broadcasts) click(a action) { c.broadcastClick(a) }

// text takes a broadcast command, unless an answer is expected: then
// "广播系统上线了" is that answer.
func (c broadcasts) text(command) bool {
	b, ok := parseBroadcast(c.in.Event.Text)
	if !ok || c.expecting() {
		return false
	}
	c.broadcast(b)
	return true
}

// load looks up what a step about broadcasts needs: the people a
// broadcast would reach, or a broadcast's status, for people with the hr
// role (for anyone else the step refuses, and nothing is read); and
// whether the broadcast an acknowledgment names exists, for anyone.
func (broadcasts) load(ctx context.Context, l *loader) error {
	in := l.in
	if a, ok := parseAction(in.Event.Action); ok && in.Event.Kind == bot.KindAction && a.Name == actAck {
		b, err := l.r.Broadcast(ctx, a.ID)
		switch {
		case err == nil:
			in.Acked = &b
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("conversations: load broadcast: %w", err)
		}
		return nil
	}
	if !in.Person.Has(bot.RoleHR) {
		return nil
	}
	q, ok := broadcastWants(in.Event, in.State)
	if !ok {
		return nil
	}
	look := &BroadcastLookup{}
	if q.Audience != nil {
		var err error
		if look.Recipients, look.Missing, err = l.r.Audience(ctx, *q.Audience); err != nil {
			return fmt.Errorf("conversations: broadcast audience: %w", err)
		}
	}
	if q.Status {
		id := q.StatusID
		if id == 0 {
			newest, err := optional(l.r.NewestBroadcast(ctx))
			if err != nil {
				return fmt.Errorf("conversations: broadcasts: %w", err)
			}
			id = newest.ID
		}
		if id != 0 {
			s, err := l.r.BroadcastStatus(ctx, id)
			switch {
			case err == nil:
				look.Status = &s
			case !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("conversations: broadcast status: %w", err)
			}
		}
	}
	in.Broadcast = look
	return nil
}

// MaxBroadcast is the longest broadcast text, in characters: what every
// platform shows in one message.
const MaxBroadcast = 2000

// DefaultRemindAfter is when people who have not confirmed reading a
// broadcast get their reminder.
const DefaultRemindAfter = 48 * time.Hour

// maxFailuresShown bounds the failures listed in chat; the CLI lists all.
const maxFailuresShown = 5

// NewBroadcast is a broadcast to create and its recipients.
type NewBroadcast struct {
	Broadcast  store.Broadcast
	Recipients []int64
}

// broadcastQuery is what a step about broadcasts needs looked up first.
type broadcastQuery struct {
	// Audience, when set, is to be resolved to people.
	Audience *store.Audience
	// Status asks for broadcast StatusID's status (0: the newest).
	Status   bool
	StatusID int64
}

// BroadcastLookup is what the caller found for a broadcastQuery.
type BroadcastLookup struct {
	Recipients []int64
	Missing    []string // audience items that matched nobody
	// Status is the broadcast asked about; nil when there is none.
	Status *store.BroadcastStatus
}

// broadcastWants says what a step for ev in state st needs looked up, if
// anything: the people of a broadcast typed or being sent, or a status.
// The caller looks it up only for people with the hr role.
func broadcastWants(ev bot.Event, st State) (broadcastQuery, bool) {
	text := ev.Text
	if ev.Kind == bot.KindAction {
		a, ok := parseAction(ev.Action)
		if !ok || a.Name != actBroadcastSend && a.Name != actBroadcastStop || st.Flow != FlowBroadcast {
			return broadcastQuery{}, false
		}
		text = st.Broadcast.Text
	} else if ev.Kind != bot.KindMessage {
		return broadcastQuery{}, false
	}
	cmd, ok := parseBroadcast(text)
	switch {
	case !ok:
		return broadcastQuery{}, false
	case cmd.kind == bcStatus:
		return broadcastQuery{Status: true, StatusID: cmd.id}, true
	case cmd.kind == bcSend && cmd.err == nil:
		return broadcastQuery{Audience: &cmd.audience}, true
	}
	return broadcastQuery{}, false
}

// BroadcastMessage is what a recipient of b reads in locale: the
// announcement, or the reminder to read it, saying who sent it (author,
// the name of b's author; "" for one sent from the command line, by HR).
// Pure, so every sender renders it alike.
func BroadcastMessage(cat *i18n.Catalog, b store.Broadcast, author string, kind store.BroadcastKind, locale string) bot.Message {
	t := cat.For(locale)
	if author == "" {
		author = t.T("broadcast.from_hr")
	}
	author = bot.Neutralize(author)
	m := bot.Message{Title: t.T("broadcast.title", "Name", author), Text: bot.Neutralize(b.Text)}
	if kind == store.BroadcastReminder {
		m.Title = t.T("broadcast.reminder_title", "Name", author)
		m.Text = t.T("broadcast.reminder_intro") + "\n\n" + m.Text
	}
	if b.Ack {
		m.Buttons = []bot.Button{{Label: t.T("broadcast.ack_button"), Style: bot.StylePrimary,
			Value: action{Name: actAck, ID: b.ID}.value()}}
	}
	return m
}

type bcKind int

const (
	bcUsage bcKind = iota
	bcStatus
	bcSend
)

// broadcastCmd is a typed broadcast command. err is why a send could not
// be read.
type broadcastCmd struct {
	kind     bcKind
	id       int64 // of bcStatus; 0 for the newest
	audience store.Audience
	ack      bool
	text     string
	err      error
}

var (
	errNoColon = errors.New("no colon")
	errNoText  = errors.New("no text")
	errTooLong = errors.New("too long")
)

var (
	broadcastWords = []string{"broadcast", "广播"}
	statusWords    = []string{"status", "状态", "进度"}
	ackWords       = []string{"ack", "需确认", "确认"}
)

// parseBroadcast recognises a broadcast command; ok is false for any other
// text.
func parseBroadcast(text string) (broadcastCmd, bool) {
	t := strings.TrimLeft(strings.TrimSpace(text), "/")
	rest, ok := cutWord(t, broadcastWords)
	if !ok {
		return broadcastCmd{}, false
	}
	head := strings.TrimSpace(rest)
	if head == "" {
		return broadcastCmd{kind: bcUsage}, true
	}
	if arg, ok := cutWord(strings.TrimSpace(toHalfWidth(head)), statusWords); ok {
		arg = strings.TrimPrefix(strings.TrimSpace(arg), "#")
		if arg == "" {
			return broadcastCmd{kind: bcStatus}, true
		}
		if id, err := strconv.ParseInt(arg, 10, 64); err == nil && id > 0 {
			return broadcastCmd{kind: bcStatus, id: id}, true
		}
	}
	cmd := broadcastCmd{kind: bcSend}
	i := strings.IndexAny(rest, ":：")
	if i < 0 {
		cmd.err = errNoColon
		return cmd, true
	}
	_, size := utf8.DecodeRuneInString(rest[i:])
	header := strings.TrimSpace(toHalfWidth(rest[:i]))
	cmd.text = strings.TrimSpace(rest[i+size:])
	for _, w := range ackWords {
		if h, ok := strings.CutSuffix(header, w); ok && (h == "" || w[0] >= 0x80 || strings.ContainsAny(h[len(h)-1:], " ,")) {
			header, cmd.ack = strings.TrimRight(h, " ,"), true
			break
		}
	}
	if cmd.audience, cmd.err = audience.Parse(header); cmd.err != nil {
		return cmd, true
	}
	switch n := utf8.RuneCountInString(cmd.text); {
	case n == 0:
		cmd.err = errNoText
	case n > MaxBroadcast:
		cmd.err = errTooLong
	}
	return cmd, true
}

// cutWord cuts one of words (in any case) from the start of s, when what
// follows is not more of an ASCII word ("broadcasting" is not "broadcast").
func cutWord(s string, words []string) (string, bool) {
	lower := strings.ToLower(s)
	for _, w := range words {
		if !strings.HasPrefix(lower, w) || len(lower) != len(s) {
			continue
		}
		rest := s[len(w):]
		if w[0] < 0x80 && rest != "" && !strings.ContainsAny(rest[:1], " :：\t\n") && rest[0] < 0x80 {
			continue
		}
		return rest, true
	}
	return "", false
}

// broadcast handles a typed broadcast command.
func (c broadcasts) broadcast(cmd broadcastCmd) {
	if !c.in.Person.Has(bot.RoleHR) {
		c.refuseBroadcast()
		return
	}
	switch cmd.kind {
	case bcUsage:
		c.say(c.t.T("broadcast.usage"))
	case bcStatus:
		c.broadcastStatus(cmd.id)
	default:
		if cmd.err != nil {
			c.say(c.broadcastProblem(cmd))
			return
		}
		c.reviewBroadcast(cmd)
	}
}

// refuseBroadcast tells someone without the hr role they may not, and
// records that they tried.
func (c broadcasts) refuseBroadcast() {
	c.say(c.t.T("broadcast.refused"))
	detail := c.in.Event.Text
	if c.in.Event.Kind == bot.KindAction {
		detail = c.in.Event.Action
	}
	if r := []rune(detail); len(r) > 200 {
		detail = string(r[:200]) + "…"
	}
	c.w.audit = append(c.w.audit, c.personAudit("broadcast.refused", detail))
}

// broadcastProblem explains why a broadcast command could not be read.
func (c broadcasts) broadcastProblem(cmd broadcastCmd) string {
	var (
		item *audience.BadItemError
		role *audience.BadRoleError
	)
	switch err := cmd.err; {
	case errors.As(err, &item):
		return c.t.T("broadcast.bad_item", "Item", bot.Neutralize(item.Item))
	case errors.As(err, &role):
		return c.t.T("broadcast.bad_role", "Role", bot.Neutralize(role.Role))
	case errors.Is(err, audience.ErrEmpty), errors.Is(err, errNoColon):
		return c.t.T("broadcast.no_audience")
	case errors.Is(err, errNoText):
		return c.t.T("broadcast.no_text")
	case errors.Is(err, errTooLong):
		return c.t.T("broadcast.too_long", "N", utf8.RuneCountInString(cmd.text), "Max", MaxBroadcast)
	}
	return c.t.T("broadcast.usage")
}

// reviewBroadcast shows what would be sent, to whom, with Send and Cancel.
func (c broadcasts) reviewBroadcast(cmd broadcastCmd) {
	look := c.in.Broadcast
	if look == nil || len(look.Recipients) == 0 {
		var missing []string
		if look != nil {
			missing = look.Missing
		}
		c.say(c.t.T("broadcast.nobody", "Missing", bot.Neutralize(strings.Join(missing, ", "))))
		return
	}
	seq := c.in.State.Seq + 1
	card := c.broadcastCard(cmd, look)
	card.Buttons = []bot.Button{
		{Label: c.t.T("broadcast.button.send"), Value: action{Name: actBroadcastSend, Seq: seq}.value(), Style: bot.StylePrimary},
		{Label: c.t.T("broadcast.button.cancel"), Value: action{Name: actBroadcastStop, Seq: seq}.value()},
	}
	// A check-in under way keeps its answers in the round; "checkin"
	// resumes it after the broadcast.
	c.res.State = State{Flow: FlowBroadcast, Seq: seq, Broadcast: BroadcastState{Text: c.in.Event.Text}}
	c.send(card)
}

// broadcastCard shows a broadcast being reviewed, without buttons.
func (c broadcasts) broadcastCard(cmd broadcastCmd, look *BroadcastLookup) bot.Message {
	ack := c.t.T("broadcast.ack_off")
	if cmd.ack {
		ack = c.t.T("broadcast.ack_on", "Hours", int(DefaultRemindAfter.Hours()))
	}
	fields := []bot.Field{
		{Label: c.t.T("broadcast.field.audience"), Value: bot.Neutralize(audienceText(c.t, cmd.audience))},
		{Label: c.t.T("broadcast.field.recipients"), Value: c.t.T("broadcast.recipients", "N", len(look.Recipients))},
	}
	if len(look.Missing) > 0 {
		fields = append(fields, bot.Field{Label: c.t.T("broadcast.field.missing"), Value: bot.Neutralize(strings.Join(look.Missing, ", "))})
	}
	fields = append(fields, bot.Field{Label: c.t.T("broadcast.field.ack"), Value: ack})
	return bot.Message{Title: c.t.T("broadcast.review_title"), Text: bot.Neutralize(cmd.text), Fields: fields}
}

// broadcastClick handles the acknowledgment button and the review's Send
// and Cancel.
func (c broadcasts) broadcastClick(a action) {
	if a.Name == actAck {
		if c.in.Acked == nil {
			c.say(c.t.T("broadcast.ack_missing"))
			return
		}
		c.w.ack = a.ID
		c.say(c.t.T("broadcast.acked"))
		return
	}
	if !c.in.Person.Has(bot.RoleHR) {
		c.refuseBroadcast()
		return
	}
	st := c.in.State
	cmd, ok := parseBroadcast(st.Broadcast.Text)
	if st.Flow != FlowBroadcast || st.Seq != a.Seq || !ok || cmd.kind != bcSend || cmd.err != nil {
		c.say(c.t.T("button.used"))
		return
	}
	c.res.State = State{}
	look := c.in.Broadcast
	if a.Name == actBroadcastStop || look == nil || len(look.Recipients) == 0 {
		if look != nil {
			c.replaceClicked(c.broadcastCard(cmd, look))
		}
		if a.Name == actBroadcastStop {
			c.say(c.t.T("broadcast.cancelled"))
		} else {
			c.say(c.t.T("broadcast.nobody", "Missing", ""))
		}
		return
	}
	b := store.Broadcast{AuthorID: c.in.Person.ID, Text: cmd.text, Ack: cmd.ack, Audience: cmd.audience}
	if cmd.ack {
		b.RemindAfter = DefaultRemindAfter
	}
	if ev := c.in.Event; ev.ID != "" {
		// The platform's event id makes a retried click create nothing more.
		b.Key = fmt.Sprintf("chat:%d:%s:%s", c.in.Person.ID, ev.From, ev.ID)
	}
	c.w.broadcast = &NewBroadcast{Broadcast: b, Recipients: look.Recipients}
	c.replaceClicked(c.broadcastCard(cmd, look))
	c.say(c.t.T("broadcast.sending", "N", len(look.Recipients)))
}

// broadcastStatus reports how a broadcast went.
func (c broadcasts) broadcastStatus(id int64) {
	look := c.in.Broadcast
	if look == nil || look.Status == nil {
		if id == 0 {
			c.say(c.t.T("broadcast.status.none"))
		} else {
			c.say(c.t.T("broadcast.status.not_found", "ID", id))
		}
		return
	}
	s := look.Status
	text := c.t.T("broadcast.status.text", "Sent", s.Sent, "Total", s.Total, "Failed", s.Failed, "Pending", s.Pending)
	if s.Broadcast.Ack {
		text += "\n" + c.t.T("broadcast.status.read", "Acked", s.Acked, "Sent", s.Sent,
			"Rate", fmt.Sprintf("%.1f%%", 100*s.ReadRate()), "Reminded", s.Reminded)
	}
	if len(s.Failures) > 0 {
		text += "\n" + c.t.T("broadcast.status.failures")
		for _, f := range s.Failures[:min(len(s.Failures), maxFailuresShown)] {
			text += "\n· " + bot.Neutralize(f.Name) + ": " + bot.Neutralize(f.Reason)
		}
		if n := len(s.Failures) - maxFailuresShown; n > 0 {
			text += "\n" + c.t.T("broadcast.status.more", "N", n, "ID", s.Broadcast.ID)
		}
	}
	excerpt := []rune(s.Broadcast.Text)
	if len(excerpt) > 80 {
		excerpt = append(excerpt[:80], '…')
	}
	c.send(bot.Message{
		Title:  c.t.T("broadcast.status.title", "ID", s.Broadcast.ID, "Date", s.Broadcast.CreatedAt.Format(time.DateOnly)),
		Text:   text,
		Fields: []bot.Field{{Label: c.t.T("broadcast.field.text"), Value: bot.Neutralize(string(excerpt))}},
	})
}

// audienceText says who a broadcast is for, in the reader's language.
func audienceText(t i18n.Texts, a store.Audience) string {
	var parts []string
	if a.Everyone {
		parts = append(parts, t.T("broadcast.audience.everyone"))
	}
	for _, v := range a.Teams {
		parts = append(parts, t.T("broadcast.audience.team", "Name", v))
	}
	for _, v := range a.Departments {
		parts = append(parts, t.T("broadcast.audience.dept", "Name", v))
	}
	for _, v := range a.Roles {
		parts = append(parts, t.T("broadcast.audience.role", "Name", string(v)))
	}
	parts = append(parts, a.Emails...)
	return strings.Join(parts, t.T("broadcast.audience.sep"))
}
