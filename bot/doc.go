// Package bot is perfbot's platform-neutral vocabulary, and the runtime
// that connects platforms to it.
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
// (socket or stream mode, the simulator), [Mounter] for adapters that take
// webhooks on perfbot's HTTP server, [FormOpener] to show a [Form] that asks
// several questions at once (a Slack modal), [Multicaster] to send one
// message to many people in one call, [VoiceFetcher] for adapters that hand
// a voice note on before its audio is downloaded, [Directory] to list the
// platform's members, [ImageSender] to send a picture (the weekly digest's chart), and [Patient] for adapters whose platform sets no
// deadline on an acknowledgement (the simulator).
//
// # The runtime
//
// A [Runtime] plays the part of the bot itself: it registers the adapters,
// mounts their webhooks and runs their receivers, and it alone decides how
// inbound events are handled, the same way for every platform. An adapter
// only verifies what the platform delivered, translates it into an Event and
// hands it to the runtime's Handle; when Handle returns, the event is kept in
// the [Inbox] (perfbot's is a database table, its events' [Event.Key]
// unique) and the adapter acknowledges the platform. A redelivery of an
// event already kept is acknowledged and dropped.
//
// Kept events are stepped by a bounded pool of workers, one sender's events
// one after another in the order they came, each under a deadline shorter
// than any lease the handler holds. The handler finds a [Receipt] in its
// context and records the event as done in its own transaction, so a step's
// writes and "handled" commit together. A failure is tried again with
// backoff, a panic is recovered and the event marked failed, and an event
// whose worker died is taken again when its claim runs out. On shutdown the
// runtime stops taking work, gives what is in flight time to finish and
// hands back to the inbox what does not: nothing acknowledged is lost.
//
// The service's periodic work runs on the runtime too, as [Job]s
// ([Runtime.Every], [Runtime.Schedule]): one loop implementation for all.
//
// Text in a Message is always plain text. Each adapter escapes it for its own
// markup, so text a person typed can be echoed to others without pinging
// @all or injecting formatting; [Neutralize] is the shared part of that.
package bot
