// Package bot is perfbot's platform-neutral vocabulary.
//
// Everything that crosses the line between a chat platform and perfbot's
// flows is expressed here: an inbound [Event] (a message, a button click, a
// voice note) from an [Identity], an outbound [Message] (plain text, a title,
// labelled fields and [Button]s) to an [Address], and the people ([Person])
// those identities belong to.
//
// A platform is plugged in through the small [Adapter] interface. Abilities
// that only some platforms have are optional interfaces an adapter may also
// implement: [Updater] to replace a message that was sent (so a clicked button
// cannot be clicked again), [Receiver] for adapters that pull their own events
// (socket or stream mode, the simulator) and [Mounter] for adapters that take
// webhooks on perfbot's HTTP server, and [FormOpener] to show a [Form] that
// asks several questions at once (a Slack modal).
//
// Text in a Message is always plain text. Each adapter escapes it for its own
// markup, so text a person typed can be echoed to others without pinging
// @all or injecting formatting; [Neutralize] is the shared part of that.
package bot
