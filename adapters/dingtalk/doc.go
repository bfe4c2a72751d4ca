// Package dingtalk connects perfbot to DingTalk (钉钉) through an internal
// app with a robot.
//
// # Receiving
//
// In stream mode (the default) the adapter opens DingTalk's stream
// connection with the official SDK (open-dingtalk/dingtalk-stream-sdk-go), so
// no public callback URL is needed; [Adapter.Receive] runs it. In HTTP mode
// [Adapter.Mount] takes robot messages on POST /dingtalk/robot (verified with
// the timestamp/sign headers) and event subscriptions on POST /dingtalk/events
// (the encrypted callback scheme DingTalk shares with WeCom).
//
// Either way a delivery is acknowledged at once and handled afterwards on a
// tracked goroutine, which Receive waits for before it returns. The event id
// is DingTalk's msgId, so a redelivery, or the same message reaching another
// replica, is handled once by the engine.
//
// # Buttons
//
// Buttons are sent as action cards whose buttons are dtmd:// links: a click
// makes the person's client send a short text back to the robot, which
// carries the button's value encoded after its label ("Start [#pb.…]"). The
// adapter recognises that text and turns it back into a [bot.KindAction]
// event. The trade-off, against DingTalk's interactive cards: no card template
// to create and the same path in stream and HTTP mode, but the click shows in
// the chat as a message the person sent, and an action card cannot be
// edited, so the adapter is not a [bot.Updater] (stale clicks are refused by
// the conversation, which knows the step each button was offered at).
//
// # Sending
//
// One-to-one messages go through oToMessages/batchSend (at most 20 user ids a
// call), group replies through groupMessages/send. The access token is cached
// in the shared dialog store and refreshed before it expires. Rate-limit
// answers are retried with backoff; recipients DingTalk refuses are logged
// and counted.
package dingtalk
