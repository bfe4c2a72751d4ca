package conversations

import (
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// Input is everything a step may look at, read by Load (or built by a
// test).
type Input struct {
	Now   time.Time
	Event bot.Event
	// Open says a round was just opened for the person: prompt them. Event
	// is then the event that asked for it, if any.
	Open bool
	// Nudge, with Open, says the prompt is the scheduler's Nudge-th
	// reminder of a round not yet submitted.
	Nudge int
	State State
	// Lost says no dialog state was found for the person (lost with Redis,
	// or expired): the step rebuilds what the records say (see rebuild).
	Lost bool

	Person  bot.Person
	Manager *bot.Person // the person's manager, if any
	Team    store.Team  // zero when the person is in no team
	Goals   []store.Goal

	// Round is the round the event is about: the one a button names, the one
	// the dialog is on, or the person's round for the current period. Nil when
	// there is none, or the person may not see it.
	Round *store.Round
	// Owner is the person Round belongs to, when that is not Person (a
	// manager reviewing).
	Owner *bot.Person
	// Reviewer is who marked Round reviewed, if anyone did.
	Reviewer *bot.Person
	// Period is the person's current period, for rounds opened on request,
	// and Today their current day (YYYY-MM-DD), both in their time zone.
	Period string
	Today  string
	// Returned says the person's absence (Person.AwayUntil) ended today.
	Returned bool
	// WeekDue says it is the person's Monday morning: send the "my week"
	// card, if anything is due.
	WeekDue bool
	// Note is the voice note the event or the dialog is about, read as
	// Person; NoteReady says it has just been transcribed (or has failed),
	// so its summary is to be offered.
	Note      *store.VoiceNote
	NoteReady bool
	// Forms says the person's platform can show a form with every question
	// at once.
	Forms bool
	// Broadcast is what Load looked up for broadcastWants, for
	// people with the hr role; nil otherwise.
	Broadcast *BroadcastLookup
	// Acked is the broadcast an acknowledgment button names; nil when
	// there is none.
	Acked *store.Broadcast

	// SignInLink is a fresh one-time link to the person's dashboard, minted
	// only when they asked for it; "" when the dashboard is off.
	SignInLink string

	// The feedback flows' records, loaded as wants says (feedback.go).
	Fb FeedbackInput
	// The goal flow's records, loaded as goalWants says (goal.go).
	Goal GoalInput
	// Week is what "my week" looks at, loaded only when it is asked for
	// (myweek.go); nil otherwise.
	Week *WeekInput

	Texts *i18n.Catalog
}

// Result is what a step decided: the new dialog State, the writes to make
// (Effects, in order, all in one transaction) and the messages to send once
// they are made.
type Result struct {
	State   State
	Effects []Effect
	Out     []Outbound
	// OpenPeriod asks the caller to open the person's round for this period
	// and run the step again with it; the step's effects and messages are
	// then to be dropped.
	OpenPeriod string
	// RemindTeam asks the caller, after the effects and messages, to remind
	// the person's reports who have not submitted their check-in for this
	// period (a manager tapped "remind them" on a deadline digest).
	RemindTeam string
}

// Outbound is a message and who it is for.
type Outbound struct {
	// PersonID is the recipient; 0 means whoever sent the event.
	PersonID int64
	// Channel, when set, is the recipient instead of a person.
	Channel bot.Address
	Message bot.Message
}

// reply is a message back to the sender.
func reply(m bot.Message) Outbound { return Outbound{Message: m} }

func to(personID int64, m bot.Message) Outbound { return Outbound{PersonID: personID, Message: m} }
