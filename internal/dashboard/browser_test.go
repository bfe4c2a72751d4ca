package dashboard_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/browsertest"
)

// HR follows a link from chat in a real browser: the sign-in button, then
// every view, with nothing fetched from anywhere but perfbot. Screenshots
// of the top of the page and of the goals are kept to look at.
func TestBrowserDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	f := newFixture(t, sqliteURL(t), 2)
	seedGoals(t, f.st, f.org)
	p := browsertest.Open(t, f.links.Mint(f.org.hr.ID), 1280, 900)
	p.Wait(`document.querySelector('form button, form input[type=submit]')`, "the sign-in button")
	p.Follow(`form button, form input[type=submit]`, `section#goals`)
	for _, id := range []string{"participation", "feedback", "goals", "warnings", "kudos", "broadcasts", "mood"} {
		var text string
		p.Eval(`(document.querySelector('section#`+id+`') || {innerText: ''}).innerText`, &text)
		require.NotEmpty(t, strings.TrimSpace(text), "section %s", id)
	}
	var goals string
	p.Eval(`document.querySelector('section#goals').innerText`, &goals)
	for _, s := range []string{"Grow the business", "↳ Ship billing", "24 / 30 tickets", "At risk", "Key results slipping"} {
		require.Contains(t, goals, s)
	}
	var hosts []string
	p.Eval(`performance.getEntriesByType('resource').map(e => new URL(e.name).host).concat([location.host])`, &hosts)
	for _, h := range hosts {
		require.True(t, strings.HasPrefix(h, "127.0.0.1:"), "a request to %s", h)
	}
	p.Shot("top")
	p.Eval(`document.querySelector('section#goals').scrollIntoView()`, nil)
	p.Shot("goals")
}
