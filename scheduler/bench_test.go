package scheduler_test

import (
	"testing"

	"github.com/perfbot/perfbot/internal/calendar"
	"github.com/perfbot/perfbot/scheduler"
)

// zones24 are 24 time zones across every offset band, with and without DST.
var zones24 = []string{
	"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
	"America/Chicago", "America/New_York", "America/Sao_Paulo", "Atlantic/Azores",
	"Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Moscow",
	"Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney",
	"Pacific/Noumea", "Pacific/Auckland", "Pacific/Tongatapu", "Pacific/Kiritimati",
}

// BenchmarkPlanWeeklyRound plans one weekly round (prompt, nudges, deadline,
// review reminder, escalation) for 100,000 people across 24 time zones. One
// op is the whole population.
func BenchmarkPlanWeeklyRound(b *testing.B) {
	const people = 100_000
	p := scheduler.NewPlanner(realCalendar(b))
	tm := team(b, "0 16 * * FRI", "FRI 18:00")
	rules := scheduler.DefaultRules()
	who := make([]scheduler.Person, people)
	for i := range who {
		tz := zones24[i%len(zones24)]
		who[i] = scheduler.Person{ID: int64(i), Loc: zone(b, tz), Region: calendar.RegionOf(tz)}
	}
	// A week with a spring-forward Sunday in it for New York.
	from, to := utc(b, "2026-03-02 00:00"), utc(b, "2026-03-09 00:00")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		events := 0
		for _, w := range who {
			events += len(p.Plan(w, tm, rules, from, to))
		}
		if events < people*5 {
			b.Fatalf("%d events for %d people", events, people)
		}
	}
}
