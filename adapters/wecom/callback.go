package wecom

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// CallbackPath is where WeCom calls perfbot: the app's 接收消息 URL is
// https://HOST/wecom/callback.
const CallbackPath = "/wecom/callback"

// maxCallback is the largest callback body read; WeCom's are a few KiB.
const maxCallback = 1 << 20

// callbackSkew is how far a callback's timestamp may be from now. WeCom
// retries an unanswered callback three times, five seconds apart; ten
// minutes leaves room for clocks that disagree, and is far inside the
// inbox's dedup window (a week), so a captured callback cannot be replayed
// once its event id is forgotten.
const callbackSkew = 10 * time.Minute

// ErrStale is a callback whose timestamp is too far from now: not WeCom
// delivering or retrying, but an old callback played again.
var ErrStale = errors.New("wecom: callback timestamp too far from now")

// Mount takes WeCom's callbacks on mux and hands their events to h: GET
// answers WeCom's URL verification, POST receives messages and events.
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	mux.HandleFunc("GET "+CallbackPath, a.verifyURL)
	mux.HandleFunc("POST "+CallbackPath, func(w http.ResponseWriter, r *http.Request) { a.receive(w, r, h) })
}

// verifyURL answers WeCom's check of the callback URL with the decrypted
// echostr, exactly: no quotes, no newline.
func (a *Adapter) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// echostr is base64, which has no spaces: a space is a '+' that was not
	// URL-encoded.
	echo := strings.ReplaceAll(q.Get("echostr"), " ", "+")
	if !a.verified(w, r, echo) {
		return
	}
	plain, err := a.crypt.Decrypt(echo)
	if err != nil {
		a.refuse(w, r, http.StatusBadRequest, outcome(err), err)
		return
	}
	a.metrics.callbacks.WithLabelValues("verified").Inc()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(plain)
}

// receive checks, decrypts and parses a callback, then delivers its event.
func (a *Adapter) receive(w http.ResponseWriter, r *http.Request, h bot.Handler) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallback))
	if err != nil {
		if _, big := errors.AsType[*http.MaxBytesError](err); big {
			a.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", err)
			return
		}
		a.refuse(w, r, http.StatusBadRequest, "unreadable", err)
		return
	}
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		a.refuse(w, r, http.StatusBadRequest, "malformed", errors.New("not a WeCom callback envelope"))
		return
	}
	if !a.verified(w, r, env.Encrypt) {
		return
	}
	plain, err := a.crypt.Decrypt(env.Encrypt)
	if err != nil {
		a.refuse(w, r, http.StatusBadRequest, outcome(err), err)
		return
	}
	var in inbound
	// A message without its MsgId could not be told from WeCom's retries
	// of it; events are told apart by who and when instead (see event).
	if err := xml.Unmarshal(plain, &in); err != nil || in.FromUserName == "" || in.MsgType == "" ||
		in.MsgType != "event" && in.MsgID == "" {
		a.refuse(w, r, http.StatusBadRequest, "malformed", errors.New("decrypted callback is not a message or event"))
		return
	}
	ev, disp := a.event(in)
	if disp == ignore {
		a.metrics.callbacks.WithLabelValues("ignored").Inc()
		a.log.DebugContext(r.Context(), "wecom event acknowledged, nothing to do", "event", in.Event)
		w.WriteHeader(http.StatusOK)
		return
	}
	a.deliver(w, r, h, ev)
}

// verified checks the query's signature over encrypted, and that its
// timestamp is fresh; when either fails it answers 403 and reports false.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request, encrypted string) bool {
	q := r.URL.Query()
	if err := a.crypt.Verify(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), encrypted); err != nil {
		a.refuse(w, r, http.StatusForbidden, "bad_signature", err)
		return false
	}
	if err := fresh(q.Get("timestamp"), a.now()); err != nil {
		a.refuse(w, r, http.StatusForbidden, "stale", err)
		return false
	}
	return true
}

// fresh checks a callback timestamp (Unix seconds) is within callbackSkew
// of now.
func fresh(timestamp string, now time.Time) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: not a timestamp", ErrStale)
	}
	if sec < now.Add(-callbackSkew).Unix() || sec > now.Add(callbackSkew).Unix() {
		return fmt.Errorf("%w: %s", ErrStale, time.Unix(sec, 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// deliver hands ev to h (perfbot's runtime, which keeps it in its durable
// inbox and returns) and answers WeCom: 200 once it is kept, 500 when it
// could not be, so that WeCom delivers the callback again. Keeping is one
// insert, well inside WeCom's five seconds; the step itself runs later.
func (a *Adapter) deliver(w http.ResponseWriter, r *http.Request, h bot.Handler, ev bot.Event) {
	if err := h.Handle(r.Context(), ev); err != nil {
		a.metrics.callbacks.WithLabelValues("failed").Inc()
		a.log.ErrorContext(r.Context(), "wecom event not taken in; WeCom will deliver it again", "event", ev.ID, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	a.metrics.callbacks.WithLabelValues("handled").Inc()
	w.WriteHeader(http.StatusOK)
}

// FetchVoice downloads a voice note's audio by its media id
// (bot.VoiceFetcher): the runtime calls it after WeCom got its 200, so the
// download never holds the acknowledgement up.
func (a *Adapter) FetchVoice(ctx context.Context, ev *bot.Event) error {
	if ev.Voice == nil || ev.Voice.Audio != nil || ev.Voice.MediaID == "" {
		return nil
	}
	audio, err := a.Media(ctx, ev.Voice.MediaID)
	if err != nil {
		return fmt.Errorf("wecom: voice %s: %w", ev.Voice.MediaID, err)
	}
	ev.Voice.Audio = audio
	return nil
}

// refuse answers a callback that is not from WeCom or not readable, and
// logs why; never the body, the query or a key.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, code int, reason string, err error) {
	a.metrics.callbacks.WithLabelValues(reason).Inc()
	a.log.WarnContext(r.Context(), "wecom callback refused", "reason", reason, "status", code,
		"remote", r.RemoteAddr, "err", err)
	w.WriteHeader(code)
}

// outcome names a decryption failure for the metrics.
func outcome(err error) string {
	if errors.Is(err, ErrWrongReceiver) {
		return "wrong_receiver"
	}
	return "bad_ciphertext"
}
