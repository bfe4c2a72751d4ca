package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// Voice turns a voice note into words and their summary, for the note's
// kind, in the language of locale (its speaker's). A *VoiceFailure is final
// (the note cannot be read); any other error is retried.
type Voice interface {
	Process(ctx context.Context, n store.VoiceNote, locale string) (transcript string, summary store.VoiceSummary, err error)
}

// VoiceFailure says why a voice note can never be read: "too_long",
// "too_large", "unreadable", "transcription" or VoiceNoTranscriber. The
// person is told which.
type VoiceFailure struct {
	Code string
	Err  error
}

func (f *VoiceFailure) Error() string { return "voice note " + f.Code + ": " + fmt.Sprint(f.Err) }

func (f *VoiceFailure) Unwrap() error { return f.Err }

// VoiceNoTranscriber is the failure of a note nothing can transcribe:
// neither its platform nor a configured recogniser. The person is told
// that voice needs setting up, not to try again later.
const VoiceNoTranscriber = "no_transcriber"

const (
	// voiceAttempts bounds the tries of a note whose provider keeps failing.
	voiceAttempts = 3
	// voiceStale is when work on a note counts as abandoned (its replica
	// died) and another worker may take it.
	voiceStale = 10 * time.Minute
)

// TranscribeDue works through the voice notes waiting to be transcribed and
// says how many it finished (summarised or failed for good).
func (e *Engine) TranscribeDue(ctx context.Context) (int, error) {
	ids, err := e.store.VoiceNotesWaiting(ctx, e.now().Add(-voiceStale), 20)
	if err != nil {
		return 0, fmt.Errorf("engine: voice notes waiting: %w", err)
	}
	done := 0
	for _, id := range ids {
		finished, err := e.transcribe(ctx, id)
		if err != nil {
			return done, err
		}
		if finished {
			done++
		}
	}
	return done, nil
}

// transcribe claims one note, processes it and tells the person.
func (e *Engine) transcribe(ctx context.Context, id int64) (bool, error) {
	n, ok, err := e.store.ClaimVoiceNote(ctx, id, e.now().Add(-voiceStale))
	if err != nil || !ok {
		return false, err
	}
	person, err := e.store.Person(ctx, n.PersonID)
	if err != nil {
		return false, fmt.Errorf("engine: voice note %d: %w", n.ID, err)
	}
	var transcript string
	var summary store.VoiceSummary
	err = &VoiceFailure{Code: VoiceNoTranscriber, Err: errors.New("no transcriber is configured")}
	if e.voice != nil {
		transcript, summary, err = e.voice.Process(ctx, n, person.Locale)
	}
	var failure *VoiceFailure
	switch {
	case err == nil:
		n.Status, n.Transcript, n.Summary, n.Error = store.VoiceReady, transcript, summary, ""
	case errors.As(err, &failure):
		n.Status, n.Error = store.VoiceFailed, failure.Code
	case n.Attempts < voiceAttempts:
		// Try again on a later sweep; the audio stays.
		e.log.WarnContext(ctx, "voice note: will retry", "note", n.ID, "attempt", n.Attempts, "err", err)
		n.Status = store.VoicePending
		return false, e.store.SaveVoiceNote(ctx, &n)
	default:
		n.Status, n.Error = store.VoiceFailed, "transcription"
	}
	if err != nil {
		e.log.WarnContext(ctx, "voice note failed", "note", n.ID, "err", err)
	}
	if err := e.store.SaveVoiceNote(ctx, &n); err != nil {
		return false, fmt.Errorf("engine: save voice note: %w", err)
	}
	// Replies go back where the note came from. One that cannot be sent
	// is logged; the summary waits in the note for the person's next word.
	err = e.run(ctx, person, trigger{event: bot.Event{From: n.Identity}, note: n.ID})
	if errors.Is(err, ErrNotSent) {
		e.log.WarnContext(ctx, "voice note summary not sent", "note", n.ID, "err", err)
		return true, nil
	}
	return true, err
}

func (e *Engine) wakeVoice() {
	select {
	case e.voiceWake <- struct{}{}:
	default: // already awake
	}
}

// VoiceJob is the runtime's periodic job that transcribes the voice notes
// waiting and purges old ones: every every, and at once when a note
// arrives.
func (e *Engine) VoiceJob(every time.Duration) bot.Job {
	return bot.Job{Name: "voice", Every: every, Wake: e.voiceWake, Run: func(ctx context.Context) error {
		_, err := e.TranscribeDue(ctx)
		return errors.Join(err, e.PurgeVoice(ctx))
	}}
}

// PurgeVoice drops the audio of notes that are dealt with, and audio and
// transcripts past retention.
func (e *Engine) PurgeVoice(ctx context.Context) error {
	var before time.Time // zero: keep everything the person has not dealt with
	if e.voiceRetention > 0 {
		before = e.now().Add(-e.voiceRetention)
	}
	if _, err := e.store.PurgeVoice(ctx, before, before); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	return nil
}
