package wecom_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// The app the tests run as: the official vector's corp, token and key.
const (
	corp   = vecCorp
	agent  = 1000002
	secret = "app-secret-do-not-log"
)

func testConfig(base string) wecom.Config {
	return wecom.Config{CorpID: corp, AgentID: agent, Secret: secret, Token: vecToken, EncodingAESKey: vecKey, APIBase: base}
}

// sent is one message/send call as the fake received it.
type sent struct {
	ToUser       string                    `json:"touser"`
	AgentID      int64                     `json:"agentid"`
	MsgType      string                    `json:"msgtype"`
	Text         *struct{ Content string } `json:"text"`
	TemplateCard *card                     `json:"template_card"`
	Image        *struct {
		MediaID string `json:"media_id"`
	} `json:"image"`
	// ResponseCode is what the fake answered for a card, with which it
	// can be updated.
	ResponseCode string `json:"-"`
}

type card struct {
	CardType  string `json:"card_type"`
	MainTitle *struct {
		Title string `json:"title"`
	} `json:"main_title"`
	SubTitle string `json:"sub_title_text"`
	Fields   []struct {
		KeyName string `json:"keyname"`
		Value   string `json:"value"`
	} `json:"horizontal_content_list"`
	TaskID  string `json:"task_id"`
	Buttons []struct {
		Text  string `json:"text"`
		Style int    `json:"style"`
		Key   string `json:"key"`
	} `json:"button_list"`
	ReplaceText string `json:"replace_text"`
}

// content is what the message shows, for assertions.
func (s sent) content() string {
	if s.Text != nil {
		return s.Text.Content
	}
	c := s.TemplateCard
	var b strings.Builder
	if c.MainTitle != nil {
		b.WriteString(c.MainTitle.Title + "\n")
	}
	b.WriteString(c.SubTitle)
	for _, f := range c.Fields {
		b.WriteString("\n" + f.KeyName + ": " + f.Value)
	}
	return b.String()
}

// key returns the key of the card's button labelled label.
func (s sent) key(t *testing.T, label string) string {
	t.Helper()
	require.NotNil(t, s.TemplateCard, "not a card: %+v", s)
	for _, b := range s.TemplateCard.Buttons {
		if b.Text == label {
			return b.Key
		}
	}
	t.Fatalf("no button %q on %+v", label, s.TemplateCard)
	return ""
}

type updated struct {
	UserIDs      []string `json:"userids"`
	AgentID      int64    `json:"agentid"`
	ResponseCode string   `json:"response_code"`
	TemplateCard card     `json:"template_card"`
}

// fakeWeCom is WeCom's server API on 127.0.0.1, with the failures the
// adapter has to live with on demand.
type fakeWeCom struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	tokens    int // tokens handed out
	token     string
	sends     []sent
	updates   []updated
	fail      []int // errcodes the next message/send calls answer with
	down      int   // message/send calls still to answer with HTTP 502
	okFirst   int   // message/send calls to answer before those failures start
	invalid   map[string]bool
	media     map[string][]byte
	mediaHits int
	uploads   map[string][]byte // media/upload: media id -> the file
	deps      string            // department/list answer
	users     map[string]string
	codes     int
}

func newFakeWeCom(t *testing.T) *fakeWeCom {
	f := &fakeWeCom{t: t, invalid: map[string]bool{}, media: map[string][]byte{}, users: map[string]string{}, uploads: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cgi-bin/gettoken", f.gettoken)
	mux.HandleFunc("POST /cgi-bin/message/send", f.send)
	mux.HandleFunc("POST /cgi-bin/message/update_template_card", f.update)
	mux.HandleFunc("GET /cgi-bin/media/get", f.mediaGet)
	mux.HandleFunc("POST /cgi-bin/media/upload", f.authed(f.upload))
	mux.HandleFunc("GET /cgi-bin/department/list", f.authed(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, f.deps) }))
	mux.HandleFunc("GET /cgi-bin/user/list", f.authed(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, f.users[r.URL.Query().Get("department_id")])
	}))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeCom) URL() string { return f.srv.URL }

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeWeCom) gettoken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("corpid") != corp || q.Get("corpsecret") != secret {
		answer(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	f.mu.Lock()
	f.tokens++
	f.token = fmt.Sprintf("token-%d", f.tokens)
	tok := f.token
	f.mu.Unlock()
	answer(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
}

// expireToken makes WeCom forget the current token, as it does when one is
// reset or expires early.
func (f *fakeWeCom) expireToken() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = "expired"
}

// authed answers 42001 to a request without the current token.
func (f *fakeWeCom) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		ok := r.URL.Query().Get("access_token") == f.token && f.token != ""
		f.mu.Unlock()
		if !ok {
			answer(w, map[string]any{"errcode": 42001, "errmsg": "access_token expired"})
			return
		}
		h(w, r)
	}
}

func (f *fakeWeCom) send(w http.ResponseWriter, r *http.Request) {
	f.authed(func(w http.ResponseWriter, r *http.Request) {
		var s sent
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&s))
		f.mu.Lock()
		defer f.mu.Unlock()
		failing := f.okFirst == 0
		if !failing {
			f.okFirst--
		}
		if f.down > 0 && failing {
			f.down--
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		if len(f.fail) > 0 && failing {
			code := f.fail[0]
			f.fail = f.fail[1:]
			if code == 40014 {
				f.token = "" // the token WeCom had is gone
			}
			answer(w, map[string]any{"errcode": code, "errmsg": "fake failure"})
			return
		}
		var bad []string
		for _, u := range strings.Split(s.ToUser, "|") {
			if f.invalid[u] {
				bad = append(bad, strings.ToLower(u))
			}
		}
		if len(bad) == len(strings.Split(s.ToUser, "|")) {
			answer(w, map[string]any{"errcode": 81013, "errmsg": "user & party & tag all invalid"})
			return
		}
		ans := map[string]any{"errcode": 0, "errmsg": "ok", "msgid": fmt.Sprintf("msg-%d", len(f.sends)+1), "invaliduser": strings.Join(bad, "|")}
		if s.TemplateCard != nil {
			f.codes++
			s.ResponseCode = fmt.Sprintf("send-code-%d", f.codes)
			ans["response_code"] = s.ResponseCode
		}
		f.sends = append(f.sends, s)
		answer(w, ans)
	})(w, r)
}

func (f *fakeWeCom) update(w http.ResponseWriter, r *http.Request) {
	f.authed(func(w http.ResponseWriter, r *http.Request) {
		var u updated
		require.NoError(f.t, json.NewDecoder(r.Body).Decode(&u))
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, prev := range f.updates {
			if prev.ResponseCode == u.ResponseCode {
				answer(w, map[string]any{"errcode": 40098, "errmsg": "response_code used"}) // single use
				return
			}
		}
		f.updates = append(f.updates, u)
		answer(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	})(w, r)
}

func (f *fakeWeCom) mediaGet(w http.ResponseWriter, r *http.Request) {
	f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.mediaHits++
		audio, ok := f.media[r.URL.Query().Get("media_id")]
		if !ok {
			answer(w, map[string]any{"errcode": 40007, "errmsg": "invalid media_id"})
			return
		}
		w.Header().Set("Content-Type", "audio/amr")
		w.Header().Set("Content-Disposition", `attachment; filename="voice.amr"`)
		w.Write(audio)
	})(w, r)
}

// Sends returns what message/send received so far.
func (f *fakeWeCom) Sends() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sends...)
}

// SendsTo returns what message/send delivered to user.
func (f *fakeWeCom) SendsTo(user string) []sent {
	var out []sent
	for _, s := range f.Sends() {
		if s.ToUser == user {
			out = append(out, s)
		}
	}
	return out
}

func (f *fakeWeCom) Updates() []updated {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]updated(nil), f.updates...)
}

func (f *fakeWeCom) Tokens() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens
}

// outage answers the next n message/send calls with HTTP 502.
func (f *fakeWeCom) outage(n int) { f.outageAfter(0, n) }

// outageAfter answers ok calls first, then n with HTTP 502.
func (f *fakeWeCom) outageAfter(ok, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.okFirst, f.down = ok, n
}

func (f *fakeWeCom) failNext(codes ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = append(f.fail, codes...)
}

// sleeps records the adapter's waits instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.d = append(s.d, d)
	}
	return ctx.Err()
}

func (s *sleeps) All() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// Backoffs are the pauses after refusals; pacing at the corp's rate waits
// a few milliseconds between calls, and those are not among them.
func (s *sleeps) Backoffs() []time.Duration {
	var out []time.Duration
	for _, d := range s.All() {
		if d >= 100*time.Millisecond {
			out = append(out, d)
		}
	}
	return out
}

// newAdapter is an adapter talking to fake, with its token in ds (a fresh
// in-process store when nil) and waits recorded in sl.
func newAdapter(t *testing.T, fake *fakeWeCom, ds dialog.Store, sl *sleeps, clock func() time.Time) *wecom.Adapter {
	t.Helper()
	if ds == nil {
		ds = memory.New(clock)
		t.Cleanup(func() { ds.Close() })
	}
	a, err := wecom.New(testConfig(fake.URL()), wecom.Options{Dialog: ds, Clock: clock, Sleep: sl.Sleep})
	require.NoError(t, err)
	return a
}

// to addresses a member of the test corp.
func to(user string) bot.Address {
	return bot.Address{Identity: bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: user}}
}

// upload takes an image as WeCom's media/upload does: multipart, field
// "media".
func (f *fakeWeCom) upload(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("type") != "image" {
		answer(w, map[string]any{"errcode": 40004, "errmsg": "invalid media type"})
		return
	}
	file, _, err := r.FormFile("media")
	if err != nil {
		answer(w, map[string]any{"errcode": 41005, "errmsg": "media data missing"})
		return
	}
	b, err := io.ReadAll(file)
	require.NoError(f.t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("media-%d", len(f.uploads)+1)
	f.uploads[id] = b
	answer(w, map[string]any{"errcode": 0, "errmsg": "ok", "type": "image", "media_id": id, "created_at": "1380000000"})
}
