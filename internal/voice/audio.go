package voice

import "time"

// Audio is a voice note as a platform delivered it.
type Audio struct {
	Data []byte
	// Format is the platform's name for the container ("amr", "m4a", "mp4",
	// "webm", "ogg", "wav", "mp3"); empty lets ffmpeg guess from the bytes.
	Format string
	// Language is the speaker's locale ("en", "zh-CN") when known; it
	// steers the transcriber and the offline summariser.
	Language string
	// PlatformTranscript is the platform's own recognition text, if any.
	PlatformTranscript string
}

// Speech is a voice note ready for a transcriber: 16 kHz mono 16-bit PCM
// in a WAV container.
type Speech struct {
	WAV                []byte
	Duration           time.Duration
	Language           string
	PlatformTranscript string
}
