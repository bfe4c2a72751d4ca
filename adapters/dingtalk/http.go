package dingtalk

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"

	"github.com/perfbot/perfbot/bot"
)

// maxSkew is how far a robot callback's timestamp may be from now.
const maxSkew = time.Hour

// maxBody bounds a callback body.
const maxBody = 1 << 20

// Mount registers the HTTP-mode routes; in stream mode it registers none.
//
//	POST /dingtalk/robot   robot messages, verified by the timestamp and sign headers
//	POST /dingtalk/events  event subscriptions, encrypted (when DINGTALK_CALLBACK_TOKEN is set)
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	if a.cfg.Mode != ModeHTTP {
		return
	}
	mux.HandleFunc("POST /dingtalk/robot", func(w http.ResponseWriter, r *http.Request) { a.robot(w, r, h) })
	if a.events != nil {
		mux.HandleFunc("POST /dingtalk/events", func(w http.ResponseWriter, r *http.Request) { a.subscription(w, r, h) })
	}
}

// robot takes one robot message: signed by DingTalk, from this
// organisation, and the first message to come with its signature.
func (a *Adapter) robot(w http.ResponseWriter, r *http.Request, h bot.Handler) {
	timestamp, sign := r.Header.Get("timestamp"), r.Header.Get("sign")
	age, err := a.verifyRobot(timestamp, sign)
	if err != nil {
		a.log.WarnContext(r.Context(), "robot callback refused", "err", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var m chatbot.BotCallbackDataModel
	if err := json.Unmarshal(body, &m); err != nil || m.MsgId == "" || m.SenderStaffId == "" {
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	if err := a.sameOrg(&m); err != nil {
		a.log.WarnContext(r.Context(), "robot callback refused", "msg", m.MsgId, "err", err)
		http.Error(w, "another organisation", http.StatusForbidden)
		return
	}
	switch err := a.signs.take(r.Context(), timestamp, sign, m.MsgId, age); {
	case errors.Is(err, errSignUsed):
		a.log.WarnContext(r.Context(), "robot callback refused", "msg", m.MsgId, "err", err)
		http.Error(w, "signature already used", http.StatusUnauthorized)
		return
	case err != nil:
		a.log.ErrorContext(r.Context(), "robot callback not taken; DingTalk will deliver it again", "msg", m.MsgId, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	if err := a.deliver(r.Context(), h, &m); err != nil {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, "{}")
}

// verifyRobot checks a robot callback's signature and reports how old its
// timestamp is.
func (a *Adapter) verifyRobot(timestamp, sign string) (time.Duration, error) {
	ms, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return 0, errors.Join(ErrBadSignature, errors.New("no timestamp"))
	}
	skew := a.now().Sub(time.UnixMilli(ms))
	if skew > maxSkew || skew < -maxSkew {
		return 0, errors.Join(ErrBadSignature, errors.New("timestamp more than an hour off"))
	}
	if subtle.ConstantTimeCompare([]byte(RobotSign(a.cfg.ClientSecret, timestamp)), []byte(sign)) != 1 {
		return 0, errors.Join(ErrBadSignature, errors.New("sign mismatch"))
	}
	return skew, nil
}

// subscription takes one encrypted event subscription callback and answers the
// encrypted "success" DingTalk waits for. A finished approval
// (bpms_instance_change) is handed on first, and an error keeps the answer
// back so that DingTalk delivers it again; the other events are only
// answered (directory changes are picked up by org sync), which keeps the
// subscription, and its URL check, working.
func (a *Adapter) subscription(w http.ResponseWriter, r *http.Request, h bot.Handler) {
	q := r.URL.Query()
	sig := first(q.Get("msg_signature"), q.Get("signature"))
	ts := first(q.Get("timestamp"), q.Get("timeStamp"))
	raw, ok := readBody(w, r)
	if !ok {
		return
	}
	var body struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || body.Encrypt == "" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	plain, err := a.events.decrypt(sig, ts, q.Get("nonce"), body.Encrypt)
	if err != nil {
		a.log.WarnContext(r.Context(), "event callback refused", "err", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev subscribed
	_ = json.Unmarshal(plain, &ev)
	a.log.DebugContext(r.Context(), "event callback", "type", ev.EventType)
	if e, ok := a.approval(ev); ok {
		if err := h.Handle(r.Context(), e); err != nil {
			a.log.ErrorContext(r.Context(), "approval not taken in; DingTalk will deliver it again", "event", e.ID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
	}
	reply, err := a.successReply()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(reply)
}

// subscribed is a decrypted event subscription callback: the fields of
// bpms_instance_change (审批实例开始、结束) that perfbot reads.
type subscribed struct {
	EventType         string `json:"EventType"`
	ProcessInstanceID string `json:"processInstanceId"`
	ProcessCode       string `json:"processCode"`
	Title             string `json:"title"`
	Type              string `json:"type"`   // start, finish, terminate
	Result            string `json:"result"` // finish: agree or refuse
	StaffID           string `json:"staffId"`
	URL               string `json:"url"`
	FinishTime        int64  `json:"finishTime"`
}

// approval maps a finished approval instance to an event of its
// applicant; a started one, or any other event, is nothing to hand on.
func (a *Adapter) approval(s subscribed) (bot.Event, bool) {
	if s.EventType != "bpms_instance_change" || (s.Type != "finish" && s.Type != "terminate") ||
		s.ProcessInstanceID == "" || s.StaffID == "" {
		return bot.Event{}, false
	}
	return bot.Event{
		ID:   "approval:" + s.ProcessInstanceID + ":" + s.Type,
		From: a.identity(s.StaffID),
		Kind: bot.KindApproval,
		Approval: &bot.Approval{ID: s.ProcessInstanceID, Form: s.ProcessCode, Title: s.Title, URL: s.URL,
			Approved: s.Type == "finish" && s.Result == "agree"},
		At: time.UnixMilli(s.FinishTime).UTC(),
	}, true
}

// successReply is the encrypted "success" with the field names of
// DingTalk's callback crypto samples.
func (a *Adapter) successReply() (map[string]string, error) {
	ts := strconv.FormatInt(a.now().UnixMilli(), 10)
	nonce := rand.Text()[:16]
	enc, sig, err := a.events.encrypt([]byte("success"), ts, nonce)
	if err != nil {
		return nil, err
	}
	return map[string]string{"msg_signature": sig, "timeStamp": ts, "nonce": nonce, "encrypt": enc}, nil
}

// readBody reads a callback body of at most maxBody bytes. When it cannot,
// it answers 413 for one too large and 400 for one cut short, and reports
// false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if _, big := errors.AsType[*http.MaxBytesError](err); big {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
