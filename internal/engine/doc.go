// Package engine runs the conversations: it is the bot.Handler every adapter
// delivers events to, and what the CLI and the scheduler call to open a round.
//
// For each event it claims the event id (a platform retry is handled once),
// reads the person's dialog state and the records the event is about (the
// round read as that person, so nobody sees a check-in they may not), runs one
// pure conversations.Step, writes the round (optimistically, by version) and
// the state (compare-and-set), and only then sends the messages. Two events
// for one person at once both land: the loser of a race reads again and
// retries.
package engine
