package conversations

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/perfbot/perfbot/bot"
)

// A flow is one conversation perfbot holds: the check-in, kudos, SBI
// feedback, feedback requests, broadcasts, voice notes, absences... It
// says what it owns and steps it; the router hands it only that. A flow is
// a type embedding *turn (the step in progress, and the few helpers every
// flow shares) and base (owning nothing until it says so), with a
// constructor registered in flows:
//
//	type kudos struct {
//		*turn
//		base
//	}
//
//	func (kudos) owns() owns     { return owns{actions: []string{actPraise}, states: []string{FlowPraiseNote}} }
//	func (c kudos) click(a action) { ... }
//
// That is all adding a flow takes.
type flow interface {
	owns() owns
	// click steps a button whose action the flow owns.
	click(a action)
	// text is offered typed text, flow after flow in registration order,
	// until one takes it (reports true).
	text(cmd command) bool
	// on steps an event the flow owns.
	on(e event)
	// stands reminds the person where the flow is, the dialog being in one
	// of its states, and reports whether it said anything.
	stands() bool
	// load reads, before the step, what the flow will look at, into l.in;
	// it is called on the flow with no turn, for every step.
	load(ctx context.Context, l *loader) error
}

// owns is what a flow takes.
type owns struct {
	// actions are the button actions it steps (action.Name), and rounds
	// those of them whose id is a round (read by Load as the viewer).
	actions, rounds []string
	// states are the State.Flow values it keeps the dialog in.
	states []string
	events []event
	// fallback takes the buttons no flow owns. One flow may: the
	// check-in, whose old buttons are the ones that linger.
	fallback bool
}

// actionsOf lists the actions of a flow's button table once each.
func actionsOf[F any](buttons map[buttonAt]F) []string {
	var names []string
	for b := range buttons {
		if !slices.Contains(names, b.name) {
			names = append(names, b.name)
		}
	}
	return names
}

// event is what a step runs for, other than a button or text.
type event int

const (
	evOpen      event = iota // a round was just opened (Input.Open)
	evNoteReady              // a voice note was transcribed (Input.NoteReady)
	evReturned               // an absence ended (Input.Returned)
	evGroup                  // anything said in a group chat
	evVoice                  // a voice note arrived
	evWeek                   // Monday morning: the "my week" card (Input.WeekDue)
)

// base is a flow that owns nothing; flows embed it.
type base struct{}

func (base) owns() owns        { return owns{} }
func (base) click(action)      {}
func (base) text(command) bool { return false }
func (base) on(event)          {}
func (base) stands() bool      { return false }

func (base) load(context.Context, *loader) error { return nil }

// flows are perfbot's flows, in the order typed text is offered to them:
// a command that would start one flow is, while another waits for an
// answer, that answer; so the flows that take text only in their own
// states, or only exact commands, come before the check-in, which takes
// whatever is left. It is built on first use, after the flows' button
// tables.
var flows = sync.OnceValue(func() *router {
	return newRouter(
		func(c *turn) flow { return broadcasts{turn: c} },
		func(c *turn) flow { return voice{turn: c} },
		func(c *turn) flow { return feedback{turn: c} },
		func(c *turn) flow { return sbi{turn: c} },
		func(c *turn) flow { return kudos{turn: c} },
		func(c *turn) flow { return requests{turn: c} },
		func(c *turn) flow { return reactions{turn: c} },
		func(c *turn) flow { return picks{turn: c} },
		func(c *turn) flow { return away{turn: c} },
		func(c *turn) flow { return dashboards{turn: c} },
		func(c *turn) flow { return myWeek{turn: c} },
		func(c *turn) flow { return reviews{turn: c} },
		func(c *turn) flow { return digests{turn: c} },
		func(c *turn) flow { return groups{turn: c} },
		func(c *turn) flow { return goals{turn: c} },
		func(c *turn) flow { return checkin{turn: c} },
	)
})

// router dispatches a step to the flow that owns it.
type router struct {
	all      []func(*turn) flow
	actions  map[string]func(*turn) flow
	states   map[string]func(*turn) flow
	events   map[event]func(*turn) flow
	fallback func(*turn) flow
	// rounds are the actions whose id is a round.
	rounds map[string]bool
}

// newRouter registers flows. Two flows owning one action, state or event
// is a programming error, found when the package loads.
func newRouter(fs ...func(*turn) flow) *router {
	r := &router{
		all: fs, actions: map[string]func(*turn) flow{},
		states: map[string]func(*turn) flow{}, events: map[event]func(*turn) flow{},
		rounds: map[string]bool{},
	}
	for _, f := range fs {
		o := f(nil).owns()
		for _, a := range o.actions {
			claim(r.actions, a, f, "action")
		}
		for _, a := range o.rounds {
			r.rounds[a] = true
		}
		for _, s := range o.states {
			claim(r.states, s, f, "state")
		}
		for _, e := range o.events {
			claim(r.events, e, f, "event")
		}
		if o.fallback {
			if r.fallback != nil {
				panic("conversations: two fallback flows")
			}
			r.fallback = f
		}
	}
	return r
}

func claim[K comparable](m map[K]func(*turn) flow, k K, f func(*turn) flow, what string) {
	if _, taken := m[k]; taken {
		panic(fmt.Sprintf("conversations: two flows own %s %v", what, k))
	}
	m[k] = f
}

// roundOf is the round action a names, when its id is one: the flows
// owning a say so, and the fallback's buttons all name rounds.
func (r *router) roundOf(a action) int64 {
	if r.rounds[a.Name] || r.actions[a.Name] == nil {
		return a.ID
	}
	return 0
}

// step runs in through the flow that owns it.
func (r *router) step(in Input) Result {
	if in.Lost && in.State == (State{}) {
		in.State = rebuild(in)
	}
	c := &turn{in: in, t: in.Texts.For(in.Person.Locale), res: Result{State: in.State}, router: r}
	switch e, ok := eventOf(in); {
	case ok:
		if f := r.events[e]; f != nil {
			f(c).on(e)
			break
		}
		c.unsupported()
	case in.Event.Kind == bot.KindAction:
		r.click(c)
	case in.Event.Kind == bot.KindMessage:
		r.text(c)
	default:
		c.unsupported()
	}
	c.res.Effects = c.w.effects(in)
	return c.res
}

// eventOf is the event in is, if it is no button and no text.
func eventOf(in Input) (event, bool) {
	switch {
	case in.Open:
		return evOpen, true
	case in.NoteReady:
		return evNoteReady, true
	case in.Returned:
		return evReturned, true
	case in.WeekDue:
		return evWeek, true
	case in.Event.Group:
		return evGroup, true
	case in.Event.Kind == bot.KindVoice:
		return evVoice, true
	}
	return 0, false
}

// click steps a button through the flow owning its action. A button names
// what it is about and the step it was offered at; one that no longer
// fits gets a polite reply and changes nothing.
func (r *router) click(c *turn) {
	a, ok := parseAction(c.in.Event.Action)
	if !ok {
		c.say(c.t.T("button.unknown"))
		c.where()
		return
	}
	f := r.actions[a.Name]
	if f == nil {
		f = r.fallback
	}
	f(c).click(a)
}

// text offers typed text to the flows in turn.
func (r *router) text(c *turn) {
	cmd := parseCommand(c.in.Event.Text)
	for _, f := range r.all {
		if f(c).text(cmd) {
			return
		}
	}
	c.unknown()
}

// where reminds the person what perfbot waits for, if anything: the flow
// owning the dialog's state says.
func (r *router) where(c *turn) {
	if f := r.states[c.in.State.Flow]; f != nil {
		f(c).stands()
	}
}
