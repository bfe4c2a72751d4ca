package dashboard_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dashboard"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
	"github.com/perfbot/perfbot/internal/testdb"
)

// now is a Thursday of 2026-W49.
var now = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// org is the company of the tests: ceo > mgrA > (emp1, emp2), ceo > mgrB
// > emp3; hr and admin beside them.
type org struct {
	ceo, mgrA, mgrB, emp1, emp2, emp3, hr, admin bot.Person
}

func seed(t testing.TB, st store.Store) org {
	ctx := t.Context()
	one := store.Team{Name: "Platform"}
	two := store.Team{Name: "增长 Growth"}
	require.NoError(t, st.SaveTeam(ctx, &one))
	require.NoError(t, st.SaveTeam(ctx, &two))
	save := func(p bot.Person) bot.Person {
		require.NoError(t, st.SavePerson(ctx, &p))
		return p
	}
	var o org
	o.ceo = save(bot.Person{Name: "Chen CEO", Roles: []bot.Role{bot.RoleManager}})
	o.mgrA = save(bot.Person{Name: "Anna Manager", ManagerID: o.ceo.ID, Roles: []bot.Role{bot.RoleManager}})
	o.mgrB = save(bot.Person{Name: "Bo Manager", ManagerID: o.ceo.ID, Roles: []bot.Role{bot.RoleManager}, Locale: bot.LocaleZH})
	o.emp1 = save(bot.Person{Name: "Emil One", ManagerID: o.mgrA.ID, TeamID: one.ID})
	o.emp2 = save(bot.Person{Name: "Erin Two", ManagerID: o.mgrA.ID, TeamID: one.ID})
	o.emp3 = save(bot.Person{Name: "张三", ManagerID: o.mgrB.ID, TeamID: two.ID, Locale: bot.LocaleZH})
	o.hr = save(bot.Person{Name: "Wang HR", Roles: []bot.Role{bot.RoleHR}})
	o.admin = save(bot.Person{Name: "Ada Admin", Roles: []bot.Role{bot.RoleAdmin}})
	for i, p := range []bot.Person{o.emp1, o.emp2, o.emp3} {
		for w, period := range []string{"2026-W47", "2026-W48", "2026-W49"} {
			r, _, err := st.OpenRound(ctx, store.Round{PersonID: p.ID, TeamID: p.TeamID, Period: period, OpenedAt: now.AddDate(0, 0, -7*(2-w))})
			require.NoError(t, err)
			if (i+w)%3 != 2 {
				r.Status, r.Mood, r.SubmittedAt = store.StatusSubmitted, 3+i%3, now.AddDate(0, 0, -7*(2-w)).Add(-80*time.Hour)
				require.NoError(t, st.SaveRound(ctx, &r))
			}
		}
	}
	fb := store.Feedback{Kind: store.FeedbackPraise, GiverID: o.emp1.ID, RecipientID: o.emp3.ID, Value: "Ownership", Points: 1, Public: true, CreatedAt: now.Add(-48 * time.Hour)}
	require.NoError(t, st.SaveFeedback(ctx, &fb))
	req := store.FeedbackRequest{RequesterID: o.emp2.ID, AskedID: o.emp1.ID, CreatedAt: now.Add(-100 * time.Hour), AnsweredAt: now.Add(-90 * time.Hour)}
	require.NoError(t, st.SaveFeedbackRequest(ctx, &req))
	return o
}

type fixture struct {
	t     testing.TB
	st    store.Store
	clock *clock
	links *dashboard.Links
	srv   *httptest.Server
	org   org
}

func newFixture(t *testing.T, dbURL string, minGroup int) *fixture {
	f := newServer(t, dbURL, minGroup)
	f.org = seed(t, f.st)
	return f
}

// newServer is the dashboard on an empty store.
func newServer(t testing.TB, dbURL string, minGroup int) *fixture {
	c := &clock{t: now}
	st, err := sqlstore.Open(t.Context(), dbURL, c.now)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	f := &fixture{t: t, st: st, clock: c}
	key, err := seal.NewKey('d', []byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.links, err = dashboard.NewLinks(key, f.srv.URL, st, c.now)
	require.NoError(t, err)
	texts, err := i18n.Load("en")
	require.NoError(t, err)
	h, err := dashboard.New(dashboard.Options{Store: st, Links: f.links, Key: key, Texts: texts, Clock: c.now, MinGroup: minGroup})
	require.NoError(t, err)
	h.Mount(mux)
	return f
}

func sqliteURL(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "perfbot.db") }

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects by itself.
func (f *fixture) client() *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(f.t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (f *fixture) get(c *http.Client, path string) (int, string) {
	res, err := c.Get(f.srv.URL + path)
	require.NoError(f.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(f.t, err)
	return res.StatusCode, string(b)
}

// postLogin sends the sign-in form as the page's own button would.
func (f *fixture) postLogin(c *http.Client, token string) *http.Response {
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+dashboard.LoginPath, strings.NewReader(url.Values{"t": {token}}.Encode()))
	require.NoError(f.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	require.NoError(f.t, err)
	res.Body.Close()
	return res
}

var tokenRE = regexp.MustCompile(`name="t" value="([^"]+)"`)

// signIn follows a fresh link for p as a person would and returns their
// browser, on the overview.
func (f *fixture) signIn(p bot.Person) (*http.Client, string) {
	c := f.client()
	link := f.links.Mint(p.ID)
	require.True(f.t, strings.HasPrefix(link, f.srv.URL+dashboard.LoginPath+"?t="))
	code, body := f.get(c, strings.TrimPrefix(link, f.srv.URL))
	require.Equal(f.t, http.StatusOK, code, body)
	m := tokenRE.FindStringSubmatch(body)
	require.NotNil(f.t, m, body)
	res := f.postLogin(c, unescape(m[1]))
	require.Equal(f.t, http.StatusSeeOther, res.StatusCode)
	code, body = f.get(c, dashboard.BasePath)
	require.Equal(f.t, http.StatusOK, code, body)
	return c, body
}

func unescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

func backends() map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return sqliteURL(t) },
		"postgres": func(t *testing.T) string { return testdb.Postgres(t) },
	}
}

// TestViewerMatrix signs each kind of viewer in and checks whom their pages
// name: nobody sees more than they may.
func TestViewerMatrix(t *testing.T) {
	for name, db := range backends() {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, db(t), 2)
			o := f.org
			everyone := []string{o.emp1.Name, o.emp2.Name, o.emp3.Name}
			cases := []struct {
				name        string
				viewer      bot.Person
				sees, hides []string
				scope       string
			}{
				{"employee", o.emp1, []string{o.emp1.Name}, []string{o.emp2.Name, o.emp3.Name}, "your own page"},
				{"manager", o.mgrA, []string{o.emp2.Name, "Platform"}, []string{o.emp3.Name, "增长 Growth</td><td>2026"}, "you and everyone who reports to you"},
				{"peer manager", o.mgrB, []string{o.emp3.Name}, []string{o.emp1.Name + "</td>", o.emp2.Name}, "你和你的所有下属"},
				{"skip-level", o.ceo, everyone, nil, "you and everyone who reports to you"},
				{"hr", o.hr, everyone, nil, "the whole company"},
				{"admin without hr", o.admin, nil, everyone, "your own page"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					_, body := f.signIn(c.viewer)
					require.Contains(t, body, c.scope)
					for _, s := range c.sees {
						require.True(t, strings.Contains(body, s), "%s does not see %q", c.name, s)
					}
					for _, s := range c.hides {
						require.False(t, strings.Contains(body, s), "%s sees %q", c.name, s)
					}
					require.NotContains(t, body, "<script", "the pages need no JavaScript")
					require.NotRegexp(t, `(src|href)="(https?:)?//`, body, "nothing is loaded from another host")
				})
			}
		})
	}
}

func TestLinks(t *testing.T) {
	f := newFixture(t, sqliteURL(t), 5)
	token := func(link string) string {
		u, err := url.Parse(link)
		require.NoError(t, err)
		return u.Query().Get("t")
	}
	t.Run("reused", func(t *testing.T) {
		tok := token(f.links.Mint(f.org.mgrA.ID))
		require.Equal(t, http.StatusSeeOther, f.postLogin(f.client(), tok).StatusCode)
		res := f.postLogin(f.client(), tok)
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
		require.Empty(t, res.Cookies(), "no session for a used link")
	})
	t.Run("expired", func(t *testing.T) {
		tok := token(f.links.Mint(f.org.mgrA.ID))
		f.clock.add(dashboard.LinkLifetime + time.Second)
		defer f.clock.add(-dashboard.LinkLifetime - time.Second)
		res := f.postLogin(f.client(), tok)
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
		code, body := f.get(f.client(), dashboard.LoginPath+"?t="+url.QueryEscape(tok))
		require.Equal(t, http.StatusUnauthorized, code)
		require.Contains(t, body, "expired")
	})
	t.Run("forged", func(t *testing.T) {
		tok := token(f.links.Mint(f.org.emp1.ID))
		// The same token naming HR instead of the employee.
		forged := strings.Replace(tok, itoa(f.org.emp1.ID)+".", itoa(f.org.hr.ID)+".", 1)
		require.NotEqual(t, tok, forged)
		for _, bad := range []string{forged, "", "1.AAAA", tok[:len(tok)-1] + "x"} {
			res := f.postLogin(f.client(), bad)
			require.Equal(t, http.StatusUnauthorized, res.StatusCode, bad)
			require.Empty(t, res.Cookies())
		}
	})
	t.Run("preview spends nothing", func(t *testing.T) {
		link := f.links.Mint(f.org.mgrA.ID)
		for range 2 {
			code, _ := f.get(f.client(), strings.TrimPrefix(link, f.srv.URL))
			require.Equal(t, http.StatusOK, code)
		}
		require.Equal(t, http.StatusSeeOther, f.postLogin(f.client(), token(link)).StatusCode)
	})
	t.Run("cross-origin sign-in refused", func(t *testing.T) {
		tok := token(f.links.Mint(f.org.mgrA.ID))
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+dashboard.LoginPath, strings.NewReader("t="+url.QueryEscape(tok)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := f.client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusForbidden, res.StatusCode)
		require.Equal(t, http.StatusSeeOther, f.postLogin(f.client(), tok).StatusCode, "the refused request did not spend the link")
	})
	t.Run("cookie", func(t *testing.T) {
		res := f.postLogin(f.client(), token(f.links.Mint(f.org.mgrA.ID)))
		require.Len(t, res.Cookies(), 1)
		c := res.Cookies()[0]
		require.True(t, c.HttpOnly)
		require.Equal(t, http.SameSiteStrictMode, c.SameSite)
		require.False(t, c.Secure, "plain HTTP here: a Secure cookie would never come back")
		require.Equal(t, dashboard.BasePath, c.Path)
	})
	t.Run("no session", func(t *testing.T) {
		for _, p := range []string{dashboard.BasePath, dashboard.BasePath + "export/participation.csv"} {
			code, body := f.get(f.client(), p)
			require.Equal(t, http.StatusUnauthorized, code)
			require.Contains(t, body, "type dashboard")
			require.NotContains(t, body, f.org.emp1.Name)
		}
	})
	t.Run("forged cookie", func(t *testing.T) {
		c := f.client()
		u, err := url.Parse(f.srv.URL + dashboard.BasePath)
		require.NoError(t, err)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "perfbot_dashboard", Value: itoa(f.org.hr.ID)}})
		code, _ := f.get(c, dashboard.BasePath)
		require.Equal(t, http.StatusUnauthorized, code)
	})
	t.Run("signed out", func(t *testing.T) {
		c, _ := f.signIn(f.org.mgrA)
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+dashboard.BasePath+"logout", nil)
		require.NoError(t, err)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		code, _ := f.get(c, dashboard.BasePath)
		require.Equal(t, http.StatusUnauthorized, code)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestExportsAreWhatIsShown compares each download with the table on the
// page.
func TestExportsAreWhatIsShown(t *testing.T) {
	f := newFixture(t, sqliteURL(t), 2)
	seedGoals(t, f.st, f.org)
	c, body := f.signIn(f.org.hr)
	for _, view := range []string{"participation", "feedback", "warnings", "kudos", "mood", "goals"} {
		t.Run(view, func(t *testing.T) {
			shown := tableOf(t, body, view)
			require.NotEmpty(t, shown)
			code, csvBody := f.get(c, dashboard.BasePath+"export/"+view+".csv")
			require.Equal(t, http.StatusOK, code)
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
			require.NoError(t, err)
			require.Equal(t, shown, records)

			res, err := c.Get(f.srv.URL + dashboard.BasePath + "export/" + view + ".xlsx")
			require.NoError(t, err)
			defer res.Body.Close()
			x, err := excelize.OpenReader(res.Body)
			require.NoError(t, err)
			rows, err := x.GetRows(x.GetSheetName(0))
			require.NoError(t, err)
			for i := range rows {
				for len(rows[i]) < len(shown[i]) {
					rows[i] = append(rows[i], "")
				}
			}
			require.Equal(t, shown, rows)
		})
	}
}

var (
	cellRE = regexp.MustCompile(`<t[hd][^>]*>(.*?)</t[hd]>`)
	rowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
)

// tableOf reads the table of section id from a page.
func tableOf(t *testing.T, page, id string) [][]string {
	start := strings.Index(page, `<section id="`+id+`"`)
	require.NotEqual(t, -1, start, id)
	sec := page[start:]
	sec = sec[:strings.Index(sec, "</section>")]
	var out [][]string
	for _, r := range rowRE.FindAllStringSubmatch(sec, -1) {
		var row []string
		for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
			row = append(row, unescape(c[1]))
		}
		out = append(out, row)
	}
	return out
}

// TestMoodPrivacy shows a group's mood only when it is large enough, and
// a person's own mood to them.
func TestMoodPrivacy(t *testing.T) {
	f := newFixture(t, sqliteURL(t), 5)
	_, body := f.signIn(f.org.mgrA)
	mood := tableOf(t, body, "mood")
	require.Contains(t, mood[1], "hidden", "two people are fewer than five")
	require.NotRegexp(t, `^\d\.\d$`, strings.Join(mood[1][1:], " "))
	_, body = f.signIn(f.org.emp1)
	mood = tableOf(t, body, "mood")
	require.Regexp(t, `\d\.\d`, strings.Join(mood[1][1:], " "), "a person sees their own mood")
}
