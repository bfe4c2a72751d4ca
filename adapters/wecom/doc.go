// Package wecom connects perfbot to WeCom (企业微信) through a self-built app
// (自建应用).
//
// WeCom delivers what people do in the app's chat to GET|POST
// /wecom/callback ([CallbackPath]) on perfbot's HTTP server, signed and
// encrypted with the app's Token and EncodingAESKey ([Crypt]). The adapter
// checks and decrypts every callback, answers within WeCom's 5-second
// deadline, and hands a [bot.Event] to the engine: typed text, voice notes
// (downloaded with media/get first, so nothing depends on WeCom's
// three-day media ids) and clicks on template-card buttons.
//
// perfbot talks back through the app's message API: messages with buttons
// become template cards of type button_interaction, everything else plain
// text, split below WeCom's 2048-byte limit. After a click, the card is
// replaced with update_template_card so its buttons cannot be used twice.
// The access token is kept in perfbot's dialog store, so every replica
// shares one. Sends respect WeCom's limits: at most 30 messages per member
// per minute, back-off and retry on the frequency (45009) and concurrency
// (45033) errors, and recipients WeCom reports invalid are logged and
// counted.
//
// [Adapter.Members] lists the members visible to the app as a
// bot.Directory, with each one's main department and direct leader as
// manager; internal/directory matches them to perfbot's people (`perfbot org
// sync wecom`).
//
// Every API base URL is configurable (WECOM_API_BASE), so the tests run
// against a fake WeCom on 127.0.0.1. README.md tells an admin how to
// connect an app.
package wecom
