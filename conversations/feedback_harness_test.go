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
// conversations.Wants asks for. Visibility is the store's business and is
// tested there and in the engine; here everyone sees every record, so the
// flows' own checks (only the recipient may react) are what is tested.
type office struct {
	t        *testing.T
	cat      *i18n.Catalog
	people   []bot.Person
	teams    map[int64]store.Team
	states   map[int64]conversations.State
	feedback []store.Feedback
	requests []store.FeedbackRequest
	rounds   map[int64]store.Round
	config   conversations.FeedbackConfig
	forms    bool
	given    map[int64]conversations.Given // set by a test; else counted
	inbox    map[int64][]conversations.Outbound
	last     conversations.Result
	channel  []conversations.Outbound
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
		states: map[int64]conversations.State{}, rounds: map[int64]store.Round{},
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

func other(me, a, b int64) int64 {
	if a == me {
		return b
	}
	return a
}

// step runs one event for person id the way the engine would.
func (o *office) step(id int64, ev bot.Event) conversations.Result {
	o.t.Helper()
	me := o.person(id)
	if ev.From.IsZero() {
		ev.From = bot.Identity{Platform: bot.Simulator, Tenant: "sim", UserID: "x"}
	}
	st := o.states[id]
	in := conversations.Input{
		Now: now, Event: ev, State: st, Person: me, Team: o.teams[me.TeamID], Texts: o.cat,
		Period: "2026-W48", Today: "2026-11-27", Forms: o.forms,
	}
	if me.ManagerID != 0 {
		in.Manager = o.personPtr(me.ManagerID)
	}
	if rid := conversations.RoundOf(ev.Action); ev.Kind == bot.KindAction && rid != 0 {
		if r, ok := o.rounds[rid]; ok {
			in.Round = &r
			if r.PersonID != id {
				in.Owner = o.personPtr(r.PersonID)
			}
		}
	}
	n := conversations.Wants(ev, st)
	fb := &in.Fb
	fb.Config = o.config
	if n.Feedback > 0 && int(n.Feedback) <= len(o.feedback) {
		f := o.feedback[n.Feedback-1]
		fb.Feedback = &f
		n.Peer = other(id, f.GiverID, f.RecipientID)
	}
	if n.Request > 0 && int(n.Request) <= len(o.requests) {
		r := o.requests[n.Request-1]
		fb.Request = &r
		if n.Peer == 0 {
			n.Peer = other(id, r.RequesterID, r.AskedID)
		}
	}
	if n.Peer != 0 {
		fb.Peer = o.personPtr(n.Peer)
	}
	fb.Teams = o.teams
	if len(n.Mentions) > 0 {
		fb.Mentioned = map[string][]bot.Person{}
		for _, tok := range n.Mentions {
			fb.Mentioned[tok] = conversations.Match(tok, ev.From, o.people)
		}
	}
	if n.Points {
		g, set := o.given[id]
		if !set {
			for _, f := range o.feedback {
				if f.GiverID == id {
					g.Month += f.Points
					g.Today += f.Points
				}
			}
		}
		fb.Given = g
	}
	if n.Leaderboard {
		fb.Leaders = []conversations.Leader{{Name: "Anna", Points: 5}, {Name: "Sam", Points: 2}}
	}
	o.loadDone(&in, n)
	res := conversations.Step(in)
	o.apply(id, &res)
	return res
}

// loadDone finds, as the engine does, the praise id gave on the round a
// Praise button names and id's open request to their manager about it.
func (o *office) loadDone(in *conversations.Input, n conversations.Needs) {
	r, id := in.Round, in.Person.ID
	if r == nil {
		return
	}
	for _, f := range o.feedback {
		if n.RoundPraise && f.Kind == store.FeedbackPraise && f.GiverID == id && f.RecipientID == r.PersonID && f.RoundID == r.ID {
			in.Fb.RoundPraise = &f
			break
		}
	}
	for _, q := range o.requests {
		if n.RoundRequest && in.Manager != nil && q.RequesterID == id && q.AskedID == in.Manager.ID && q.RoundID == r.ID && q.Open() {
			in.Fb.RoundRequest = &q
			break
		}
	}
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
func (officeWriter) Audit(context.Context, store.AuditEntry) error         { return nil }
func (officeWriter) CreateBroadcast(context.Context, *store.Broadcast, []int64) (bool, error) {
	return true, nil
}
func (officeWriter) Ack(context.Context, int64, int64, time.Time) (bool, error) { return true, nil }
