package voice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Pipeline converts, transcribes and summarises voice notes. It is safe
// for concurrent use.
type Pipeline struct {
	converter   *Converter
	transcriber Chain
	summarisers []Summariser
	clock       Clock
	log         *slog.Logger
	retention   time.Duration
}

// Option changes how New builds a Pipeline.
type Option func(*options)

type options struct {
	client       *http.Client
	clock        Clock
	log          *slog.Logger
	transcribers []Transcriber
	summarisers  []Summariser
	tempDir      string
}

// WithClock sets the clock for retention and for waits between retries.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithLogger sets where provider failures are logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithTranscribers replaces the transcribers built from the Config.
func WithTranscribers(ts ...Transcriber) Option {
	return func(o *options) { o.transcribers = ts }
}

// WithTempDir sets where audio that must be a file (an MP4, the WAV for a
// local command) is written for the moment it is needed.
func WithTempDir(dir string) Option { return func(o *options) { o.tempDir = dir } }

// New builds a pipeline from cfg: the platform's transcript, then the
// OpenAI-compatible ASR if ASRURL is set, then the local command if
// ASRCommand is set; the LLM summariser if LLMURL is set, falling back to
// the offline one, which is always there.
func New(cfg Config, opts ...Option) *Pipeline {
	o := options{clock: systemClock{}, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if o.transcribers == nil {
		o.transcribers = []Transcriber{Platform{}}
		if cfg.ASRURL != "" {
			o.transcribers = append(o.transcribers, NewOpenAIASR(cfg, o.client, o.clock))
		}
		if cfg.ASRCommand != "" {
			cmd := NewCommand(cfg.ASRCommand, cfg.ASRTimeout)
			cmd.TempDir = o.tempDir
			o.transcribers = append(o.transcribers, cmd)
		}
	}
	if o.summarisers == nil {
		if cfg.LLMURL != "" {
			o.summarisers = append(o.summarisers, NewLLM(cfg, o.client, o.clock))
		}
		o.summarisers = append(o.summarisers, Offline{})
	}
	return &Pipeline{
		converter:   &Converter{FFmpeg: cfg.FFmpeg, MaxDuration: cfg.MaxDuration, MaxBytes: cfg.MaxBytes, TempDir: o.tempDir},
		transcriber: Chain(o.transcribers),
		summarisers: o.summarisers,
		clock:       o.clock,
		log:         o.log,
		retention:   cfg.Retention,
	}
}

// Result is a processed voice note.
type Result struct {
	Transcript Transcript
	Summary    Summary
	Duration   time.Duration
	// Transcriber and Summariser name the providers that produced the
	// transcript and the summary.
	Transcriber string
	Summariser  string
	// Failed lists the providers that were tried first and failed, and why.
	Failed []Attempt
	// ExpiresAt is when the transcript's retention ends (zero: kept).
	ExpiresAt time.Time
}

// speech converts a's audio, unless there is none and the platform's own
// transcript will do (its download failed, say): then that is used alone.
func (p *Pipeline) speech(ctx context.Context, a Audio) (Speech, error) {
	if len(a.Data) == 0 && strings.TrimSpace(a.PlatformTranscript) != "" {
		return Speech{Language: a.Language, PlatformTranscript: a.PlatformTranscript}, nil
	}
	return p.converter.Convert(ctx, a)
}

// Process converts, transcribes and summarises a as kind. The errors to
// tell the person about match ErrTooLong, ErrTooLarge, ErrUnreadable,
// ErrTranscription and ErrBadSummary; in every case the caller still has
// the audio and may retry.
func (p *Pipeline) Process(ctx context.Context, a Audio, kind Kind) (Result, error) {
	if err := kind.valid(); err != nil {
		return Result{}, err
	}
	speech, err := p.speech(ctx, a)
	if err != nil {
		return Result{}, err
	}
	tr, failed, err := p.transcriber.transcribe(ctx, speech)
	p.logFailures(ctx, failed)
	if err != nil {
		return Result{}, err
	}
	if tr.Language == "" {
		tr.Language = guessLanguage(tr.Text)
	}

	res := Result{Transcript: tr, Duration: speech.Duration, Transcriber: tr.Provider}
	if p.retention > 0 {
		res.ExpiresAt = p.clock.Now().Add(p.retention)
	}
	var summaryFailures []Attempt
	for _, s := range p.summarisers {
		sum, err := s.Summarise(ctx, tr, kind)
		if err == nil {
			res.Summary, res.Summariser, res.Failed = sum, s.Name(), failed
			return res, nil
		}
		if ctx.Err() != nil {
			return Result{}, err
		}
		failed = append(failed, Attempt{Provider: s.Name(), Err: err})
		p.logFailures(ctx, failed[len(failed)-1:])
		summaryFailures = append(summaryFailures, failed[len(failed)-1])
	}
	return Result{}, fmt.Errorf("%w: %w", ErrBadSummary, errors.Join(attemptErrors(summaryFailures)...))
}

func (p *Pipeline) logFailures(ctx context.Context, attempts []Attempt) {
	for _, a := range attempts {
		p.log.WarnContext(ctx, "voice provider failed", "provider", a.Provider, "err", a.Err)
	}
}

func attemptErrors(as []Attempt) []error {
	errs := make([]error, len(as))
	for i, a := range as {
		errs[i] = fmt.Errorf("%s: %w", a.Provider, a.Err)
	}
	return errs
}

// guessLanguage tells Chinese from English by the script.
func guessLanguage(text string) string {
	for _, t := range tokenize(text) {
		if t.kind == han {
			return "zh-CN"
		}
	}
	return "en"
}
