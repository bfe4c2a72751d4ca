// Package slack connects perfbot to a Slack workspace.
//
// It translates and holds no business rules: what Slack delivers (a direct
// message, a button click, a slash command) becomes a [bot.Event] for the
// handler, and every [bot.Message] perfbot says becomes a Block Kit message
// in the person's direct conversation with the app, or in a channel.
//
// # Receiving
//
// With an app-level token (SLACK_APP_TOKEN) the adapter uses Socket Mode:
// [Adapter.Receive] keeps a WebSocket open to Slack, so no public URL is
// needed. Without one, [Adapter.Mount] registers the Events API on perfbot's
// HTTP server:
//
//	POST /slack/events        message.im, and the url_verification challenge
//	POST /slack/interactions  block_actions (button clicks); view_submission is acknowledged
//	POST /slack/commands      /checkin, /kudos, /feedback
//
// Every HTTP request must carry a valid v0 signature made with the app's
// signing secret and a timestamp within five minutes of the adapter's clock,
// or it gets 401 and nothing is handled; a body over 1 MiB gets 413.
//
// Slack wants an answer within three seconds and perfbot's work (database,
// other API calls) can take longer, so the adapter acknowledges first and
// hands the event to the handler afterwards, on a goroutine it tracks
// ([Adapter.Drain] waits for them). An event whose handling fails is handed
// on again a few times, as Slack would redeliver it had it not been
// acknowledged. Slack's own redeliveries (X-Slack-Retry-Num, Socket Mode's
// retry_attempt) carry the same event, and so the same [bot.Event.ID]: the
// engine handles it once.
//
// # Sending
//
// Messages are Block Kit: a header for the title, sections for the text
// and the fields, and an actions block for the buttons. Every string is
// plain text to perfbot, so the adapter escapes &, < and > and defuses
// broadcast words with [bot.Neutralize]: an answer containing <!channel> or
// <@U123> reads as typed and pings nobody. A direct message goes to the
// channel conversations.open returns for the person, remembered per user.
// [Adapter.Update] replaces a message with chat.update, so a clicked card
// loses its buttons.
//
// Calls are paced by a limiter per API method and per channel (Slack allows
// about one message per second per channel). A rate-limited call waits for
// Slack's Retry-After and is tried again, so nothing is dropped; calls that
// still fail are logged with the channel and Slack's reason and counted in
// perfbot_slack_api_failures_total.
//
// # Directory
//
// [Adapter.SyncDirectory] reads users.list into perfbot's people: it matches
// them by email, then by Slack identity, and creates the others with Slack's
// time zone and locale.
package slack
