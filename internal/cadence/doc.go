// Package cadence reads a team's cadence: when its members are prompted for
// a check-in, on each member's own wall clock. A cadence is one of:
//
//   - a five-field cron expression: "0 16 * * FRI", every Friday at 16:00;
//   - "every N weeks: CRON" or "every N weeks from YYYY-MM-DD: CRON": the
//     cron's matches in every Nth week, counted in ISO weeks (Monday to
//     Sunday) from the week of the date (1970-01-05 when none is given);
//     cron alone cannot say "every other Friday";
//   - "last workday HH:MM": the last working day of each month, by each
//     person's own calendar, which cron cannot say either.
//
// A cadence names no time zone: each person's own is used. The package only
// parses and matches wall times; the scheduler turns them into instants and
// keeps them off days off, and internal/orgfile checks the cadences an
// organisation file sets with the same [Parse], so what is accepted is what
// runs.
package cadence
