// Package scheduler will push check-in prompts in each person's own time zone
// and working calendar, nudge the late, escalate up the manager chain and fan
// out HR broadcasts, as durable jobs that survive restarts and never
// double-send across replicas. Until it lands, rounds are opened with
// `perfbot checkin open`, by typing "checkin", and at `perfbot demo` start.
package scheduler
