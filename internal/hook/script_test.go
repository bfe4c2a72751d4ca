package hook_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/hook"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// docScript returns the perfbot_send function exactly as docs/hooks.md
// shows it.
func docScript(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/hooks.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "<!-- perfbot_send:begin -->\n```bash\n")
	require.True(t, ok, "docs/hooks.md lost its perfbot_send:begin marker")
	script, _, ok := strings.Cut(rest, "```\n<!-- perfbot_send:end -->")
	require.True(t, ok, "docs/hooks.md lost its perfbot_send:end marker")
	require.Contains(t, script, "perfbot_send() {")
	return script
}

// The shell function in the docs signs requests perfbot takes. It runs
// with the real clock, as date +%s does.
func TestDocScript(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: %v", tool, err)
		}
	}
	script := docScript(t)

	st, err := sqlstore.Open(t.Context(), "sqlite::memory:", time.Now)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	ppl := seed(t, st)
	p := &recorder{}
	h, err := hook.New(hook.Options{
		Secrets: map[string]string{"gitlab": secret}, People: st, Replay: st,
		Prompter: p, Clock: time.Now, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	send := func(body string) (string, error) {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script+"\nperfbot_send \"$1\"\n", "bash", body)
		cmd.Env = append(os.Environ(), "PERFBOT_URL="+srv.URL, "PERFBOT_HOOK_SOURCE=gitlab", "PERFBOT_HOOK_SECRET="+secret)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}

	// Quotes, a backslash, a % and non-ASCII text must survive printf.
	title := `Merged "fix: 100% \n of 报表" in 'billing'`
	out, err := send(`{"person": "slack:U123", "kind": "merge_request_merged", "title": "Merged \"fix: 100% \\n of 报表\" in 'billing'"}`)
	require.NoError(t, err, out)
	require.JSONEq(t, `{"status":"accepted"}`, out)
	events := p.taken()
	require.Len(t, events, 1)
	require.Equal(t, hook.Event{PersonID: ppl["ada"].ID, Source: "gitlab", Kind: "merge_request_merged", Title: title}, events[0])

	out, err = send(`{"person": "nobody@example.com", "kind": "deal_won", "title": "x"}`)
	require.Error(t, err, "a refused event fails the script")
	require.Contains(t, out, `"field":"person"`)
}
