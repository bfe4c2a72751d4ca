package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

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

// localRecognizer is a speech recogniser the demo uses by itself when it
// is installed and none is configured: its binary, and its command line
// with {model} the first file matching models (none needed when empty).
type localRecognizer struct {
	binary, args string
	models       []string
}

// localRecognizers are tried in order: pocketsphinx 5's CLI, the older
// pocketsphinx_continuous Debian ships (pocketsphinx, pocketsphinx-en-us;
// US English only), and whisper.cpp's whisper-cli, which needs a ggml
// model where whisper.cpp's scripts or a package put one.
var localRecognizers = []localRecognizer{
	{binary: "pocketsphinx", args: "single {wav}"},
	{binary: "pocketsphinx_continuous", args: "-infile {wav} -logfn /dev/null"},
	{binary: "whisper-cli", args: "-m {model} -l {lang} -nt -np -f {wav}", models: []string{
		"models/ggml-*.bin", "{home}/.local/share/whisper.cpp/ggml-*.bin",
		"/usr/local/share/whisper.cpp/ggml-*.bin", "/usr/share/whisper.cpp/ggml-*.bin",
	}},
}

// findRecognizer is the command line of the first local recogniser
// installed on the PATH, or "".
func findRecognizer(getenv func(string) string) string {
	for _, r := range localRecognizers {
		bin := lookPath(getenv("PATH"), r.binary)
		if bin == "" {
			continue
		}
		line := bin + " " + r.args
		if len(r.models) > 0 {
			model := firstMatch(r.models, getenv("HOME"))
			if model == "" {
				continue
			}
			line = strings.ReplaceAll(line, "{model}", model)
		}
		return line
	}
	return ""
}

// lookPath finds an executable file called name in the PATH list, as the
// process would run it, or "".
func lookPath(path, name string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// firstMatch is the first file matching one of globs, {home} the home
// folder; a path with a space is skipped, since command lines split on
// spaces.
func firstMatch(globs []string, home string) string {
	for _, g := range globs {
		if strings.Contains(g, "{home}") {
			if home == "" {
				continue
			}
			g = strings.ReplaceAll(g, "{home}", home)
		}
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if !strings.ContainsRune(m, ' ') {
				return m
			}
		}
	}
	return ""
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
		// Not a failure to retry: the person is told voice needs setting up.
		return "", store.VoiceSummary{}, &engine.VoiceFailure{Code: engine.VoiceNoTranscriber, Err: err}
	case err != nil:
		return "", store.VoiceSummary{}, err // a provider failing: tried again later
	}
	s := res.Summary
	return res.Transcript.Text, store.VoiceSummary{
		Done: s.Done, Blockers: s.Blockers, Next: s.Next, Win: s.Win, Improve: s.Improve, Support: s.Support,
	}, nil
}
