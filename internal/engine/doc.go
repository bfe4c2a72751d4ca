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
//
// Button values are sealed (internal/seal) for whoever a message goes to as
// it is sent, and a click's value is opened before any step sees it: a value
// perfbot did not send to the person clicking runs nothing, is refused
// politely and audited. Conversations never see a seal.
package engine
