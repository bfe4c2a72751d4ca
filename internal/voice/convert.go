package voice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Converter turns a platform's audio into Speech with ffmpeg.
type Converter struct {
	// FFmpeg is the executable; empty means "ffmpeg" from PATH.
	FFmpeg      string
	MaxDuration time.Duration
	MaxBytes    int64
	// TempDir is where an MP4 is staged (see Convert); empty means
	// os.TempDir().
	TempDir string
}

// Convert decodes a to 16 kHz mono 16-bit WAV and checks the limits. The
// audio goes to ffmpeg on stdin and comes back on stdout, except for
// MP4/M4A/MOV: their index (the moov box) is often at the end of the file,
// which ffmpeg can only reach by seeking, so those are staged in a temporary
// file that is removed before Convert returns.
func (c *Converter) Convert(ctx context.Context, a Audio) (Speech, error) {
	if len(a.Data) == 0 {
		return Speech{}, fmt.Errorf("%w: no audio", ErrUnreadable)
	}
	if c.MaxBytes > 0 && int64(len(a.Data)) > c.MaxBytes {
		return Speech{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(a.Data), c.MaxBytes)
	}
	input := "pipe:0"
	var stdin *bytes.Reader
	if isMP4(a) {
		path, err := c.stage(a.Data)
		if err != nil {
			return Speech{}, err
		}
		defer os.Remove(path)
		input = path
	} else {
		stdin = bytes.NewReader(a.Data)
	}

	args := []string{"-hide_banner", "-loglevel", "error", "-i", input}
	if c.MaxDuration > 0 {
		// Decode one second past the limit: enough to tell that it is over
		// without decoding an hour-long file to find out.
		args = append(args, "-t", strconv.FormatFloat((c.MaxDuration+time.Second).Seconds(), 'f', 3, 64))
	}
	args = append(args, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1")

	ffmpeg := c.FFmpeg
	if ffmpeg == "" {
		ffmpeg = "ffmpeg"
	}
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 2048}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return Speech{}, fmt.Errorf("voice: ffmpeg: %w", ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return Speech{}, fmt.Errorf("%w: ffmpeg: %s", ErrUnreadable, stderr.lastLine())
	}
	if err != nil { // ffmpeg missing or not runnable: not the audio's fault
		return Speech{}, fmt.Errorf("voice: run ffmpeg: %w", err)
	}

	f, err := parseWAV(stdout.Bytes())
	if err != nil {
		return Speech{}, fmt.Errorf("%w: ffmpeg output: %w", ErrUnreadable, err)
	}
	if f.dataLength == 0 {
		return Speech{}, fmt.Errorf("%w: no sound in it", ErrUnreadable)
	}
	if c.MaxDuration > 0 && f.duration > c.MaxDuration {
		return Speech{}, fmt.Errorf("%w: over %s, limit %s", ErrTooLong, c.MaxDuration, c.MaxDuration)
	}
	return Speech{
		WAV:                canonicalWAV(stdout.Bytes(), f),
		Duration:           f.duration,
		Language:           a.Language,
		PlatformTranscript: a.PlatformTranscript,
	}, nil
}

// isMP4 tells by the format name or by the ftyp box that starts every
// ISO-BMFF file (Slack sends audio clips as M4A).
func isMP4(a Audio) bool {
	switch strings.ToLower(a.Format) {
	case "m4a", "mp4", "mov", "3gp", "3gpp":
		return true
	}
	return len(a.Data) >= 8 && string(a.Data[4:8]) == "ftyp"
}

func (c *Converter) stage(data []byte) (string, error) {
	name, err := writeTemp(c.TempDir, "perfbot-voice-*.m4a", data)
	if err != nil {
		return "", fmt.Errorf("voice: stage audio: %w", err)
	}
	return name, nil
}

// tailBuffer keeps the last max bytes written to it: a tool's last words
// are the ones that say what went wrong, and its chatter must not grow
// without bound.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = t.buf[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) lastLine() string {
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
