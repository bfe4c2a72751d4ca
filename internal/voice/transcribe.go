package voice

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Transcriber turns speech into text. It returns ErrNotApplicable when it
// has nothing to offer for this speech, any other error when it failed.
type Transcriber interface {
	Name() string
	Transcribe(ctx context.Context, s Speech) (Transcript, error)
}

// Transcript is what a transcriber heard.
type Transcript struct {
	Text string
	// Language is "en" or "zh-CN" when known.
	Language string
	// Provider is the Name of the transcriber that produced it.
	Provider string
}

// Chain tries its transcribers in order and returns the first transcript
// that is not empty. When all fail the error is a *TranscriptionError
// listing why each did.
type Chain []Transcriber

// Name implements Transcriber.
func (c Chain) Name() string {
	names := make([]string, len(c))
	for i, t := range c {
		names[i] = t.Name()
	}
	return strings.Join(names, ",")
}

// Transcribe implements Transcriber.
func (c Chain) Transcribe(ctx context.Context, s Speech) (Transcript, error) {
	tr, _, err := c.transcribe(ctx, s)
	return tr, err
}

// transcribe also returns the providers that failed before one succeeded.
func (c Chain) transcribe(ctx context.Context, s Speech) (Transcript, []Attempt, error) {
	var failed []Attempt
	for _, t := range c {
		tr, err := t.Transcribe(ctx, s)
		if err == nil && strings.TrimSpace(tr.Text) == "" {
			err = errors.New("empty transcript")
		}
		switch {
		case err == nil:
			tr.Text = strings.TrimSpace(tr.Text)
			if tr.Provider == "" {
				tr.Provider = t.Name()
			}
			if tr.Language == "" {
				tr.Language = s.Language
			}
			return tr, failed, nil
		case errors.Is(err, ErrNotApplicable):
		case ctx.Err() != nil:
			// The caller gave up: the next provider would fail the same way.
			failed = append(failed, Attempt{Provider: t.Name(), Err: err})
			return Transcript{}, failed, &TranscriptionError{Attempts: failed}
		default:
			failed = append(failed, Attempt{Provider: t.Name(), Err: err})
		}
	}
	return Transcript{}, failed, &TranscriptionError{Attempts: failed}
}

// Platform is the transcript the platform sent with the audio (DingTalk's
// recognition text, Slack's transcription preview).
type Platform struct{}

// Name implements Transcriber.
func (Platform) Name() string { return "platform" }

// Transcribe implements Transcriber.
func (Platform) Transcribe(_ context.Context, s Speech) (Transcript, error) {
	if strings.TrimSpace(s.PlatformTranscript) == "" {
		return Transcript{}, fmt.Errorf("%w: no platform transcript", ErrNotApplicable)
	}
	return Transcript{Text: s.PlatformTranscript, Language: s.Language}, nil
}
