// Package okr is the arithmetic of goals, pure and clock-free: how far a
// key result is (honouring its direction), an objective's progress (the
// weighted progress of its key results), and the roll-up, where a goal
// with approved goals aligned to it progresses as their weighted mean.
// The store keeps the goals; the flows, the CLI and the warnings ask this
// package what they add up to. The early warnings are its rules too
// (Warnings), evaluated by the scheduler and shown by the dashboard on
// subjects both read with ReadSubjects, the one place it reads the store.
package okr
