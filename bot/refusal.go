package bot

import (
	"errors"
	"fmt"
	"time"
)

// ErrTemporary and ErrPermanent say why a platform refused a call, so a
// caller can tell with errors.Is whether trying again may help. Adapters
// mark the errors they return with one of them once their own retries are
// spent. A temporary refusal (a rate limit, an outage, a network failure)
// may pass later; a permanent one (an unknown or invalid recipient, refused
// credentials, a malformed request) will not until something changes. An
// error marked with neither, such as a canceled context, says nothing about
// the platform.
var (
	ErrTemporary = errors.New("temporary refusal")
	ErrPermanent = errors.New("permanent refusal")
)

// PartialError is a send that delivered the first Sent parts of a message
// shown in several, then failed with Err. Whoever tries again sets
// Message.Sent to Sent.
type PartialError struct {
	Sent int
	Err  error
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("%v (after %d part(s) delivered)", e.Err, e.Sent)
}

func (e *PartialError) Unwrap() error { return e.Err }

// BusyError is a call an adapter did not make: the platform's published
// rate allows it only at At, later than the caller said it can wait (its
// context's deadline). Nothing reached the platform, so it is a temporary
// refusal that costs the message none of its attempts; whoever can wait
// until At sends it then.
type BusyError struct {
	At time.Time
}

func (e *BusyError) Error() string {
	return "platform rate limit: the next call may go at " + e.At.UTC().Format(time.RFC3339Nano)
}

func (e *BusyError) Unwrap() error { return ErrTemporary }
