package platformtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// The WeCom app the fake knows: the official sample's corp, token and key,
// so the adapter's callback crypto accepts them.
const (
	WeComCorp           = "wx5823bf96d3bd56c7"
	WeComAgent          = 1000002
	WeComSecret         = "app-secret-do-not-log"
	WeComToken          = "QDG6eK"
	WeComEncodingAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
)

// WeCom's limits on message/send, as the fake enforces them.
const (
	// WeComMaxUsers is how many members one message/send may name.
	WeComMaxUsers = 1000
	// WeComCallsPerMinute is the per-corp limit on one API; the fake
	// enforces it as its per-second rate with bursts of weComBurst.
	WeComCallsPerMinute = 10000
	weComBurst          = 10
	// weComInFlight is where the fake starts answering 45033; WeCom's
	// concurrency limit is about 5-10 (unverified).
	weComInFlight = 10
)

// WeCom is a fake of WeCom's server API: gettoken and message/send. Over
// the per-corp rate it answers errcode 45009, over the concurrency limit
// 45033, as WeCom does.
type WeCom struct {
	*server
	calls    *bucket
	inFlight atomic.Int32
}

// NewWeCom starts a fake WeCom; Close it when done.
func NewWeCom(o Options) *WeCom {
	mux := http.NewServeMux()
	f := &WeCom{calls: newBucket(o.now, time.Minute/WeComCallsPerMinute, weComBurst)}
	f.server = newServer(o, mux)
	mux.HandleFunc("GET /cgi-bin/gettoken", f.gettoken)
	mux.HandleFunc("POST /cgi-bin/message/send", f.send)
	return f
}

// AllowedPerSecond is how many recipients a second WeCom allows: full
// calls at the per-corp rate.
func (f *WeCom) AllowedPerSecond() float64 { return f.calls.perSecond() * WeComMaxUsers }

func (f *WeCom) gettoken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("corpid") != WeComCorp || q.Get("corpsecret") != WeComSecret {
		answer(w, http.StatusOK, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	answer(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": "wecom-token", "expires_in": 7200})
}

func (f *WeCom) send(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("access_token") != "wecom-token" {
		answer(w, http.StatusOK, map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	if f.inFlight.Add(1) > weComInFlight {
		f.inFlight.Add(-1)
		f.rec.refuse()
		answer(w, http.StatusOK, map[string]any{"errcode": 45033, "errmsg": "api concurrent out of limit"})
		return
	}
	defer f.inFlight.Add(-1)
	var in struct {
		ToUser string `json:"touser"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ToUser == "" {
		answer(w, http.StatusOK, map[string]any{"errcode": 40035, "errmsg": "invalid args"})
		return
	}
	users := strings.Split(in.ToUser, "|")
	if len(users) > WeComMaxUsers {
		answer(w, http.StatusOK, map[string]any{"errcode": 40035, "errmsg": fmt.Sprintf("touser names %d members, more than %d", len(users), WeComMaxUsers)})
		return
	}
	if ok, _ := f.calls.allow(); !ok {
		f.rec.refuse()
		answer(w, http.StatusOK, map[string]any{"errcode": 45009, "errmsg": "api freq out of limit"})
		return
	}
	f.deliver(r.Context(), users)
	answer(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "msg"})
}
