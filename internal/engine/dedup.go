package engine

import (
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
)

// dedupKeys names the records a step creates after the event it runs
// for. A step's store effects are one transaction, but the dialog state is
// written after it: when that write loses a race, the step runs again, and
// with the keys the store finds what the first run saved instead of saving
// it twice. Events without an id (the scheduler's) get no key.
func dedupKeys(ev bot.Event, res *conversations.Result) {
	if base := conversations.EventKey(ev); base != "" {
		res.Key(base)
	}
}
