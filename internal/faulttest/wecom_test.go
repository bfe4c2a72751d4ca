package faulttest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
)

// WeCom's documented callback example: its corp, token and key.
const (
	wecomCorp   = "wx5823bf96d3bd56c7"
	wecomToken  = "QDG6eK"
	wecomKey    = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	wecomAgent  = 1000002
	wecomSecret = "app-secret-fault"
)

// fakeWeCom is WeCom's server API on 127.0.0.1: access tokens, and
// message/send, whose messages it keeps.
type fakeWeCom struct {
	srv *httptest.Server

	mu    sync.Mutex
	sends []wecomSend
}

// wecomSend is one message/send: to whom, and what it showed.
type wecomSend struct {
	ToUser string
	Body   string
}

func newFakeWeCom(t *testing.T) *fakeWeCom {
	f := &fakeWeCom{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cgi-bin/gettoken", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": "token-fault", "expires_in": 7200})
	})
	mux.HandleFunc("POST /cgi-bin/message/send", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m struct {
			ToUser string `json:"touser"`
		}
		_ = json.Unmarshal(body, &m)
		f.mu.Lock()
		f.sends = append(f.sends, wecomSend{ToUser: m.ToUser, Body: string(body)})
		n := len(f.sends)
		f.mu.Unlock()
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": fmt.Sprintf("msg-%d", n), "response_code": fmt.Sprintf("code-%d", n)})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(v)
}

// sentTo returns the bodies of the messages sent to user, in order.
func (f *fakeWeCom) sentTo(user string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, s := range f.sends {
		if s.ToUser == user {
			out = append(out, s.Body)
		}
	}
	return out
}

// duplicates counts messages sent again to the same user with the same
// body.
func (f *fakeWeCom) duplicates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[wecomSend]bool{}
	n := 0
	for _, s := range f.sends {
		if seen[s] {
			n++
		}
		seen[s] = true
	}
	return n
}

// wecomEnv configures WeCom against f.
func wecomEnv(f *fakeWeCom) env {
	return env{"WECOM_CORP_ID": wecomCorp, "WECOM_AGENT_ID": strconv.Itoa(wecomAgent), "WECOM_SECRET": wecomSecret,
		"WECOM_TOKEN": wecomToken, "WECOM_ENCODING_AES_KEY": wecomKey, "WECOM_API_BASE": f.srv.URL}
}

// callback is one WeCom callback as it goes over the wire, kept so that
// WeCom's resend of it is the same bytes.
type callback struct {
	Query string
	Body  string
}

// textCallback encrypts and signs a text message from user as WeCom does.
func textCallback(t *testing.T, user string, msgID int64, content string) callback {
	t.Helper()
	c, err := wecom.NewCrypt(wecomToken, wecomKey, wecomCorp)
	require.NoError(t, err)
	inner := fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>`,
		wecomCorp, user, time.Now().Unix(), content, msgID, wecomAgent)
	enc, err := c.Encrypt([]byte(inner))
	require.NoError(t, err)
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), strconv.FormatInt(msgID, 36)
	q := url.Values{"msg_signature": {c.Sign(ts, nonce, enc)}, "timestamp": {ts}, "nonce": {nonce}}
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><AgentID><![CDATA[%d]]></AgentID><Encrypt><![CDATA[%s]]></Encrypt></xml>",
		wecomCorp, wecomAgent, enc)
	return callback{Query: q.Encode(), Body: body}
}

// post delivers cb to perfbot and returns the status it answered; 0 when
// perfbot is down.
func (cb callback) post(p *perfbot) int {
	resp, err := http.Post(p.url(wecom.CallbackPath+"?"+cb.Query), "text/xml", strings.NewReader(cb.Body))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}
