package conversations

import (
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/store"
)

// Out of office: "away until 2026-12-01" (or 休假至 12月1日) pauses prompts
// and reminders until that day, the first day back; "back" ends it early.
// The person is welcomed back when the day comes.

// awayWords say "out of office until": what follows is the day, and a day
// that cannot be read is asked about again. bareAwayWords ("away",
// "请假") start many ordinary sentences too ("请假了两天"), so they make an
// out-of-office message only when a day follows.
var (
	awayWords = []string{
		"out of office until", "ooo until", "away until", "away till", "away from now until",
		"休假至", "休假到", "请假至", "请假到", "不在至",
	}
	bareAwayWords = []string{"away", "ooo", "休假", "请假"}
)

var backWords = map[string]bool{"back": true, "i'm back": true, "im back": true, "回来了": true, "我回来了": true}

// parseAway reads an out-of-office message. It reports whether text is one,
// and the first day back it names, or "" when the date could not be read.
func parseAway(text, today string) (day string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(toHalfWidth(text)))
	for _, w := range awayWords {
		if rest, found := strings.CutPrefix(t, w); found {
			return parseDay(strings.TrimSpace(rest), today), true
		}
	}
	for _, w := range bareAwayWords {
		if rest, found := strings.CutPrefix(t, w); found {
			if day := parseDay(strings.TrimSpace(rest), today); day != "" {
				return day, true
			}
		}
	}
	return "", false
}

// parseDay reads 2026-12-01, 2026/12/01, 12-01, 12/01, 12月1日 or
// 2026年12月1日; without a year, the next such day from today.
func parseDay(s, today string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "号"), "日"))
	s = strings.NewReplacer("年", "-", "月", "-", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	now, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return ""
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if nums[i], err = strconv.Atoi(strings.TrimSpace(p)); err != nil {
			return ""
		}
	}
	switch len(nums) {
	case 3:
		if day, ok := date(nums[0], nums[1], nums[2]); ok {
			return day.Format(time.DateOnly)
		}
	case 2:
		// The next year that has the day: a 2-29 typed on 2028-03-01 is
		// 2032-02-29, never a 03-01 nobody typed. Every day there is comes
		// within eight years (2-29 skips 2100).
		for y := now.Year(); y <= now.Year()+8; y++ {
			if day, ok := date(y, nums[0], nums[1]); ok && !day.Before(now) {
				return day.Format(time.DateOnly)
			}
		}
	}
	return ""
}

// date is y-m-d, reporting false when there is no such day (2026-02-30).
func date(y, m, d int) (time.Time, bool) {
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return day, day.Year() == y && day.Month() == time.Month(m) && day.Day() == d
}

// away is out of office: an absence set, ended early, or ended.
type away struct {
	*turn
	base
}

func (away) owns() owns { return owns{events: []event{evReturned}} }

// on welcomes someone whose absence ended today.
func (c away) on(event) { c.say(c.t.T("away.returned")) }

// text takes "away until DAY" and "back". Mid-answer, only a whole "away
// until DAY" with a day that reads.
func (c away) text(command) bool {
	text := c.in.Event.Text
	if day, ok := parseAway(text, c.in.Today); ok && (!c.expecting() || day != "") {
		c.away(day)
		return true
	}
	if backWords[strings.ToLower(strings.TrimSpace(text))] {
		c.back()
		return true
	}
	return false
}

// maxAway bounds an absence, so a typo cannot silence someone for years.
const maxAway = 366 * 24 * time.Hour

// away records an absence until day.
func (c away) away(day string) {
	today, _ := time.Parse(time.DateOnly, c.in.Today)
	back, err := time.Parse(time.DateOnly, day)
	switch {
	case day == "" || err != nil:
		c.say(c.t.T("away.bad_date"))
		return
	case !back.After(today):
		c.say(c.t.T("away.past"))
		return
	case back.Sub(today) > maxAway:
		c.say(c.t.T("away.too_far"))
		return
	}
	p := c.in.Person
	p.AwayUntil = day
	c.w.person = &p
	c.w.audit = append(c.w.audit, c.personAudit("person.away", day))
	// A check-in under way keeps its answers; it waits for their return.
	c.res.State = State{}
	c.say(c.t.T("away.set", "Day", day))
}

// back ends an absence early.
func (c away) back() {
	if c.in.Person.AwayUntil == "" {
		c.say(c.t.T("away.not_away"))
		return
	}
	p := c.in.Person
	p.AwayUntil = ""
	c.w.person = &p
	c.w.audit = append(c.w.audit, c.personAudit("person.back", ""))
	c.say(c.t.T("away.back"))
}

func (c *turn) personAudit(action, detail string) store.AuditEntry {
	return store.AuditEntry{
		At: c.in.Now, ActorID: c.in.Person.ID, Action: action,
		Object: "person:" + strconv.FormatInt(c.in.Person.ID, 10), Detail: detail,
	}
}
