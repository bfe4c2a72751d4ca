package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/voice"
)

// transcriber gives the engine the voice pipeline: a note in, its words and
// summary out, and the pipeline's verdicts on unusable audio as final.
type transcriber struct {
	pipeline *voice.Pipeline
	// canTranscribe is false when only the platforms' own transcripts are
	// available: a note without one then fails at once, not after retries.
	canTranscribe bool
}

func newTranscriber(cfg voice.Config, log *slog.Logger) *transcriber {
	p := voice.New(cfg, voice.WithLogger(log.With("component", "voice")))
	t := &transcriber{pipeline: p, canTranscribe: cfg.ASRURL != "" || cfg.ASRCommand != ""}
	if !t.canTranscribe {
		log.Info("voice notes: no transcriber configured (PERFBOT_VOICE_ASR_URL or PERFBOT_VOICE_ASR_COMMAND); only platform transcripts are used")
	}
	return t
}

// Process implements engine.Voice.
func (t *transcriber) Process(ctx context.Context, n store.VoiceNote, locale string) (string, store.VoiceSummary, error) {
	kind := voice.CheckIn
	if n.Kind == store.VoiceNote3x3 {
		kind = voice.ThreeByThree
	}
	lang := "en"
	if locale == "zh-CN" {
		lang = "zh"
	}
	res, err := t.pipeline.Process(ctx, voice.Audio{Data: n.Audio, Format: n.Format, Language: lang, PlatformTranscript: n.Transcript}, kind)
	switch {
	case errors.Is(err, voice.ErrTooLong):
		return "", store.VoiceSummary{}, &engine.VoiceFailure{Code: "too_long", Err: err}
	case errors.Is(err, voice.ErrTooLarge):
		return "", store.VoiceSummary{}, &engine.VoiceFailure{Code: "too_large", Err: err}
	case errors.Is(err, voice.ErrUnreadable):
		return "", store.VoiceSummary{}, &engine.VoiceFailure{Code: "unreadable", Err: err}
	case errors.Is(err, voice.ErrTranscription) && !t.canTranscribe:
		return "", store.VoiceSummary{}, &engine.VoiceFailure{Code: "transcription", Err: err}
	case err != nil:
		return "", store.VoiceSummary{}, err // a provider failing: tried again later
	}
	s := res.Summary
	return res.Transcript.Text, store.VoiceSummary{
		Done: s.Done, Blockers: s.Blockers, Next: s.Next, Win: s.Win, Improve: s.Improve, Support: s.Support,
	}, nil
}
