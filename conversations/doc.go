// Package conversations holds perfbot's flows as explicit state machines.
//
// A flow step is a pure function: [Step] takes an [Input] (the person's
// dialog [State], the event, and the records the event is about, already
// loaded) and returns a [Result]: the new State, the records to write and the
// messages to send. It does no I/O and reads no clock, so every transition,
// including a stale button from last week's prompt, is a table-driven test.
//
// Buttons carry what they are about (the round) and when they were offered
// (the step sequence number), so a click that no longer fits the dialog gets a
// polite reply and changes nothing.
package conversations
