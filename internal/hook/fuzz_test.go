package hook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/perfbot/perfbot/internal/eventkind"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// fuzzHandler has what authenticate, event and find use.
func fuzzHandler(now time.Time, people People) *Handler {
	kinds := eventkind.Defaults()
	set := map[string]bool{}
	for _, k := range kinds {
		set[k] = true
	}
	return &Handler{secrets: map[string]string{"crm": "crm-secret-0123456789"}, kinds: kinds, kindSet: set,
		people: people, now: func() time.Time { return now }}
}

// FuzzEventBody checks that a body is refused with a reason or read whole,
// that one made from its fields reads back as them, and how the person
// field names someone.
func FuzzEventBody(f *testing.F) {
	for _, b := range []string{
		`{"person": "ada@example.com", "kind": "deal_won", "title": "ACME renewal", "url": "https://crm.example.com/deals/42"}`,
		`{"person": "slack:T01:U123", "kind": "ticket_resolved", "title": "  Line one\nline\ttwo @channel  "}`,
		`{"person": "ada@example.com", "kind": "deal_won", "titel": "typo"}`,
		`{"person": "ada@example.com", "kind": "deal_lost", "title": "x"}`,
		`{"person": "ada@example.com", "kind": "deal_won", "title": "x", "url": "javascript:alert(1)"}`,
		`{"person": "ada@example.com", "kind": "deal_won", "title": 5}`,
		`{"person": null, "kind": "deal_won", "title": "x"}`,
		`{"person": "a@b", "kind": "deal_won", "title": "` + strings.Repeat("长", maxTitle+1) + `"}`,
		`{"person": "a@b", "kind": "deal_won", "title": "\u2028\u0000"}`,
		`[]`, `null`, ``, `{"person": "a@b", "person": "c@d", "kind": "deal_won", "title": "dup"}`,
	} {
		f.Add([]byte(b), "ada@example.com", "ACME renewal", "https://crm.example.com/deals/42")
	}
	for _, ref := range []string{"slack:U123", "slack:T01:U123", "wecom:corp:LiWei", "slack::U1", "slack:T1:", "slack:", "@example.com",
		"ada@", "nobody", "jira:T:U", "slack:U1", "slack:U2", "simulator:a:b:c", "mailto:ada@example.com"} {
		f.Add([]byte(`{}`), ref, "title", "")
	}
	h := fuzzHandler(time.Now(), nil)
	f.Fuzz(func(t *testing.T, body []byte, person, title, link string) {
		p, prob := h.event(signed{source: "crm", body: body})
		checkPayload(t, h, p, prob)
		checkRef(t, person)

		// A body made from the fields is read back as them.
		if !utf8.ValidString(person) || !utf8.ValidString(title) || !utf8.ValidString(link) {
			return // JSON would carry other text
		}
		kind := h.kinds[len(person)%len(h.kinds)]
		fields := map[string]string{"person": person, "kind": kind, "title": title}
		if link != "" {
			fields["url"] = link
		}
		made, err := json.Marshal(fields)
		require.NoError(t, err)
		p, prob = h.event(signed{source: "crm", body: made})
		checkPayload(t, h, p, prob)
		if prob != nil {
			return
		}
		require.Equal(t, strings.TrimSpace(person), p.person)
		require.Equal(t, kind, p.kind)
		require.Equal(t, strings.TrimSpace(link), p.url)
		if plain := strings.TrimSpace(title); plain == oneLine(plain) && !strings.Contains(plain, "@") {
			require.Equal(t, plain, p.title, "a plain one-line title is kept as it is")
		}

		fields["titel"] = title
		made, err = json.Marshal(fields)
		require.NoError(t, err)
		p, prob = h.event(signed{source: "crm", body: made})
		require.Equal(t, payload{}, p)
		require.NotNil(t, prob, "unknown fields are refused")
		require.Equal(t, "titel", prob.field)
	})
}

// checkPayload checks that a body was either refused, with a reason, or
// read whole.
func checkPayload(t *testing.T, h *Handler, p payload, prob *problem) {
	t.Helper()
	if prob != nil {
		require.Equal(t, payload{}, p, "a refused body gives nothing")
		require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, prob.status)
		require.NotEmpty(t, prob.msg)
		if prob.status == http.StatusUnprocessableEntity {
			require.NotEmpty(t, prob.field, "the sender learns which field is wrong")
		}
		return
	}
	require.NotEmpty(t, p.person)
	require.Equal(t, strings.TrimSpace(p.person), p.person)
	require.True(t, h.kindSet[p.kind], p.kind)
	require.NotEmpty(t, p.title)
	require.LessOrEqual(t, utf8.RuneCountInString(p.title), maxTitle)
	require.Equal(t, oneLine(p.title), p.title, "a title is one line")
	require.Equal(t, bot.Neutralize(p.title), p.title, "and mentions no one in bulk")
	if p.url != "" {
		u, err := url.Parse(p.url)
		require.NoError(t, err)
		require.Contains(t, []string{"http", "https"}, u.Scheme)
		require.NotEmpty(t, u.Host)
		require.LessOrEqual(t, len(p.url), maxURL)
	}
}

// FuzzAuthenticate checks the request signature: what Sign made is taken,
// a change to any byte of the body or the signature, or to the timestamp,
// is refused.
func FuzzAuthenticate(f *testing.F) {
	f.Add([]byte(`{"person": "ada@example.com", "kind": "deal_won", "title": "ACME renewal"}`), int64(0), "crm", uint16(0), byte(1))
	f.Add([]byte(""), int64(-299), "crm", uint16(9), byte(0x20))
	f.Add([]byte("x"), int64(301), "other", uint16(70), byte(0xff))
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	h := fuzzHandler(now, nil)
	secret := h.secrets["crm"]
	f.Fuzz(func(t *testing.T, body []byte, offset int64, source string, at uint16, flip byte) {
		sent := now.Unix() + offset%900
		ts := strconv.FormatInt(sent, 10)
		sig := Sign(secret, sent, body)
		try := func(source, ts, sig string, body []byte) (signed, *problem) {
			r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(string(body)))
			r.Header.Set(HeaderSource, source)
			r.Header.Set(HeaderTimestamp, ts)
			r.Header.Set(HeaderSignature, sig)
			return h.authenticate(httptest.NewRecorder(), r)
		}
		refused := func(s signed, p *problem) {
			t.Helper()
			require.Equal(t, signed{}, s)
			require.NotNil(t, p)
			require.Contains(t, []int{http.StatusUnauthorized, http.StatusRequestEntityTooLarge}, p.status)
		}

		s, p := try("crm", ts, sig, body)
		if time.Unix(sent, 0).Sub(now).Abs() > maxSkew {
			refused(s, p)
		} else {
			require.Nil(t, p, "what Sign made is taken")
			require.Equal(t, signed{source: "crm", signature: strings.TrimPrefix(sig, "sha256="), body: body}, s)
			up, upProb := try("crm", ts, "sha256="+strings.ToUpper(sig[7:]), body)
			require.Nil(t, upProb, "hex in either case")
			require.Equal(t, strings.TrimPrefix(sig, "sha256="), up.signature, "and one replay key for both")
		}
		if flip == 0 {
			flip = 1
		}
		bad := []byte(sig)
		bad[int(at)%len(bad)] ^= flip
		if !strings.EqualFold(string(bad), sig) {
			refused(try("crm", ts, string(bad), body))
		}
		if len(body) > 0 {
			changed := []byte(string(body))
			changed[int(at)%len(changed)] ^= flip
			refused(try("crm", ts, sig, changed))
		}
		refused(try("crm", strconv.FormatInt(sent+1, 10), sig, body))
		if source != "crm" {
			refused(try(source, ts, sig, body))
		}
	})
}

// refs is a People that records what it was asked and finds no one.
type refs struct {
	emails []string
	ids    []bot.Identity
	users  int
}

func (r *refs) PersonByEmail(_ context.Context, email string) (bot.Person, error) {
	r.emails = append(r.emails, email)
	return bot.Person{}, store.ErrNotFound
}

func (r *refs) PersonByIdentity(_ context.Context, id bot.Identity) (bot.Person, error) {
	r.ids = append(r.ids, id)
	return bot.Person{}, store.ErrNotFound
}

func (r *refs) People(context.Context, store.PeopleFilter) ([]bot.Person, error) {
	r.users++
	return []bot.Person{{ID: 1, Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T1", UserID: "U1"}, {Platform: bot.Slack, Tenant: "T2", UserID: "U2"}}},
		{ID: 2, Identities: []bot.Identity{{Platform: bot.Slack, Tenant: "T3", UserID: "U2"}}}}, nil
}

// checkRef checks how the person field is read: an email, a platform
// identity with or without its tenant, or a refusal before any look-up.
func checkRef(t *testing.T, ref string) {
	t.Helper()
	r := &refs{}
	h := fuzzHandler(time.Now(), r)
	p, err := h.find(context.Background(), ref)
	asked := len(r.emails) + len(r.ids) + r.users
	if errors.Is(err, errBadRef) {
		require.Zero(t, asked, "a bad ref is refused before any look-up")
		return
	}
	require.Equal(t, 1, asked, "one look-up")
	for _, id := range r.ids {
		require.True(t, slices.Contains(platforms, id.Platform))
		require.NotEmpty(t, id.Tenant)
		require.NotEmpty(t, id.UserID)
		require.Equal(t, string(id.Platform)+":"+id.Tenant+":"+id.UserID, ref, "the identity is the ref")
	}
	for _, email := range r.emails {
		require.Equal(t, ref, email)
		at := strings.IndexByte(email, '@')
		require.Positive(t, at)
		require.Less(t, at, len(email)-1)
	}
	if err == nil {
		require.Equal(t, int64(1), p.ID, "only the one person with that user id")
	}
}

// FuzzLoadRules checks that a rules file is taken or refused with errors
// that each name the file (and a line, where there is one), never a
// panic; and that what is taken holds only checked references and steps.
func FuzzLoadRules(f *testing.F) {
	for _, seed := range []string{
		"rules:\n  - source: github\n    event: pull_request.merged\n    kind: merge_request_merged\n    key_result: kr-1\n",
		"progress:\n  - kind: ticket_resolved\n    key_result: resolve-tickets\n    increment: 2\n",
		"progress:\n  - kind: ticket_resolved\n    key_result: Big\n    increment: -1\n",
		"rules: [\n", "", "rules: 5", "progress: {a: b}", "- 1\n- 2\n", "rules:\n  - [1, 2]\nprogress:\n  - x\n",
		"progress:\n  - kind: deal_won\n    key_result: a\n    increment: .nan\n",
		"progress:\n  - kind: deal_won\n    key_result: a\n    increment: 1e300\n",
		"&a [*a]", "rules: &x\n  - *x\n",
	} {
		f.Add(seed)
	}
	kinds := eventkind.Defaults()
	f.Fuzz(func(t *testing.T, file string) {
		rs, err := LoadRules(strings.NewReader(file), "f.yaml", SourceEvents(), kinds)
		if err != nil {
			require.Nil(t, rs)
			require.True(t, strings.HasPrefix(err.Error(), "f.yaml"), "errors name the file: %q", err)
			_, ok := errors.AsType[*RuleError](err)
			require.True(t, ok, "%v", err)
			return
		}
		for _, r := range rs.Refs() {
			require.NoError(t, CheckRef(r.Ref))
			require.Positive(t, r.Line)
		}
		for _, p := range rs.progress {
			require.Contains(t, kinds, p.Kind)
			require.Greater(t, p.Increment, 0.0)
			require.LessOrEqual(t, p.Increment, float64(maxIncrement))
		}
		for _, r := range rs.list {
			require.Contains(t, kinds, r.Kind)
		}
	})
}
