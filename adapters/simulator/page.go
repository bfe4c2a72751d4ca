package simulator

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"net/http"
)

// ui is the page: one HTML file with its CSS and script inline, so there is
// nothing to build and nothing to fetch from the internet.
//
//go:embed ui/index.html
var ui embed.FS

// pageHandler serves the page under a Content-Security-Policy that runs its
// one script (by hash) and nothing else: even if a message's text reached
// the DOM as markup, it could not run.
func pageHandler() http.Handler {
	page, err := ui.ReadFile("ui/index.html")
	if err != nil {
		panic(fmt.Sprintf("simulator: embedded page: %v", err)) // cannot happen: it is compiled in
	}
	csp := "default-src 'none'; " +
		"script-src " + scriptHash(page) + "; " +
		"style-src 'unsafe-inline'; " +
		"img-src data:; " +
		"connect-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
}

// scriptHash returns the CSP source for the page's inline script.
func scriptHash(page []byte) string {
	_, rest, ok := bytes.Cut(page, []byte("<script>"))
	if !ok {
		return "'none'"
	}
	script, _, _ := bytes.Cut(rest, []byte("</script>"))
	sum := sha256.Sum256(script)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
