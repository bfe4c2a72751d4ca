// Package engine runs the conversations: it is the bot.Handler every adapter
// delivers events to, and what the CLI and the scheduler call to open a round.
//
// For each event it claims the event id (a platform retry is handled once),
// reads the person's dialog state, and runs one step of the flow that owns
// the event: conversations.Load reads what the step looks at through a
// conversations.Reader the engine implements over the store, bound to the
// person as viewer (reader.go), so nobody sees a check-in they may not; then
// conversations.Step decides. The engine holds no flow logic: a new flow
// with new effects needs no change here.
//
// # The effect contract
//
// A step returns its writes as conversations.Effect values. The engine
// commits a step in three stages (run.go):
//
//  1. every effect, in order, in one store.InTx: the round (optimistically,
//     by version), the voice note, the person, feedback, the broadcast, the
//     goals, and the audit entries of those writes. A failure keeps none of
//     them, and the event is released, so the platform's redelivery runs
//     the step again from the start;
//  2. the dialog state, by compare-and-set;
//  3. the messages, through deliver, the one place a step's messages leave
//     the engine, only after both.
//
// A conflict in stage 1 (the round changed) or 2 (the state did) means
// another event for the person won a race: the step is read and run again.
// Records a step creates carry a key made of the event's id (dedup.go), so a
// step run again after its effects were made finds them instead of making
// them twice. What a step asks for that is no write, opening a round and
// stepping again, or reminding a manager's team, the engine does itself.
//
// Button values are sealed (internal/seal) for whoever a message goes to as
// it is sent, and a click's value is opened before any step sees it: a value
// perfbot did not send to the person clicking runs nothing, is refused
// politely and audited. Conversations never see a seal.
package engine
