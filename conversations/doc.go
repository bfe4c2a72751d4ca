// Package conversations holds perfbot's flows as explicit state machines.
//
// # Flows
//
// Each flow is its own type in its own files: the check-in (checkin.go,
// submit.go, form.go, click.go), reviews, deadline digests, absences
// (away.go), voice notes, broadcasts, and the feedback flows (feedback.go
// for the typed commands, kudos.go, sbi.go, request.go, react.go, and
// mention.go for picking who a name meant). A flow says what it owns, the
// button actions, the dialog states (State.Flow, each flow keeping its own
// fields in a State field of its own type) and the events (a round
// opened, a voice note transcribed, an absence ended, a group message), and
// steps only those; the router in router.go dispatches by that
// registration. A flow also says what it reads before a step (its load). Typed text is offered to the flows in registration order
// until one takes it, the check-in last, as it takes whatever is left. Adding
// a flow is writing its files and adding its constructor to flows.
//
// # Steps
//
// A step is a pure function: [Step] takes an [Input] (the person's dialog
// [State], the event, and the records the event is about) and returns a
// [Result]: the new State, the [Effect]s to make and the messages to send.
// It does no I/O and reads no clock, so every transition, including a stale
// button from last week's prompt, is a table-driven test. [Load] fills the
// Input through a [Reader] bound to the person, so a button naming a record
// they may not see finds nothing: what every step gets (the person's
// manager, team, goals, and the round the event is about), then what each
// flow reads. The engine implements Reader over the store, and tests over
// a map. A dialog state the store lost (Input.Lost) is rebuilt from the
// records where they say enough (rebuild.go), and the person is told
// plainly where they do not.
//
// # Effects
//
// An Effect is a write as data ([SaveRound], [SaveFeedback],
// [CreateBroadcast], [Audit], ...) with Apply(ctx, [Writer]); store.Store is
// a Writer, and a flow with writes of a kind of its own brings its Effect
// type, applied like the rest. Audit entries come after the writes they
// record, in the same transaction. The caller applies a step's effects with [Result.Apply] in one
// transaction, writes the State (compare-and-set), and only then sends
// Result.Out. Effects that create records name them in the messages'
// buttons by placeholder until Apply gives their ids ([Binder]), and take
// the event's key so a step run again saves nothing twice ([Keyed]).
// Result.OpenPeriod and Result.RemindTeam ask the caller for what is no
// write: open the round and step again, remind a manager's team.
//
// Buttons carry what they are about (the round) and when they were offered
// (the step sequence number), so a click that no longer fits the dialog gets a
// polite reply and changes nothing.
package conversations
