package slack

import (
	"sync"
	"time"
)

// Slack lets a trigger_id open a modal for three seconds after the click
// that made it, and once.
const (
	triggerTTL = 3 * time.Second
	// maxTriggers bounds the triggers kept: far more clicks than can land
	// within triggerTTL, so only a flood loses one (and then the person is
	// asked in chat instead).
	maxTriggers = 4096
)

// trigger is a click's permission to open a modal.
type trigger struct {
	id      string
	expires time.Time
}

// triggers keeps the trigger_id of recent events by the Event.ID they were
// handed on as, until OpenForm takes one or it expires. It lives in memory:
// the event is handled by the replica that received it, and a trigger is
// worthless by the time it could reach another. Safe for concurrent use.
type triggers struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]trigger
	// order is every put, oldest first, so expiring and evicting cost
	// nothing per click; entries since taken or replaced are skipped.
	order []queued
}

type queued struct {
	key     string
	expires time.Time
}

func newTriggers(now func() time.Time) *triggers {
	return &triggers{now: now, m: map[string]trigger{}}
}

// put remembers the trigger of the event handed on as eventID. A
// redelivered event brings a fresh trigger, which replaces the old one.
func (t *triggers) put(eventID, triggerID string) {
	if eventID == "" || triggerID == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for len(t.order) > 0 && !now.Before(t.order[0].expires) {
		t.pop()
	}
	if _, ok := t.m[eventID]; !ok {
		// Full of live triggers: the oldest goes, it has the least time left.
		for len(t.m) >= maxTriggers && len(t.order) > 0 {
			t.pop()
		}
	}
	tr := trigger{id: triggerID, expires: now.Add(triggerTTL)}
	t.m[eventID] = tr
	t.order = append(t.order, queued{key: eventID, expires: tr.expires})
}

// take returns the unexpired trigger of eventID and forgets it: Slack
// accepts a trigger once.
func (t *triggers) take(eventID string) (trigger, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tr, ok := t.m[eventID]
	delete(t.m, eventID)
	if !ok || !t.now().Before(tr.expires) {
		return trigger{}, false
	}
	return tr, true
}

// pop forgets the oldest put, unless its trigger was replaced since.
func (t *triggers) pop() {
	q := t.order[0]
	t.order = t.order[1:]
	if cur, ok := t.m[q.key]; ok && cur.expires.Equal(q.expires) {
		delete(t.m, q.key)
	}
}
