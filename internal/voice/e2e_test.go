package voice

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEndToEndWeComAMR speaks a check-in with espeak-ng, encodes it as
// WeCom does (AMR-NB, 8 kHz), and runs the whole pipeline on it: ffmpeg
// back to 16 kHz WAV, pocketsphinx, the offline summariser.
func TestEndToEndWeComAMR(t *testing.T) {
	requireTools(t, "ffmpeg", "espeak-ng", "pocketsphinx_continuous")
	dir := t.TempDir()
	amr := toAMR(t, speak(t, dir, spokenCheckIn))
	require.Equal(t, "#!AMR\n", string(amr[:6]))

	work := t.TempDir()
	clock := newFakeClock()
	p := New(DefaultConfig(), WithTranscribers(Platform{}, pocketsphinx(t, dir)), WithTempDir(work), WithClock(clock))
	res, err := p.Process(context.Background(), Audio{Data: amr, Format: "amr", Language: "en"}, CheckIn)
	require.NoError(t, err)
	t.Logf("transcript: %q", res.Transcript.Text)
	t.Logf("done: %q\nblockers: %q\nnext: %q", res.Summary.Done, res.Summary.Blockers, res.Summary.Next)

	require.Equal(t, "command:pocketsphinx_continuous", res.Transcriber)
	require.Equal(t, "offline", res.Summariser)
	require.InDelta(t, 9.5, res.Duration.Seconds(), 3)
	require.Equal(t, clock.Now().Add(DefaultRetention), res.ExpiresAt)
	require.Empty(t, dirEntries(t, work), "the WAV given to pocketsphinx is removed")

	// The recogniser gets words wrong; each answer must still hold words
	// of its own sentence and none of the other two's.
	done := strings.ToLower(res.Summary.Done)
	blockers := strings.ToLower(res.Summary.Blockers)
	next := strings.ToLower(res.Summary.Next)
	requireSome(t, done, "billing", "migration")
	requireSome(t, blockers, "blocked", "api", "keys", "vendor", "missing")
	requireSome(t, next, "reporting", "dashboard")
	requireNone(t, done, "blocked", "api", "keys", "vendor", "reporting", "dashboard")
	requireNone(t, blockers, "billing", "migration", "reporting", "dashboard")
	requireNone(t, next, "billing", "migration", "blocked", "api", "keys", "vendor")
}

func requireSome(t *testing.T, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(text, w) {
			return
		}
	}
	t.Fatalf("%q has none of %v", text, words)
}

func requireNone(t *testing.T, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		require.NotContains(t, text, w)
	}
}
