// Package engine runs the conversations: it is the bot.Handler every adapter
// delivers events to, and what the CLI and the scheduler call to open a round.
//
// For each event it claims the event id (a platform retry is handled once),
// reads the person's dialog state and the records the event is about (the
// round read as that person, so nobody sees a check-in they may not), and
// runs one conversations.Step. Then it commits the step in three stages:
//
//  1. every store effect of the step, in one store.InTx: the round
//     (optimistically, by version), feedback, the audit entries of those
//     writes, ... A failure keeps none of them and releases the event, so
//     the platform's redelivery runs the step again from the start;
//  2. the dialog state, by compare-and-set;
//  3. the messages, through deliver, only after both.
//
// A conflict in stage 1 (the round changed) or 2 (the state did) means
// another event for the person won a race: the step is read and run again.
// Records a step creates carry a key made of the event's id, so a step run
// again after its effects were made finds them instead of making them twice.
package engine
