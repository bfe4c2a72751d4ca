package voice

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrTooLong means the audio lasts longer than Config.MaxDuration.
	ErrTooLong = errors.New("voice: audio too long")
	// ErrTooLarge means the audio file is bigger than Config.MaxBytes.
	ErrTooLarge = errors.New("voice: audio too large")
	// ErrUnreadable means ffmpeg could not decode the audio, or it holds no
	// sound at all.
	ErrUnreadable = errors.New("voice: audio unreadable")
	// ErrTranscription means every transcriber failed; the error is a
	// *TranscriptionError saying why each one did.
	ErrTranscription = errors.New("voice: transcription failed")
	// ErrBadSummary means a summariser's answer did not have the requested
	// structure, even after a retry.
	ErrBadSummary = errors.New("voice: bad summary")
	// ErrNotApplicable is returned by a Transcriber that has nothing to offer
	// for this audio (no platform transcript, say): the chain moves on
	// without counting it as a failure.
	ErrNotApplicable = errors.New("voice: provider not applicable")
)

// Attempt is one provider that was tried and failed.
type Attempt struct {
	Provider string
	Err      error
}

// TranscriptionError lists why each transcriber failed. It matches
// ErrTranscription and unwraps to every cause, so errors.Is(err,
// context.DeadlineExceeded) works through it too.
type TranscriptionError struct {
	Attempts []Attempt
}

func (e *TranscriptionError) Error() string {
	if len(e.Attempts) == 0 {
		return ErrTranscription.Error() + ": no transcriber available"
	}
	parts := make([]string, len(e.Attempts))
	for i, a := range e.Attempts {
		parts[i] = fmt.Sprintf("%s: %v", a.Provider, a.Err)
	}
	return ErrTranscription.Error() + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrTranscription) true.
func (e *TranscriptionError) Is(target error) bool { return target == ErrTranscription }

// Unwrap returns every provider's error.
func (e *TranscriptionError) Unwrap() []error {
	errs := make([]error, len(e.Attempts))
	for i, a := range e.Attempts {
		errs[i] = a.Err
	}
	return errs
}
