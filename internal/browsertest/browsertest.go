// Package browsertest drives a headless Chromium for the tests of perfbot's
// web pages (the chat simulator): open a page at a given window size, run
// a script in it, wait for what it should show, and keep screenshots to
// look at.
//
// Chromium comes from the system (scripts/ensure-tools.sh installs
// Debian's); PERFBOT_CHROMIUM names another binary. Screenshots go to
// PERFBOT_SCREENSHOTS when it names a folder, else to the test's temporary
// folder.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Timeout is how long Wait waits, and the whole page's deadline is a
// multiple of it.
const Timeout = 15 * time.Second

// Page is one browser tab.
type Page struct {
	t   *testing.T
	ctx context.Context
}

// binary finds Chromium, or fails the test saying how to get it.
func binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PERFBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	require.FailNow(t, "no Chromium: run scripts/ensure-tools.sh (apt-get install chromium) or set PERFBOT_CHROMIUM")
	return ""
}

// Open starts a headless Chromium with a window of width x height CSS
// pixels and loads url. The browser is closed when the test ends.
func Open(t *testing.T, url string, width, height int) Page {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(binary(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 20*Timeout)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	p := Page{t: t, ctx: ctx}
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)), chromedp.Navigate(url)))
	return p
}

// Eval runs a JavaScript expression and decodes its value into out (nil
// to drop it).
func (p Page) Eval(js string, out any) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](js))
	require.NoError(p.t, err, js)
	if out != nil {
		require.NoError(p.t, json.Unmarshal(raw, out), "%s gave %s", js, raw)
	}
}

// Wait waits until the JavaScript expression js is true, failing the test
// with why after Timeout.
func (p Page) Wait(js, why string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void]("!!("+js+")",
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(Timeout)))
	if err != nil {
		p.Shot("timeout")
		var body string
		p.Eval(`document.body.innerText`, &body)
		require.FailNow(p.t, "the page never showed it", "%s (%v); the page reads:\n%s", why, err, body)
	}
}

// Follow clicks the element sel names (a CSS selector), which leads to
// another page, and waits for an element of that page, then. Wait's
// script would lose its page to the navigation; a DOM query does not.
func (p Page) Follow(sel, then string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Click(sel), chromedp.WaitReady(then))
	require.NoError(p.t, err, "click %s, then %s", sel, then)
}

// Shot saves a screenshot of the window as name.png and returns its path.
func (p Page) Shot(name string) string {
	p.t.Helper()
	dir := os.Getenv("PERFBOT_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	}
	require.NoError(p.t, os.MkdirAll(dir, 0o755))
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	require.NoError(p.t, err)
	path := filepath.Join(dir, fmt.Sprintf("%s-%s.png", filepath.Base(p.t.Name()), name))
	require.NoError(p.t, os.WriteFile(path, png, 0o644))
	p.t.Logf("screenshot: %s", path)
	return path
}
