// Package voice turns a voice note into a transcript and a structured
// summary: [Pipeline.Process] converts the platform's audio (AMR from WeCom,
// AAC in MP4 from Slack, WebM/Opus, WAV, MP3) to 16 kHz mono 16-bit WAV with
// ffmpeg, transcribes it with the first [Transcriber] that succeeds (the
// platform's own transcript, an OpenAI-compatible speech-to-text endpoint,
// a local command such as pocketsphinx or whisper.cpp) and summarises the
// transcript as a check-in (done / blockers / next) or a 3x3 note (win /
// improve / support) with a [Summariser]: an OpenAI-compatible
// chat-completions model when one is configured, else the built-in
// [Offline] summariser, which needs no service at all.
//
// Failures are typed so the caller can tell the person what happened and
// keep the audio for a retry: [ErrTooLong], [ErrTooLarge], [ErrUnreadable],
// [ErrTranscription] (with each provider's reason, see [TranscriptionError])
// and [ErrBadSummary].
package voice
