package dingtalk

import "github.com/perfbot/perfbot/bot/bottest"

// recorder is the Handler the adapter delivers to.
type recorder = bottest.Recorder

// failingFirst is a recorder whose first n calls fail.
func failingFirst(n int) *recorder {
	r := &recorder{}
	r.FailNext(n)
	return r
}
