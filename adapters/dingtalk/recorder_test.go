package dingtalk

import (
	"context"
	"errors"
	"sync"

	"github.com/perfbot/perfbot/bot"
)

// recorder is a Handler that keeps every event it is given and fails the
// first failures calls.
type recorder struct {
	mu       sync.Mutex
	events   []bot.Event
	failures int
}

func (r *recorder) Handle(_ context.Context, ev bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if r.failures > 0 {
		r.failures--
		return errors.New("engine busy")
	}
	return nil
}

func (r *recorder) all() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}
