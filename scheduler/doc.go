// Package scheduler plans when perfbot prompts, nudges and escalates, in
// each person's own time zone and working-day calendar, sends all of it
// when it falls due, and fans out HR's broadcasts. The Planner is pure: no
// I/O and no clock of its own; every method takes the instant it plans
// from. The Runner uses it to follow each team's rounds.
//
// What it computes, per person (a Planner with the region calendars of
// internal/calendar, a Team parsed once from store.Team, and Rules):
//
//   - NextPrompt: the team's cadence matched against the person's wall
//     clock: a five-field cron expression, "every N weeks: CRON" (cron
//     alone cannot say every other Friday), or "last workday HH:MM" (the
//     last working day of each month by the person's own calendar). A
//     prompt in a spring-forward gap fires once at the end of the gap
//     (02:30 becomes 03:00); one in a fall-back overlap fires once, the
//     first time the clock shows it. A prompt due on a day off (weekend,
//     holiday) moves to the next working day at the same local time; a
//     worked weekend day (调休) is a working day. No prompt is ever planned
//     on a day off.
//   - Deadline: the team's "DAY HH:MM", the first such moment at or after
//     the prompt; on a day off it moves to the same time on the next
//     working day. The manager's digest of who has not submitted goes out
//     then.
//   - Nudges: NudgeAfter after the prompt and after each nudge, at most
//     MaxNudges, each kept inside the nudge hours (09:00-20:00 by default;
//     outside them is quiet) on a working day: one that would fall outside
//     moves to the next start of the hours on a working day.
//   - Review: the manager's reminder ReviewAfter (24 h) after a submission
//     and the escalation to their manager EscalateAfter - ReviewAfter (24 h
//     more) after the reminder, kept to the manager's hours the same way.
//   - Plan: all of a window's events, each with its kind, UTC and local time.
//
// Each team may set its own Rules (store.TeamRules, `perfbot team set
// --nudge-after ...`); RulesFor fills in the defaults.
//
// Runner.Tick, run every minute by perfbot serve, sends what fell due
// within CatchUp and was not sent yet: it opens and prompts each round on
// its cadence (creating the round, unique per person and period, is the
// claim), nudges those who have not submitted, sends each manager one
// digest at the deadline listing their reports who have not submitted
// (with a "remind them" button), and reminds managers of check-ins not
// reviewed, escalating to their own manager later. Every follow-up is sent
// under a delivery key (kind, recipient, round or period) claimed in the
// store first, so several replicas send it once, and the key stays as the
// record HR reads (`perfbot schedule log`). Nothing goes to anyone away,
// or outside their nudge hours: a replica that was down catches up in the
// morning, not at night. `perfbot schedule preview` prints a plan.
//
// The early warnings on goals (internal/okr's rules, changed per team in
// store.TeamRules.Warnings) are evaluated for each team's people every
// WarnEvery, on subjects read for the whole team at once (okr.ReadSubjects,
// which the dashboard's warnings share): each manager gets one digest of the warnings about their reports
// not told yet, in their hours on a working day, claimed under a key naming
// its warnings and each warning under its own (goal-warning:RULE:...), so a
// warning is told once; an owner close to a due date is asked for a plan
// once per key result and due date. On Monday morning in each person's
// hours the "my week" card goes out once a week, and nothing when nothing
// is due.
//
// The Broadcaster sends HR broadcasts from the store's outbox: it claims
// batches of deliveries (a unique key per broadcast, person and kind,
// claimed before sending, so replicas never double-send), sends each
// platform's share as fast as it allows (many a call where the adapter is a
// bot.Multicaster, else one by one, a few at a time), retries what failed
// for now with growing waits, and records what failed for good with why.
// A claim left by a killed replica runs out and is taken over, counted as a
// reclaim: the possible duplicates.
package scheduler
