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

// VoiceFetcher is an Adapter that hands voice notes on before their audio
// is downloaded, so the platform is acknowledged at once; the runtime
// fetches the audio (filling ev.Voice.Audio) before the event is stepped.
type VoiceFetcher interface {
	FetchVoice(ctx context.Context, ev *Event) error
}

// Mounter is an Adapter that takes webhooks on perfbot's HTTP server.
type Mounter interface {
	Mount(mux *http.ServeMux, h Handler)
}

// Multicaster is an Adapter that sends one message to many people in one
// call (WeCom, DingTalk), for broadcasts. BatchSize is the most recipients
// a call of SendMany should be given, so a failed call affects no more.
type Multicaster interface {
	BatchSize() int
	// SendMany sends msg (its To is ignored) to every identity in to. The
	// recipients the platform refused are returned; the error means the
	// call failed as a whole and nobody in to is known to have it.
	SendMany(ctx context.Context, to []Identity, msg Message) ([]Refusal, error)
}

// Refusal is a recipient a platform did not deliver a message to, and why
// ("invalid": not in the organisation or outside the app's range).
// Temporary says trying again later may work (the person's rate limit).
type Refusal struct {
	Identity  Identity
	Reason    string
	Temporary bool
}
