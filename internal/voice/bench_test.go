package voice

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// About a minute of speech: the check-in six times over.
var minuteOfCheckIns = strings.Repeat(spokenCheckIn+" ", 6)

// minuteAMR speaks minuteOfCheckIns and encodes it as WeCom would.
func minuteAMR(b *testing.B) []byte {
	return toAMR(b, speak(b, b.TempDir(), minuteOfCheckIns))
}

// reportPerAudioMinute reports the time one op took per minute of audio.
func reportPerAudioMinute(b *testing.B, start time.Time, audio time.Duration) {
	perOp := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(perOp/audio.Minutes(), "s/audio-min")
}

func BenchmarkConvertAMR(b *testing.B) {
	amr := minuteAMR(b)
	c := &Converter{MaxDuration: DefaultMaxDuration, MaxBytes: DefaultMaxBytes}
	ctx := context.Background()
	s, err := c.Convert(ctx, Audio{Data: amr, Format: "amr"})
	require.NoError(b, err)
	start := time.Now()
	for b.Loop() {
		if _, err := c.Convert(ctx, Audio{Data: amr, Format: "amr"}); err != nil {
			b.Fatal(err)
		}
	}
	reportPerAudioMinute(b, start, s.Duration)
}

func BenchmarkPocketsphinx(b *testing.B) {
	amr := minuteAMR(b)
	ctx := context.Background()
	s, err := (&Converter{}).Convert(ctx, Audio{Data: amr, Format: "amr"})
	require.NoError(b, err)
	for _, tc := range []struct {
		name string
		cmd  *Command
	}{
		{"domain-lm", pocketsphinx(b, b.TempDir())},
		{"generic-lm", NewCommand("pocketsphinx_continuous -infile {wav}", time.Minute)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				if _, err := tc.cmd.Transcribe(ctx, s); err != nil {
					b.Fatal(err)
				}
			}
			reportPerAudioMinute(b, start, s.Duration)
		})
	}
}

func BenchmarkOffline(b *testing.B) {
	// A minute of speech as pocketsphinx prints it: no punctuation.
	text := strings.ToLower(strings.NewReplacer(".", "").Replace(minuteOfCheckIns))
	ctx := context.Background()
	start := time.Now()
	for b.Loop() {
		if _, err := (Offline{}).Summarise(ctx, Transcript{Text: text}, CheckIn); err != nil {
			b.Fatal(err)
		}
	}
	// espeak-ng at 130 words a minute, as minuteAMR speaks it.
	words := float64(len(strings.Fields(text)))
	reportPerAudioMinute(b, start, time.Duration(words/130*float64(time.Minute)))
}
