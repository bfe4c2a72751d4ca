// Package seal signs the values of the buttons perfbot sends, so a click
// can be trusted to carry a value perfbot issued, to the person clicking.
//
// A button's value comes back from the platform as the click, and nothing
// on the way stops a person from sending another: Slack and WeCom pass on
// what the client posts, and a DingTalk action-card click is text anyone
// can type. Without a seal, an employee who guesses the shape of a value
// ("bpraise:4:0:deal_won") acts with it as if perfbot had offered it.
//
// [Ring.Sign] appends a short seal to a value: the id of the key that made
// it, the time it was issued and a truncated HMAC-SHA256 over both, the
// [Audience] the button was sent to and the value. [Ring.Open] gives the
// value back only if the seal is one of the ring's keys' for one of the
// audiences the click may come from, and not older than the ring's
// lifetime. A value copied to another person, altered, or made up fails
// with [ErrForged]; an old one with [ErrExpired].
//
// Keys rotate without breaking buttons already sent: the ring signs with
// its first key and opens with all of them, so a key that is no longer
// current is kept until the buttons it signed have expired, one lifetime.
//
// The seal adds [Overhead] bytes to a value, all of them URL-safe, which
// fits every platform's limit on a button's value.
package seal
