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
//     goals, and the audit entries of those writes; and, for a step that
//     answers an inbound event, its messages, kept in the outbox claimed by
//     this process. A failure keeps none of them, and the event is
//     released, so the platform's redelivery runs the step again from the
//     start;
//  2. the dialog state, by compare-and-set; a failure here gives up the
//     messages kept, since the step runs again;
//  3. the messages, only after both and after the person's lease is given
//     up. Those of an inbound event are sent from the outbox and settled one
//     by one (outbox.go): a failed send, or one a dead process never made,
//     is sent later by OutboxJob, each address's messages in order, and a
//     send slower than the step's deadline goes on in the background. Steps
//     with no inbound event (the scheduler's prompts and nudges, voice note
//     summaries) send at once through deliver and return what failed: their
//     callers retry under their own delivery keys.
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
