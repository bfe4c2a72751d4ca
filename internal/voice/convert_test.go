package voice

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConvertFormats(t *testing.T) {
	requireTools(t, "ffmpeg", "espeak-ng")
	dir := t.TempDir()
	wav := speak(t, dir, "Next week I will start the reporting dashboard.")
	for _, tc := range []struct {
		name, format string
		args         []string
	}{
		{"amr", "amr", []string{"-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb", "-b:a", "12.2k"}},
		// moov at the end, as phones write it: ffmpeg must be able to seek.
		{"m4a", "m4a", []string{"-c:a", "aac", "-b:a", "64k"}},
		{"webm", "webm", []string{"-c:a", "libopus", "-b:a", "32k"}},
		{"mp3", "mp3", []string{"-c:a", "libmp3lame", "-b:a", "64k"}},
		{"wav", "wav", []string{"-c:a", "pcm_s16le"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := encode(t, wav, filepath.Join(dir, "in."+tc.format), tc.args...)
			work := t.TempDir()
			c := &Converter{MaxDuration: time.Minute, MaxBytes: DefaultMaxBytes, TempDir: work}
			s, err := c.Convert(context.Background(), Audio{Data: data, Format: tc.format})
			require.NoError(t, err)
			f, err := parseWAV(s.WAV)
			require.NoError(t, err)
			require.Equal(t, 16000, f.sampleRate)
			require.Equal(t, 1, f.channels)
			require.Equal(t, 16, f.bits)
			require.Equal(t, 44, f.dataOffset, "a canonical header")
			require.InDelta(t, 3.0, s.Duration.Seconds(), 1.5)
			require.Empty(t, dirEntries(t, work), "no temporary file left behind")
		})
	}
}

func TestConvertLimits(t *testing.T) {
	requireTools(t, "ffmpeg")
	dir := t.TempDir()
	c := &Converter{MaxDuration: DefaultMaxDuration, MaxBytes: DefaultMaxBytes}
	ctx := context.Background()

	sixMinutes := encode(t, "anullsrc=r=8000:cl=mono", filepath.Join(dir, "six.wav"), "-t", "360", "-c:a", "pcm_s16le")
	_, err := c.Convert(ctx, Audio{Data: sixMinutes, Format: "wav"})
	require.ErrorIs(t, err, ErrTooLong)

	_, err = c.Convert(ctx, Audio{Data: make([]byte, DefaultMaxBytes+1)})
	require.ErrorIs(t, err, ErrTooLarge)

	garbage := make([]byte, 64<<10)
	rand.Read(garbage)
	_, err = c.Convert(ctx, Audio{Data: garbage, Format: "amr"})
	require.ErrorIs(t, err, ErrUnreadable)
	work := t.TempDir()
	staged := &Converter{MaxDuration: DefaultMaxDuration, TempDir: work}
	_, err = staged.Convert(ctx, Audio{Data: append([]byte("\x00\x00\x00\x20ftypM4A "), garbage...), Format: "m4a"})
	require.ErrorIs(t, err, ErrUnreadable)
	require.Empty(t, dirEntries(t, work), "the staged file is removed on failure too")
	_, err = c.Convert(ctx, Audio{})
	require.ErrorIs(t, err, ErrUnreadable)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Convert(cancelled, Audio{Data: sixMinutes})
	require.ErrorIs(t, err, context.Canceled)

	_, err = (&Converter{FFmpeg: filepath.Join(dir, "no-ffmpeg")}).Convert(ctx, Audio{Data: sixMinutes})
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrUnreadable, "a missing ffmpeg is not the audio's fault")
}
