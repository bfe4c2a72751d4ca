// Package scheduler plans when perfbot prompts, nudges and escalates, in
// each person's own time zone and working-day calendar, and sends the
// prompts when they fall due. The Planner is pure: no I/O and no clock of
// its own; every method takes the instant it plans from. The Runner uses it
// to open each team's rounds on their cadence.
//
// What it computes, per person (a Planner with the region calendars of
// internal/calendar, a Team parsed once from store.Team, and Rules):
//
//   - NextPrompt: the team's cadence, a five-field cron expression, matched
//     against the person's wall clock. A prompt in a spring-forward gap
//     fires once at the end of the gap (02:30 becomes 03:00); one in a
//     fall-back overlap fires once, the first time the clock shows it. A
//     prompt due on a day off (weekend, holiday) moves to the next working
//     day at the same local time; a worked weekend day (调休) is a working
//     day. No prompt is ever planned on a day off.
//   - Deadline: the team's "DAY HH:MM", the first such moment at or after
//     the prompt; on a day off it moves to the same time on the next
//     working day. The manager's digest of who has not submitted goes out
//     then.
//   - Nudges: NudgeAfter after the prompt and after each nudge, at most
//     MaxNudges, each kept inside the nudge hours (09:00-20:00 by default;
//     outside them is quiet) on a working day: one that would fall outside
//     moves to the next start of the hours on a working day.
//   - Review: the manager's reminder ReviewAfter (24 h) after a submission
//     and the escalation to their manager EscalateAfter (48 h) after it,
//     kept to the manager's hours the same way.
//   - Plan: all of a window's events, each with its kind, UTC and local time.
//
// Runner.PromptDue, run every minute by perfbot serve, opens and prompts
// every round whose prompt fell due within CatchUp and is not open yet.
// Opening the round (unique per person and period) is the claim, so several
// replicas prompt once; people out of office are skipped by the engine.
// Sending nudges, deadline digests and escalations is not here yet.
// `perfbot schedule preview` prints a plan.
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
