package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

var linkRE = regexp.MustCompile(`https?://\S+/dashboard/login\?t=\S+`)

// A manager types "dashboard" in chat, opens the link, signs in and sees
// their team; the link does not work twice.
func TestDashboardFromChat(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	s.say("li.wei", "看板")
	var link string
	require.Eventually(t, func() bool {
		for _, e := range s.dm("li.wei") {
			if e.From == "" && link == "" {
				link = linkRE.FindString(e.Text)
			}
		}
		return link != ""
	}, 10*time.Second, 20*time.Millisecond, "the link arrives in chat")
	require.True(t, strings.HasPrefix(link, s.base+"/dashboard/login?t="), link)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar}
	res, err := c.Get(link)
	require.NoError(t, err)
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(page), "打开我的看板")

	token, err := url.Parse(link)
	require.NoError(t, err)
	login := func() *http.Response {
		req, err := http.NewRequest(http.MethodPost, s.base+"/dashboard/login", strings.NewReader(url.Values{"t": {token.Query().Get("t")}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.base)
		res, err := c.Do(req)
		require.NoError(t, err)
		return res
	}
	res = login()
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "signed in and sent on to the dashboard")
	require.Contains(t, string(body), "周报参与度")
	require.Contains(t, string(body), "你和你的所有下属")

	res = login()
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, "a link signs in once")
	require.Equal(t, 0, s.stop(), s.stderr.String())
}

// A team turns the weekly digest off, and on again.
func TestTeamWeeklyDigest(t *testing.T) {
	vars := sqliteVars(t)
	rules := func() store.TeamRules {
		st, err := sqlstore.Open(t.Context(), vars["PERFBOT_DATABASE_URL"], time.Now)
		require.NoError(t, err)
		defer st.Close()
		team, err := st.TeamByName(t.Context(), "Core")
		require.NoError(t, err)
		return team.Rules
	}
	code, _, stderr := perfbot(t, vars, "team", "set", "Core", "--create", "--weekly-digest", "false")
	require.Equal(t, 0, code, stderr)
	require.True(t, rules().NoWeeklyDigest)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--weekly-digest", "true")
	require.Equal(t, 0, code, stderr)
	require.False(t, rules().NoWeeklyDigest)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--weekly-digest", "sometimes")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `--weekly-digest "sometimes": want true or false`)
}
