package simulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

func getPage(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func TestPageIsServedWithAStrictPolicy(t *testing.T) {
	srv := serve(t, newAdapter(simulator.Options{}), &recorder{})
	res, page := getPage(t, srv.URL+"/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))

	// Exactly one script, inline, allowed by its hash and nothing else.
	require.Equal(t, 1, strings.Count(page, "<script"))
	script := page[strings.Index(page, "<script>")+len("<script>") : strings.Index(page, "</script>")]
	sum := sha256.Sum256([]byte(script))
	csp := res.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"';")
	require.Contains(t, csp, "default-src 'none'")
	require.Contains(t, csp, "connect-src 'self'")

	// Nothing from the internet.
	require.NotRegexp(t, `(?i)(src|href)=["']?(https?:)?//`, page)
	// Chrome in both languages.
	require.Contains(t, page, "Talking as · 当前身份")
	require.Contains(t, page, "Send · 发送")

	// Only "/" is the page: the rest of the mux is perfbot's.
	res, _ = getPage(t, srv.URL+"/elsewhere")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

// The page must never parse text as markup. Rather than trust a reviewer,
// the script is checked for every DOM API that would.
func TestPageWritesTextOnly(t *testing.T) {
	srv := serve(t, newAdapter(simulator.Options{}), &recorder{})
	_, page := getPage(t, srv.URL+"/")
	script := page[strings.Index(page, "<script>"):strings.Index(page, "</script>")]

	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser",
		"createContextualFragment", "srcdoc", "eval(", "new Function", "setHTML"} {
		require.NotContains(t, script, sink)
	}
	require.Contains(t, script, "textContent")
	// setAttribute is used for ARIA state only, never with message data.
	for _, m := range regexp.MustCompile(`setAttribute\("([^"]+)"`).FindAllStringSubmatch(script, -1) {
		require.Equal(t, "aria-current", m[1])
	}
}

// What people type reaches the browser as JSON text, and markup in it stays
// text: the API never turns it into HTML.
func TestMarkupStaysText(t *testing.T) {
	const attack = `<img src=x onerror=alert(1)>`
	a := newAdapter(simulator.Options{})
	srv := serve(t, a, bot.HandlerFunc(func(ctx context.Context, ev bot.Event) error {
		_, err := a.Send(ctx, bot.Message{To: channel("team"), Title: ev.Text, Text: "Wei said: " + ev.Text})
		return err
	}))

	status, _ := post(t, srv.URL+"/api/conversations/wei/messages", map[string]string{"text": attack})
	require.Equal(t, http.StatusOK, status)

	res, body := getPage(t, srv.URL+"/api/conversations/alice")
	require.Equal(t, "application/json; charset=utf-8", res.Header.Get("Content-Type"))
	require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	require.NotContains(t, body, "<img", "not even as raw bytes a sniffing browser could render")
	require.Equal(t, "Wei said: "+attack, a.Channel("team")[0].Text)
	require.Equal(t, attack, a.DM("wei")[0].Text)
}
