// Package dingtalk connects perfbot to DingTalk (钉钉) through an internal
// app with a robot.
//
// # Receiving
//
// In stream mode (the default) the adapter opens DingTalk's stream
// connection with the official SDK (open-dingtalk/dingtalk-stream-sdk-go), so
// no public callback URL is needed; [Adapter.Receive] runs it. In HTTP mode
// [Adapter.Mount] takes robot messages on POST /dingtalk/robot (verified with
// the timestamp/sign headers, each pair taken for one message through the
// injected [Claimer], so a captured pair cannot carry another) and event
// subscriptions on POST /dingtalk/events (the encrypted callback scheme
// DingTalk shares with WeCom). In both modes a message whose robot or
// sender is of another organisation than DINGTALK_CORP_ID is refused.
//
// Either way a delivery is handed to perfbot's runtime, which keeps it in
// its durable inbox, and acknowledged only then; one that could not be kept
// is refused, and DingTalk delivers it again. The event id is DingTalk's
// msgId, so a redelivery, or the same message reaching another replica, is
// kept once. A voice note's audio is fetched after the acknowledgement
// ([Adapter.FetchVoice]).
//
// # Buttons
//
// In stream mode a message with buttons is an interactive card built on
// DingTalk's "StandardCard" template (no template to build in the card
// console), sent with robot/interactiveCards/send to the person's one-to-one
// chat. Its cardBizId is the message ref; each button is a "request" button
// whose id carries the button's value, so a click comes back as a card
// callback on the stream connection and becomes a [bot.KindAction] event
// whose id is the same for every delivery of that click. The adapter is a
// [bot.Updater]: after the click the engine replaces the card, through
// robots/interactiveCards, with its text and the choice, without buttons.
//
// DingTalk delivers card callbacks to HTTP endpoints only through a callback
// URL registered per route key, so in HTTP mode (or with
// DINGTALK_BUTTONS=actioncard) buttons fall back to action cards whose
// dtmd:// links make the person's client send a short text back ("Start
// [#pb.…]"), recognised as the click. Those cards cannot be edited; stale
// clicks are refused by the conversation.
//
// # Sending
//
// One-to-one messages go through oToMessages/batchSend (at most 20 user ids a
// call), group replies through groupMessages/send. The access token is cached
// in the shared dialog store and refreshed before it expires. Rate-limit
// answers are retried with backoff; recipients DingTalk refuses are logged
// and counted.
//
// [Adapter.SendImage] (a [bot.ImageSender], for the weekly digest's chart)
// uploads the PNG through the old API's media/upload (type image, 20 MB at
// most) and sends its media id as a sampleImageMsg robot message, paced and
// retried like every call.
package dingtalk
