// Package slack connects perfbot to a Slack workspace.
//
// It translates and holds no business rules: what Slack delivers (a direct
// message, a voice clip, a button click, a form submitted, a slash command)
// becomes a [bot.Event] for the handler, and every [bot.Message] perfbot says becomes a Block Kit message
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
//	POST /slack/interactions  block_actions (button clicks), view_submission (forms)
//	POST /slack/commands      /checkin, /kudos, /feedback
//
// Every HTTP request must carry a valid v0 signature made with the app's
// signing secret and a timestamp within five minutes of the adapter's clock,
// or it gets 401 and nothing is handled; a body over 1 MiB gets 413.
//
// Slack wants an answer within three seconds, and perfbot's work (database,
// other API calls) can take longer, so the adapter only translates the
// event and hands it to the handler, perfbot's runtime ([bot.Runtime]),
// which keeps it in its durable inbox and returns: then Slack gets its 200.
// An event that could not be kept gets a 500 (over HTTP) or stays
// unacknowledged (Socket Mode), and Slack delivers it again. Slack's own
// redeliveries (X-Slack-Retry-Num, Socket Mode's retry_attempt) carry the
// same event, and so the same [bot.Event.ID]: the inbox keeps it once.
//
// An audio clip sent to the app (a file_share of an audio file, or the mp4
// or webm Slack's clip recorder makes) is a voice note. It is handed on with
// where its audio is and Slack's transcript preview when the file has one;
// the runtime then fetches the audio with the bot token (files:read) through
// [Adapter.FetchVoice], after the acknowledgement. A clip over the size
// cap, or one that cannot be downloaded, is handled without audio.
//
// # Forms
//
// [Adapter.OpenForm] shows a [bot.Form] as a modal (views.open) in reply to
// a click. Slack opens modals only with the click's trigger_id, valid for
// three seconds, so the adapter keeps the trigger of each click it hands on
// for that long; without one OpenForm returns [ErrNoTrigger]. The submitted
// modal comes back as a click on the card the form answered, with the
// answers, as typed, in [bot.Event.Values].
//
// # Sending
//
// Messages are Block Kit: a header for the title, sections for the text
// and the fields, and an actions block for the buttons. Every string is
// plain text to perfbot, so the adapter escapes &, < and > and defuses
// broadcast words with [bot.Neutralize]: an answer containing <!channel> or
// <@U123> reads as typed and pings nobody. mrkdwn cannot escape its
// formatting marks (* _ ~ ` and a leading >), so text holding one goes as
// plain_text instead, without the bold of a field's label. A direct message names the
// person's user id as its channel, so Slack opens the direct conversation
// when it is not open yet; the D... id Slack answers with is remembered per
// user (shared between replicas through the dialog store) and used from
// then on. conversations.open (Tier 3, about 50 a minute) is only the
// fallback for a workspace that refuses a user id; a person whose Messages
// tab with the app is disabled is a permanent refusal.
// [Adapter.Update] replaces a message with chat.update, so a clicked card
// loses its buttons.
//
// Calls are paced by a limiter per API method and per channel (Slack allows
// about one message per second per channel). A rate-limited call waits for
// Slack's Retry-After and is tried again, so nothing is dropped; calls that
// still fail are logged with the channel and Slack's reason and counted in
// perfbot_slack_api_failures_total.
//
// [Adapter.SendImage] (a [bot.ImageSender], for the weekly digest's chart)
// is Slack's external file upload (files:write): files.getUploadURLExternal,
// the POST of the bytes, files.completeUploadExternal into the person's
// direct conversation (opened with conversations.open when its D... id is
// not known yet, since that method takes no user id). The alt text is the
// file's alt text and title.
//
// # Directory
//
// [Adapter.Members] lists users.list as a bot.Directory, with Slack's time
// zones and locales; internal/directory matches them to perfbot's people
// (`perfbot org sync slack`).
package slack
