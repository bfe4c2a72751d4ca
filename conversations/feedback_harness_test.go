package conversations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// office is what the engine does between feedback steps, in memory: it
// keeps each person's state, the feedback and requests, and loads what
// conversations.wants asks for. Visibility is the store's business and is
// tested there and in the engine; here everyone sees every record, so the
// flows' own checks (only the recipient may react) are what is tested.
type office struct {
	t        *testing.T
	cat      *i18n.Catalog
	people   []bot.Person
	teams    map[int64]store.Team
	states   map[int64]conversations.State
	lost     map[int64]bool // whose state the dialog store lost
	feedback []store.Feedback
	requests []store.FeedbackRequest
	rounds   map[int64]store.Round
	config   conversations.FeedbackConfig
	forms    bool
	given    map[int64]conversations.Given // set by a test; else counted
	inbox    map[int64][]conversations.Outbound
	last     conversations.Result
	channel  []conversations.Outbound
	// The goal records (goal_harness_test.go) and every audit entry.
	goals  goalRecords
	audits []store.AuditEntry
}

const (
	idLi, idAnna, idSam, idAlexC, idAlexW, idZhang = 3, 7, 8, 9, 10, 11
)

func newOffice(t *testing.T) *office {
	cat, err := i18n.Load("en")
	require.NoError(t, err)
	sim := func(user string) []bot.Identity {
		return []bot.Identity{{Platform: bot.Simulator, Tenant: "sim", UserID: user}}
	}
	return &office{
		t: t, cat: cat,
		people: []bot.Person{
			{ID: idLi, Name: "Li Wei", Email: "li.wei@example.com", Locale: bot.LocaleZH, TeamID: 1, Roles: []bot.Role{bot.RoleManager}, Identities: sim("li.wei")},
			{ID: idAnna, Name: "Anna", Email: "anna@example.com", Locale: bot.LocaleEN, ManagerID: idLi, TeamID: 1, Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T1", UserID: "U0ANNA"}}},
			{ID: idSam, Name: "Sam", Email: "sam@example.com", Locale: bot.LocaleEN, ManagerID: idLi, TeamID: 2, Identities: sim("sam")},
			{ID: idAlexC, Name: "Alex Chen", Email: "alex.chen@example.com", Locale: bot.LocaleEN, Department: "Sales"},
			{ID: idAlexW, Name: "Alex Wong", Email: "alex.wong@example.com", Locale: bot.LocaleEN, Department: "Support"},
			{ID: idZhang, Name: "张三", Email: "zhangsan@example.com", Locale: bot.LocaleZH, ManagerID: idLi, TeamID: 1},
		},
		teams: map[int64]store.Team{
			1: {ID: 1, Name: "Platform", NotifyManager: true, PraiseFeed: true, Channel: bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: "sim"}, Channel: "platform"}},
			2: {ID: 2, Name: "Sales"},
		},
		states: map[int64]conversations.State{}, lost: map[int64]bool{}, rounds: map[int64]store.Round{},
		config: conversations.DefaultFeedbackConfig(),
		given:  map[int64]conversations.Given{}, inbox: map[int64][]conversations.Outbound{},
	}
}

func (o *office) person(id int64) bot.Person {
	for _, p := range o.people {
		if p.ID == id {
			return p
		}
	}
	o.t.Fatalf("no person %d", id)
	return bot.Person{}
}

func (o *office) personPtr(id int64) *bot.Person {
	for _, p := range o.people {
		if p.ID == id {
			return &p
		}
	}
	return nil
}

// step runs one event for person id the way the engine would: loading
// what it looks at through conversations.Load, from the office.
func (o *office) step(id int64, ev bot.Event) conversations.Result {
	o.t.Helper()
	me := o.person(id)
	if ev.From.IsZero() {
		ev.From = bot.Identity{Platform: bot.Simulator, Tenant: "sim", UserID: "x"}
	}
	r := mapReader{
		me: me, people: o.people, teams: o.teams, rounds: o.rounds, feedback: o.feedback, requests: o.requests,
		leaders:    []store.PointsRow{{PersonID: idAnna, Points: 5}, {PersonID: idSam, Points: 2}},
		objectives: o.goals.objectives, changes: o.goals.changes,
	}
	if g, set := o.given[id]; set {
		r.given = &g
	}
	in, err := conversations.Load(context.Background(), r, conversations.Trigger{
		Now: now, Event: ev, State: o.states[id], Lost: o.lost[id], Person: me, Location: time.UTC,
		Forms: o.forms, Feedback: o.config, Texts: o.cat,
	})
	require.NoError(o.t, err)
	res := conversations.Step(in)
	o.apply(id, &res)
	return res
}

// apply commits a result: records get ids (1-based positions), buttons
// get them, messages land in inboxes.
func (o *office) apply(id int64, res *conversations.Result) {
	require.NoError(o.t, res.Apply(context.Background(), officeWriter{o}))
	for _, out := range res.Out {
		switch {
		case out.Channel.IsChannel():
			o.channel = append(o.channel, out)
		case out.PersonID == 0:
			o.inbox[id] = append(o.inbox[id], out)
		default:
			o.inbox[out.PersonID] = append(o.inbox[out.PersonID], out)
		}
	}
	if res.State != o.states[id] {
		delete(o.lost, id) // written: the store has a state again
	}
	o.states[id] = res.State
	o.last = *res
}

func (o *office) say(id int64, text string) conversations.Result {
	o.t.Helper()
	return o.step(id, bot.Event{Kind: bot.KindMessage, Text: text})
}

// click taps the newest button labelled label in id's inbox.
func (o *office) click(id int64, label string) conversations.Result {
	o.t.Helper()
	box := o.inbox[id]
	for i := len(box) - 1; i >= 0; i-- {
		for _, b := range box[i].Message.Buttons {
			if b.Label == label {
				return o.step(id, bot.Event{Kind: bot.KindAction, Action: b.Value, Ref: "msg"})
			}
		}
	}
	require.FailNowf(o.t, "no button", "%q for %d in:\n%s", label, id, o.dumpInbox(id))
	return conversations.Result{}
}

func (o *office) dumpInbox(id int64) string {
	return dump(conversations.Result{Out: o.inbox[id]})
}

// lastTo is the newest message to person id.
func (o *office) lastTo(id int64) bot.Message {
	box := o.inbox[id]
	require.NotEmpty(o.t, box)
	return box[len(box)-1].Message
}

// officeWriter keeps the feedback and requests effects write in the office;
// the other records are the check-in tests' business.
type officeWriter struct{ o *office }

func (w officeWriter) SaveFeedback(_ context.Context, f *store.Feedback) error {
	o := w.o
	if f.ID == 0 {
		o.feedback = append(o.feedback, *f)
		f.ID = int64(len(o.feedback))
	}
	o.feedback[f.ID-1] = *f
	return nil
}

func (w officeWriter) SaveFeedbackRequest(_ context.Context, r *store.FeedbackRequest) error {
	o := w.o
	if r.ID == 0 {
		o.requests = append(o.requests, *r)
		r.ID = int64(len(o.requests))
	}
	o.requests[r.ID-1] = *r
	return nil
}

func (officeWriter) SaveRound(context.Context, *store.Round) error         { return nil }
func (officeWriter) SaveGoal(context.Context, *store.Goal) error           { return nil }
func (officeWriter) SaveVoiceNote(context.Context, *store.VoiceNote) error { return nil }
func (officeWriter) SavePerson(context.Context, *bot.Person) error         { return nil }
func (w officeWriter) Audit(_ context.Context, e store.AuditEntry) error {
	w.o.audits = append(w.o.audits, e)
	return nil
}
func (officeWriter) CreateBroadcast(context.Context, *store.Broadcast, []int64) (bool, error) {
	return true, nil
}
func (officeWriter) Ack(context.Context, int64, int64, time.Time) (bool, error) { return true, nil }
