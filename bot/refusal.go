package bot

import "errors"

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
