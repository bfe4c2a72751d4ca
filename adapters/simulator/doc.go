// Package simulator is a chat platform that lives in a browser tab: a local
// web chat where you can be anyone in the organisation and talk to perfbot.
//
// It is the first thing a new user sees (make run, then open
// http://127.0.0.1:8080/) and the harness the end-to-end tests drive, so it
// is a real [bot.Adapter] and goes through exactly the code paths WeCom,
// DingTalk and Slack do: perfbot sends [bot.Message]s with [Adapter.Send],
// replaces them with [Adapter.Update], and takes [bot.Event]s through the
// [bot.Handler] given to [Adapter.Mount].
//
// The people you can be are [Persona]s, supplied by the caller through
// [Options.Personas]: the adapter holds no directory and no business rules.
// Each persona's identity is bot.Identity{Platform: bot.Simulator, Tenant:
// [Tenant], UserID: persona.ID}.
//
// Conversations live in memory: one direct conversation per person and one per
// channel, each keeping the last [Options.History] messages. Nothing survives
// a restart, which is what a demo and a test want.
//
// # HTTP
//
// Mount registers the page and a small JSON API on a [http.ServeMux]:
//
//	GET  /                                      the page (one embedded HTML file, no CDN)
//	GET  /api/personas                          the people you can be
//	GET  /api/conversations/{persona}           their direct conversation and every channel
//	POST /api/conversations/{persona}/messages  {"text": "..."}: they type a message
//	POST /api/conversations/{persona}/actions   {"ref": "...", "value": "..."}: they click a button
//	POST /api/conversations/{persona}/forms     {"ref": "...", "values": {"key": "..."}}: they submit a form
//	POST /api/conversations/{persona}/voice     multipart "audio" (and "seconds"): they send a voice note
//	POST /api/conversations/{persona}/resend    deliver their last event again, same id
//	GET  /api/events[?persona=id]               Server-Sent Events: new and updated messages
//
// The Adapter is a [bot.FormOpener]: a form shows as a card in the person's
// direct conversation, and its submission is a [bot.KindAction] event with
// the answers in Event.Values; each form can be submitted once. Voice notes,
// recorded with the page's microphone button or picked as an audio file of
// up to [MaxVoice] bytes, are [bot.KindVoice] events carrying the audio.
//
// Every route answers only requests whose Host is a loopback name
// (localhost, 127.0.0.0/8, [::1]) or one of [Options.Hosts], and the POSTs
// only same-origin ones: a web page elsewhere can neither post as a persona
// nor, by pointing its own name at 127.0.0.1 (DNS rebinding), read them.
//
// The POSTs call the Handler synchronously with the request's context and
// answer 500 with a JSON error when it fails. The event stream ends when the
// client goes away or the request's context is cancelled, so the server
// running it should cancel its BaseContext on shutdown rather than wait for
// streams that never go idle.
//
// Everything a person or perfbot writes is plain text end to end: the server
// sends JSON and the page puts text into the document with textContent only,
// under a Content-Security-Policy that allows the page's own script and
// nothing else.
package simulator
