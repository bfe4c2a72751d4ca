package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/store"
)

// Trigger is what a step runs for, known before anything is read: an
// inbound event, a round just opened, a voice note just transcribed, an
// absence just ended.
type Trigger struct {
	Now    time.Time
	Event  bot.Event
	State  State
	Person bot.Person
	// Location is the person's time zone.
	Location *time.Location
	// Opened names the period of a round just opened: prompt for it. Nudge,
	// with it, is the scheduler's Nudge-th reminder.
	Opened string
	Nudge  int
	// Note is a voice note just transcribed (or failed).
	Note     int64
	Returned bool // the person's absence ended
	// Forms says the person's platform can show a form.
	Forms    bool
	Feedback FeedbackConfig
	Texts    *i18n.Catalog
}

// Load reads through r what the step for tr looks at.
func Load(ctx context.Context, r Reader, tr Trigger) (Input, error) {
	ev, st := tr.Event, tr.State
	in := Input{
		Now: tr.Now, Event: ev, Open: tr.Opened != "", State: st, Person: tr.Person, Texts: tr.Texts,
		Period: period.Of(tr.Now, tr.Location), Today: tr.Now.In(tr.Location).Format(time.DateOnly),
		NoteReady: tr.Note != 0, Returned: tr.Returned, Nudge: tr.Nudge, Forms: tr.Forms,
	}
	if tr.Opened != "" {
		in.Period = tr.Opened
	}
	l := loader{r: r, in: &in, loc: tr.Location}
	p := tr.Person
	var err error
	if in.Manager, err = l.person(ctx, p.ManagerID); err != nil {
		return in, err
	}
	if p.TeamID != 0 {
		if in.Team, err = optional(r.Team(ctx, p.TeamID)); err != nil {
			return in, fmt.Errorf("conversations: load team: %w", err)
		}
	}
	if in.Goals, err = r.Goals(ctx); err != nil {
		return in, fmt.Errorf("conversations: load goals: %w", err)
	}
	if err := l.round(ctx); err != nil {
		return in, err
	}
	if err := l.note(ctx, tr.Note); err != nil {
		return in, err
	}
	if err := l.broadcast(ctx); err != nil {
		return in, err
	}
	if err := l.feedback(ctx, tr.Feedback); err != nil {
		return in, err
	}
	return in, nil
}

// loader fills one Input.
type loader struct {
	r   Reader
	in  *Input
	loc *time.Location
}

// optional turns store.ErrNotFound into the zero value and no error.
func optional[T any](v T, err error) (T, error) {
	if errors.Is(err, store.ErrNotFound) {
		var zero T
		return zero, nil
	}
	return v, err
}

// person reads person id; nil when id is 0 or there is none.
func (l *loader) person(ctx context.Context, id int64) (*bot.Person, error) {
	if id == 0 {
		return nil, nil
	}
	p, err := l.r.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("conversations: load person %d: %w", id, err)
	}
	return &p, nil
}

// round finds the round an event is about: the one its button names, the
// one the dialog is on while a check-in is under way, or this period's;
// and its owner and reviewer.
func (l *loader) round(ctx context.Context) error {
	in := l.in
	var (
		r   store.Round
		err error
	)
	switch id := RoundOf(in.Event.Action); {
	case in.Event.Kind == bot.KindAction && id != 0:
		r, err = l.r.Round(ctx, id)
	case in.State.Active() && !in.Open:
		r, err = l.r.Round(ctx, in.State.RoundID)
	default:
		r, err = l.r.RoundByPeriod(ctx, in.Period)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("conversations: load round: %w", err)
	}
	in.Round = &r
	if r.PersonID != in.Person.ID {
		if in.Owner, err = l.person(ctx, r.PersonID); err != nil {
			return err
		}
	}
	in.Reviewer, err = l.person(ctx, r.ReviewedBy)
	return err
}

// note finds the voice note a step is about: the one just transcribed, the
// one a button names, or the one the dialog is confirming.
func (l *loader) note(ctx context.Context, id int64) error {
	ev := l.in.Event
	if id == 0 && ev.Kind == bot.KindAction {
		id = VoiceOf(ev.Action)
	}
	if id == 0 {
		id = l.in.State.Voice
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

// broadcast looks up what a step about broadcasts needs: the people a
// broadcast would reach, or a broadcast's status, for people with the hr
// role (for anyone else the step refuses, and nothing is read); and
// whether the broadcast an acknowledgment names exists, for anyone.
func (l *loader) broadcast(ctx context.Context) error {
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
	q, ok := BroadcastWants(in.Event, in.State)
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

// feedback reads what the feedback flows of a step need (see Wants).
func (l *loader) feedback(ctx context.Context, cfg FeedbackConfig) error {
	in := l.in
	n := Wants(in.Event, in.State)
	me := in.Person.ID
	fb := &in.Fb
	fb.Config = cfg
	if n.Feedback != 0 {
		switch f, err := l.r.Feedback(ctx, n.Feedback); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load feedback: %w", err)
		default:
			fb.Feedback = &f
			n.Peer = other(me, f.GiverID, f.RecipientID)
		}
	}
	if n.Request != 0 {
		switch r, err := l.r.FeedbackRequest(ctx, n.Request); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return fmt.Errorf("conversations: load feedback request: %w", err)
		default:
			fb.Request = &r
			if n.Peer == 0 {
				n.Peer = other(me, r.RequesterID, r.AskedID)
			}
		}
	}
	var err error
	if fb.Peer, err = l.person(ctx, n.Peer); err != nil {
		return err
	}
	if len(n.Mentions) > 0 {
		if err := l.mentions(ctx, n.Mentions); err != nil {
			return err
		}
	}
	for _, p := range []*bot.Person{fb.Peer, in.Owner} {
		if p == nil {
			continue
		}
		if err := l.team(ctx, p.TeamID); err != nil {
			return err
		}
	}
	if n.Points {
		if err := l.given(ctx); err != nil {
			return err
		}
	}
	if n.Leaderboard {
		if err := l.leaders(ctx); err != nil {
			return err
		}
	}
	return l.roundDone(ctx, n)
}

// other is the side of a pair of people that is not me (the giver when
// both are me, which the flows refuse anyway).
func other(me, a, b int64) int64 {
	if a == me {
		return b
	}
	return a
}

// mentions resolves each token to the people it may mean, and loads the
// teams of those it means for sure.
func (l *loader) mentions(ctx context.Context, tokens []string) error {
	people, err := l.r.People(ctx)
	if err != nil {
		return fmt.Errorf("conversations: list people for mentions: %w", err)
	}
	fb := &l.in.Fb
	fb.Mentioned = make(map[string][]bot.Person, len(tokens))
	for _, tok := range tokens {
		found := Match(tok, l.in.Event.From, people)
		fb.Mentioned[tok] = found
		if len(found) == 1 {
			if err := l.team(ctx, found[0].TeamID); err != nil {
				return err
			}
		}
	}
	return nil
}

// team adds team id to the teams the feedback flows may post to.
func (l *loader) team(ctx context.Context, id int64) error {
	fb := &l.in.Fb
	if id == 0 {
		return nil
	}
	if _, ok := fb.Teams[id]; ok {
		return nil
	}
	t, err := l.r.Team(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("conversations: load team %d: %w", id, err)
	}
	if fb.Teams == nil {
		fb.Teams = map[int64]store.Team{}
	}
	fb.Teams[id] = t
	return nil
}

// monthAndDay are the starts of the person's current month and day, and
// the next month, in their time zone.
func (l *loader) monthAndDay() (month, next, day time.Time) {
	now := l.in.Now.In(l.loc)
	month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return month, month.AddDate(0, 1, 0), day
}

// given is the praise points the person gave this month and today, less
// what this very event spent on an earlier run of its step (see
// EventKey): that run is repeated as if it had not happened.
func (l *loader) given(ctx context.Context) error {
	month, next, day := l.monthAndDay()
	g := &l.in.Fb.Given
	var err error
	if g.Month, err = l.r.PointsGiven(ctx, month, next); err != nil {
		return fmt.Errorf("conversations: points given: %w", err)
	}
	if g.Today, err = l.r.PointsGiven(ctx, day, day.AddDate(0, 0, 1)); err != nil {
		return fmt.Errorf("conversations: points given today: %w", err)
	}
	ev := l.in.Event
	if ev.ID == "" {
		return nil
	}
	me := l.in.Person.ID
	fs, err := l.r.Feedbacks(ctx, store.FeedbackFilter{GiverID: me, Kind: store.FeedbackPraise, From: month})
	if err != nil {
		return fmt.Errorf("conversations: load praise given: %w", err)
	}
	for _, f := range fs {
		if !ownKey(ev, f.DedupKey) {
			continue
		}
		g.Month = max(g.Month-f.Points, 0)
		if !f.CreatedAt.Before(day) {
			g.Today = max(g.Today-f.Points, 0)
		}
	}
	return nil
}

// leaderboardSize is how many the leaderboard shows.
const leaderboardSize = 10

// leaders is this month's leaderboard with names.
func (l *loader) leaders(ctx context.Context) error {
	month, next, _ := l.monthAndDay()
	rows, err := l.r.Leaderboard(ctx, month, next, leaderboardSize)
	if err != nil {
		return fmt.Errorf("conversations: leaderboard: %w", err)
	}
	out := make([]Leader, 0, len(rows))
	for _, row := range rows {
		who, err := l.person(ctx, row.PersonID)
		if err != nil {
			return err
		}
		if who != nil {
			out = append(out, Leader{Name: who.Name, Points: row.Points})
		}
	}
	l.in.Fb.Leaders = out
	return nil
}

// roundDone reads, for a Praise or Ask my manager button under a
// check-in, what the person already did about that check-in: the praise
// they gave its owner, or the request to their manager still open. A
// button tapped twice then changes nothing. What this very event saved on
// an earlier run does not count.
func (l *loader) roundDone(ctx context.Context, n Needs) error {
	in := l.in
	r, me := in.Round, in.Person.ID
	if r == nil {
		return nil
	}
	if n.RoundPraise && r.PersonID != me {
		fs, err := l.r.Feedbacks(ctx, store.FeedbackFilter{
			GiverID: me, RecipientID: r.PersonID, Kind: store.FeedbackPraise, RoundID: r.ID,
		})
		if err != nil {
			return fmt.Errorf("conversations: load praise of round %d: %w", r.ID, err)
		}
		for i := range fs {
			if !ownKey(in.Event, fs[i].DedupKey) {
				in.Fb.RoundPraise = &fs[i]
				break
			}
		}
	}
	if n.RoundRequest && in.Manager != nil {
		rs, err := l.r.FeedbackRequests(ctx, store.RequestFilter{
			RequesterID: me, AskedID: in.Manager.ID, RoundID: r.ID, OpenOnly: true,
		})
		if err != nil {
			return fmt.Errorf("conversations: load requests about round %d: %w", r.ID, err)
		}
		for i := range rs {
			if !ownKey(in.Event, rs[i].DedupKey) {
				in.Fb.RoundRequest = &rs[i]
				break
			}
		}
	}
	return nil
}

// EventKey is the start of the keys of the records the step for ev
// creates (see Keyed); "" when ev has no id, as the scheduler's events.
func EventKey(ev bot.Event) string {
	if ev.ID == "" {
		return ""
	}
	return "event:" + ev.From.String() + ":" + ev.ID + ":"
}

// ownKey reports whether key names something ev saved: on an earlier run
// of its step, whose dialog state lost a race.
func ownKey(ev bot.Event, key string) bool {
	k := EventKey(ev)
	return k != "" && strings.HasPrefix(key, k)
}
