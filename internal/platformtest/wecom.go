package platformtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
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

	mu       sync.Mutex
	lastText map[string]string // by user, kept with Options.Keep
}

// NewWeCom starts a fake WeCom; Close it when done.
func NewWeCom(o Options) *WeCom {
	mux := http.NewServeMux()
	f := &WeCom{calls: newBucket(o.now, time.Minute/WeComCallsPerMinute, weComBurst), lastText: map[string]string{}}
	f.server = newServer(o, mux)
	mux.HandleFunc("GET /cgi-bin/gettoken", f.gettoken)
	mux.HandleFunc("POST /cgi-bin/message/send", f.send)
	mux.HandleFunc("POST /cgi-bin/message/update_template_card", f.update)
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
		Text   struct {
			Content string `json:"content"`
		} `json:"text"`
		Card struct {
			Main struct {
				Title string `json:"title"`
			} `json:"main_title"`
			Sub    string `json:"sub_title_text"`
			Fields []struct {
				Key   string `json:"keyname"`
				Value string `json:"value"`
			} `json:"horizontal_content_list"`
			Buttons []struct {
				Text string `json:"text"`
			} `json:"button_list"`
		} `json:"template_card"`
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
	shown := in.Text.Content + in.Card.Main.Title + "\n" + in.Card.Sub
	for _, fl := range in.Card.Fields {
		shown += "\n" + fl.Key + ": " + fl.Value
	}
	for _, b := range in.Card.Buttons {
		shown += "\n[" + b.Text + "]"
	}
	shown, continues := f.shown(users, in.Text.Content != "", shown)
	f.deliverPart(r.Context(), users, shown, continues)
	answer(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "msg"})
}

// update answers message/update_template_card, which replaces a clicked
// card, without delivering anything new.
func (f *WeCom) update(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("access_token") != "wecom-token" {
		answer(w, http.StatusOK, map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	answer(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok"})
}

// shown is what a message shows as its recipient reads it: a card that
// follows a text to one person (what did not fit the card went first as
// text) shows with that text, since its title alone, cut to WeCom's
// length, may read like another person's card.
func (f *WeCom) shown(users []string, text bool, shown string) (string, bool) {
	if !f.o.Keep || len(users) != 1 {
		return shown, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if text {
		f.lastText[users[0]] = shown
		return shown, false
	}
	last, ok := f.lastText[users[0]]
	if !ok {
		return shown, false
	}
	return last + "\n" + shown, true
}
