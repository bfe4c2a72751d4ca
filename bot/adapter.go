package bot

import (
	"context"
	"net/http"
)

// Adapter connects perfbot to one chat platform. It translates and holds no
// business rules.
type Adapter interface {
	Platform() Platform
	// Send delivers msg to msg.To and returns the platform's handle on it.
	Send(ctx context.Context, msg Message) (MessageRef, error)
}

// Updater is an Adapter that can replace a message it sent earlier.
type Updater interface {
	Update(ctx context.Context, ref MessageRef, msg Message) error
}

// Handler takes inbound events. An error means the event was not handled and
// may be delivered again.
type Handler interface {
	Handle(ctx context.Context, ev Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, ev Event) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, ev Event) error { return f(ctx, ev) }

// Receiver is an Adapter that pulls its own events (socket mode, stream mode,
// the simulator). Receive blocks until ctx is done.
type Receiver interface {
	Receive(ctx context.Context, h Handler) error
}

// Mounter is an Adapter that takes webhooks on perfbot's HTTP server.
type Mounter interface {
	Mount(mux *http.ServeMux, h Handler)
}
