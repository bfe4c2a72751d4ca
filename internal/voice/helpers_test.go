package voice

import (
	"bufio"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The spoken check-in the end-to-end test and the benchmarks use.
const spokenCheckIn = "This week I finished the billing migration. I am blocked by the missing API keys from the vendor. Next week I will start the reporting dashboard."

// requireTools fails, rather than skips, when the tools are missing: a
// skipped test would let a broken voice pipeline through CI.
func requireTools(tb testing.TB, tools ...string) {
	tb.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Fatalf("%s is not installed: run scripts/ensure-tools.sh (make test does)", tool)
		}
	}
}

func run(tb testing.TB, name string, args ...string) {
	tb.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(tb, err, "%s %s: %s", name, strings.Join(args, " "), out)
}

// speak has espeak-ng say text into a WAV file (22 kHz, as espeak makes it).
func speak(tb testing.TB, dir, text string) string {
	tb.Helper()
	requireTools(tb, "espeak-ng")
	path := filepath.Join(dir, "speech.wav")
	run(tb, "espeak-ng", "-v", "en-us", "-s", "130", "-w", path, text)
	return path
}

// encode converts a file with ffmpeg; args are the output options. An
// input with "=" in it is a lavfi source such as "anullsrc=r=8000".
func encode(tb testing.TB, in, out string, args ...string) []byte {
	tb.Helper()
	requireTools(tb, "ffmpeg")
	input := []string{"-i", in}
	if strings.Contains(in, "=") {
		input = []string{"-f", "lavfi", "-i", in}
	}
	run(tb, "ffmpeg", append(append(append([]string{"-hide_banner", "-loglevel", "error", "-y"}, input...), args...), out)...)
	b, err := os.ReadFile(out)
	require.NoError(tb, err)
	return b
}

// toAMR makes AMR-NB at 8 kHz, 12.2 kbit/s: what WeCom sends.
func toAMR(tb testing.TB, wav string) []byte {
	return encode(tb, wav, strings.TrimSuffix(wav, ".wav")+".amr", "-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb", "-b:a", "12.2k")
}

// checkInLM writes a bigram language model for pocketsphinx, built from
// testdata/corpus.txt: check-in sentences that use the test's words in
// other sentences (the spoken check-in itself is not in it). The generic
// US English model that comes with pocketsphinx hears almost nothing right
// in espeak's voice through an 8 kHz AMR codec; a model of the domain's
// language is what a deployment of pocketsphinx would use anyway.
func checkInLM(tb testing.TB, dir string) string {
	tb.Helper()
	f, err := os.Open("testdata/corpus.txt")
	require.NoError(tb, err)
	defer f.Close()
	uni := map[string]float64{}
	bi := map[[2]string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		if len(words) == 0 {
			continue
		}
		words = append(append([]string{"<s>"}, words...), "</s>")
		for i, w := range words {
			uni[w]++
			if i > 0 {
				bi[[2]string{words[i-1], w}]++
			}
		}
	}
	require.NoError(tb, sc.Err())

	// Absolute discounting with back-off to an interpolated unigram.
	const discount = 0.5
	total := 0.0
	for w, c := range uni {
		if w != "<s>" {
			total += c
		}
	}
	p1 := map[string]float64{}
	for w, c := range uni {
		if w == "<s>" {
			c = 0
		}
		p1[w] = 0.9*c/total + 0.1/float64(len(uni))
	}
	follows := map[string][]string{}
	for pair := range bi {
		follows[pair[0]] = append(follows[pair[0]], pair[1])
	}
	backoff := map[string]float64{}
	for a, bs := range follows {
		seen, mass := 0.0, 0.0
		for _, b := range bs {
			seen += bi[[2]string{a, b}]
			mass += p1[b]
		}
		backoff[a] = discount * float64(len(bs)) / seen / (1 - mass)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\\data\\\nngram 1=%d\nngram 2=%d\n\n\\1-grams:\n", len(uni), len(bi))
	for _, w := range slices.Sorted(maps.Keys(uni)) {
		lp := math.Log10(p1[w])
		if w == "<s>" {
			lp = -99
		}
		fmt.Fprintf(&b, "%.4f %s", lp, w)
		if bo, ok := backoff[w]; ok {
			fmt.Fprintf(&b, " %.4f", math.Log10(bo))
		}
		b.WriteByte('\n')
	}
	b.WriteString("\n\\2-grams:\n")
	for a, bs := range follows {
		seen := 0.0
		for _, w := range bs {
			seen += bi[[2]string{a, w}]
		}
		for _, w := range bs {
			fmt.Fprintf(&b, "%.4f %s %s\n", math.Log10((bi[[2]string{a, w}]-discount)/seen), a, w)
		}
	}
	b.WriteString("\n\\end\\\n")
	path := filepath.Join(dir, "checkin.arpa")
	require.NoError(tb, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// pocketsphinx is the local command for Debian bookworm's pocketsphinx
// 0.8 (pocketsphinx 5's "pocketsphinx single {wav}" does not exist there).
func pocketsphinx(tb testing.TB, dir string) *Command {
	requireTools(tb, "pocketsphinx_continuous")
	cmd := NewCommand("pocketsphinx_continuous -infile {wav} -lm "+checkInLM(tb, dir), time.Minute)
	cmd.TempDir = dir
	return cmd
}

// fakeClock answers every wait at once and remembers how long it was
// asked to wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// dirEntries lists what is left in a directory.
func dirEntries(tb testing.TB, dir string) []string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(tb, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
