package dashboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// The weekly digest: on Monday, in each manager's and HR person's own
// hours, five numbers against the week before, the warnings, and the
// participation chart as a PNG, with a button for the dashboard. Each is
// sent once per person and week under a delivery key, however many
// replicas run, and recorded for perfbot schedule log.

// DigestKind is the delivery kind of the weekly digest.
const DigestKind = "weekly-digest"

// ActDashboard is the action of the digest's dashboard button: the chat
// flow answers it with a sign-in link.
const ActDashboard = "dashboard"

// DigestSender sends a person a message after an image
// (engine.SendImage).
type DigestSender interface {
	SendImage(ctx context.Context, p bot.Person, m bot.Message, img bot.Image) error
}

// DigestStore is what the digest job reads and records, besides the
// dashboard's Store.
type DigestStore interface {
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
	store.DeliveryStore
}

// DigestOptions configure the weekly digest job.
type DigestOptions struct {
	Store  DigestStore
	Sender DigestSender
	// Due is when person p's digest for week (ISO, in their time zone) may
	// go out: Monday's first moment in their hours on a working day
	// (scheduler.Planner.KeepToHours).
	Due func(p bot.Person, week string) time.Time
	// Button is the dashboard button's value, as the chat flows read it.
	Button string
}

// DigestJob runs the weekly digest every interval.
func (h *Handler) DigestJob(o DigestOptions, every time.Duration) bot.Job {
	return bot.Job{Name: DigestKind, Every: every, Run: func(ctx context.Context) error {
		_, err := h.SendDigests(ctx, o)
		return err
	}}
}

// SendDigests sends every digest due now and not sent yet, and returns how
// many it sent. A failure for one person is recorded for them and does not
// stop the others.
func (h *Handler) SendDigests(ctx context.Context, o DigestOptions) (int, error) {
	people, err := o.Store.People(ctx, store.PeopleFilter{})
	if err != nil {
		return 0, fmt.Errorf("dashboard: digests: %w", err)
	}
	teams, err := h.store.Teams(ctx)
	if err != nil {
		return 0, fmt.Errorf("dashboard: digests: %w", err)
	}
	optedOut := map[int64]bool{}
	for _, t := range teams {
		optedOut[t.ID] = t.Rules.NoWeeklyDigest
	}
	now := h.now()
	sent := 0
	var errs []error
	for _, p := range people {
		if !p.Has(bot.RoleManager) && !p.Has(bot.RoleHR) || optedOut[p.TeamID] {
			continue
		}
		loc := h.location(p)
		week := weekOf(now, loc)
		if now.Before(o.Due(p, week)) || p.AwayOn(now.In(loc).Format(time.DateOnly)) {
			continue
		}
		d := store.Delivery{Key: DigestKind + ":" + fmt.Sprint(p.ID) + ":" + week, Kind: DigestKind, PersonID: p.ID,
			Subject: "week:" + week, ClaimedAt: now, ClaimUntil: now.Add(10 * time.Minute)}
		ok, err := store.Deliver(ctx, o.Store, h.now, d, func() (bool, error) {
			m, img, err := h.Digest(ctx, p, o.Button)
			if err != nil {
				return false, err
			}
			return true, o.Sender.SendImage(ctx, p, m, img)
		})
		if ok {
			sent++
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("person %d: %w", p.ID, err))
		}
	}
	if len(errs) > 0 {
		return sent, fmt.Errorf("dashboard: digests: %w", errors.Join(errs...))
	}
	return sent, nil
}

func (h *Handler) location(p bot.Person) *time.Location {
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			return loc
		}
	}
	return h.tz
}

// Digest builds p's digest for the week now is in: the message, with the
// dashboard button valued button, and its chart.
func (h *Handler) Digest(ctx context.Context, p bot.Person, button string) (bot.Message, bot.Image, error) {
	s, err := h.scopeOf(ctx, p)
	if err != nil {
		return bot.Message{}, bot.Image{}, err
	}
	t := s.t
	// The digest looks back on the week that ended: last week against the
	// one before it.
	last, before := len(s.weeks)-2, len(s.weeks)-3
	nums, err := h.digestNumbers(ctx, s, last, before)
	if err != nil {
		return bot.Message{}, bot.Image{}, err
	}
	m := bot.Message{Title: t.T("dashboard.digest.title", "Week", s.weeks[last])}
	for _, n := range nums {
		m.Fields = append(m.Fields, bot.Field{Label: n.label, Value: t.T("dashboard.digest.change", "Now", n.now, "Before", n.before)})
	}
	warnings, err := h.warningList(ctx, s)
	if err != nil {
		return bot.Message{}, bot.Image{}, err
	}
	lines := []string{t.T("dashboard.digest.intro", "Scope", scopeLabel(s))}
	if len(warnings) == 0 {
		lines = append(lines, t.T("dashboard.warnings.empty"))
	} else {
		counts := map[string]int{}
		var kinds []string
		for _, w := range warnings {
			if counts[w.Kind] == 0 {
				kinds = append(kinds, w.Kind)
			}
			counts[w.Kind]++
		}
		lines = append(lines, t.T("dashboard.warnings.title")+":")
		for _, k := range kinds {
			lines = append(lines, fmt.Sprintf("• %s: %d", k, counts[k]))
		}
	}
	m.Text = strings.Join(lines, "\n")
	m.Buttons = []bot.Button{{Label: t.T("dashboard.digest.button"), Value: button, Style: bot.StylePrimary}}

	cells, err := h.participationCells(ctx, s)
	if err != nil {
		return bot.Message{}, bot.Image{}, err
	}
	rounds, submitted := map[string]int{}, map[string]int{}
	for _, c := range cells {
		rounds[c.Period] += c.Rounds
		submitted[c.Period] += c.Submitted
	}
	var bars []PNGBar
	var alt []string
	for _, w := range s.weeks[:len(s.weeks)-1] {
		b := PNGBar{Label: shortWeek(w)}
		if rounds[w] > 0 {
			b.Share, b.Has = float64(submitted[w])/float64(rounds[w]), true
			b.Value = percent(b.Share)
			alt = append(alt, shortWeek(w)+" "+b.Value)
		}
		bars = append(bars, b)
	}
	png, err := BarsPNG(bars)
	if err != nil {
		return bot.Message{}, bot.Image{}, err
	}
	img := bot.Image{Name: "perfbot-" + s.weeks[last] + ".png", PNG: png,
		Alt: t.T("dashboard.digest.chart", "Weeks", strings.Join(alt, ", "))}
	return m, img, nil
}

func scopeLabel(s *scope) string {
	switch {
	case s.hr:
		return s.t.T("dashboard.scope.company")
	case s.own:
		return s.t.T("dashboard.scope.own")
	}
	return s.t.T("dashboard.scope.team")
}

// digestNumber is one of the digest's five numbers, this week and the one
// before, as text.
type digestNumber struct{ label, now, before string }

// digestNumbers are the five numbers for weeks i and j of s.weeks:
// check-ins submitted, median time to feedback, answered after 48 h,
// praise given, and mood where the group is large enough.
func (h *Handler) digestNumbers(ctx context.Context, s *scope, i, j int) ([]digestNumber, error) {
	t := s.t
	cells, err := h.participationCells(ctx, s)
	if err != nil {
		return nil, err
	}
	type week struct{ rounds, submitted, moods, moodSum int }
	weeks := map[string]week{}
	for _, c := range cells {
		w := weeks[c.Period]
		weeks[c.Period] = week{w.rounds + c.Rounds, w.submitted + c.Submitted, w.moods + c.Moods, w.moodSum + c.MoodSum}
	}
	starts := make([]time.Time, 2)
	ends := make([]time.Time, 2)
	for k, idx := range []int{i, j} {
		starts[k], ends[k] = s.from.AddDate(0, 0, 7*idx), s.from.AddDate(0, 0, 7*(idx+1))
	}
	var tl [2]timeliness
	var praise [2]int
	for k := range 2 {
		waits, err := h.store.RequestWaits(ctx, s.v, starts[k], ends[k])
		if err != nil {
			return nil, err
		}
		for _, r := range waits {
			tl[k].add(r, s.now)
		}
		flow, err := h.store.KudosFlow(ctx, s.v, starts[k], ends[k])
		if err != nil {
			return nil, err
		}
		for _, f := range flow {
			praise[k] += f.Count
		}
	}
	wi, wj := weeks[s.weeks[i]], weeks[s.weeks[j]]
	median := func(tl *timeliness) string {
		if m, ok := tl.median(); ok {
			return t.T("dashboard.hours", "Hours", hours(m))
		}
		return "–"
	}
	moodOf := func(w week) string {
		if w.moods == 0 {
			return "–"
		}
		if !s.shows(w.moods, h.minGroup) {
			return t.T("dashboard.withheld")
		}
		return mean(w.moodSum, w.moods)
	}
	late := func(tl *timeliness) string {
		if tl.requests == 0 {
			return "–"
		}
		return percent(tl.lateShare())
	}
	return []digestNumber{
		{t.T("dashboard.participation.title"), shareOf(wi.submitted, wi.rounds), shareOf(wj.submitted, wj.rounds)},
		{t.T("dashboard.feedback.median"), median(&tl[0]), median(&tl[1])},
		{t.T("dashboard.feedback.late"), late(&tl[0]), late(&tl[1])},
		{t.T("dashboard.kudos.total"), fmt.Sprint(praise[0]), fmt.Sprint(praise[1])},
		{t.T("dashboard.mood.title"), moodOf(wi), moodOf(wj)},
	}, nil
}

// weekOf is the ISO week of t in loc.
func weekOf(t time.Time, loc *time.Location) string {
	weeks, _ := weeksUpTo(t, loc, 1)
	return weeks[0]
}
