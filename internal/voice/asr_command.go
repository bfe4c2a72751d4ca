package voice

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Command transcribes with a local program such as pocketsphinx or a
// whisper.cpp binary. Args is the command line split on spaces: "{wav}"
// in an argument becomes the path of a temporary WAV file (removed
// afterwards), "{lang}" the language ("en", "zh"); without "{wav}" the WAV
// goes to the program's stdin. The transcript is what it prints on stdout:
// plain lines, whisper.cpp's "[00:00.000 --> 00:02.000] text" lines, or
// pocketsphinx 5's JSON lines ({"t": "text", ...}).
type Command struct {
	Args    []string
	Timeout time.Duration
	// TempDir is where the WAV is written; empty means os.TempDir().
	TempDir string
}

// NewCommand parses a command line like "pocketsphinx_continuous -infile {wav}".
func NewCommand(line string, timeout time.Duration) *Command {
	return &Command{Args: strings.Fields(line), Timeout: timeout}
}

// Name implements Transcriber.
func (c *Command) Name() string {
	if len(c.Args) == 0 {
		return "command"
	}
	return "command:" + c.Args[0]
}

// Transcribe implements Transcriber.
func (c *Command) Transcribe(ctx context.Context, s Speech) (Transcript, error) {
	if len(c.Args) == 0 {
		return Transcript{}, fmt.Errorf("%w: no command", ErrNotApplicable)
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	wavPath := ""
	if slices.ContainsFunc(c.Args, func(a string) bool { return strings.Contains(a, "{wav}") }) {
		path, err := c.writeWAV(s.WAV)
		if err != nil {
			return Transcript{}, err
		}
		defer os.Remove(path)
		wavPath = path
	}
	lang := isoLanguage(orDefault(s.Language, "en"))
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = strings.NewReplacer("{wav}", wavPath, "{lang}", lang).Replace(a)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if wavPath == "" {
		cmd.Stdin = bytes.NewReader(s.WAV)
	}
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 2048}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return Transcript{}, fmt.Errorf("%s: %w", args[0], ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return Transcript{}, fmt.Errorf("%s: %v: %s", args[0], err, stderr.lastLine())
	}
	if err != nil {
		return Transcript{}, err
	}
	return Transcript{Text: parseTranscript(stdout.Bytes()), Language: s.Language}, nil
}

func (c *Command) writeWAV(wav []byte) (string, error) {
	name, err := writeTemp(c.TempDir, "perfbot-voice-*.wav", wav)
	if err != nil {
		return "", fmt.Errorf("write wav: %w", err)
	}
	return name, nil
}

// whisperTimestamp is the "[00:00:00.000 --> 00:00:04.000]" whisper.cpp
// puts before each segment unless run with -nt.
var whisperTimestamp = regexp.MustCompile(`^\[[0-9:.]+ --> [0-9:.]+\]\s*`)

// parseTranscript joins the lines a recogniser printed, one per
// utterance, into one text.
func parseTranscript(out []byte) string {
	var parts []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "{") {
			var utt struct {
				T *string `json:"t"`
			}
			if json.Unmarshal([]byte(line), &utt) == nil && utt.T != nil {
				line = *utt.T
			}
		}
		line = strings.TrimSpace(whisperTimestamp.ReplaceAllString(line, ""))
		if line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
