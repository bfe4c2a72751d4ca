package wecom_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/bot/bottest"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// callbacks plays WeCom calling perfbot's callback URL.
type callbacks struct {
	t     *testing.T
	url   string
	crypt *wecom.Crypt
	clock func() time.Time // WeCom's, which signs with it
}

func newCallbacks(t *testing.T, mux *http.ServeMux) *callbacks {
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := wecom.NewCrypt(vecToken, vecKey, corp)
	require.NoError(t, err)
	return &callbacks{t: t, url: srv.URL + wecom.CallbackPath, crypt: c, clock: time.Now}
}

// post delivers inner (a decrypted callback) as WeCom does: encrypted,
// in the envelope, signed in the query.
func (c *callbacks) post(inner string) int {
	c.t.Helper()
	enc, err := c.crypt.Encrypt([]byte(inner))
	require.NoError(c.t, err)
	ts := c.stamp()
	return c.postAt(envelopeXML(enc), c.crypt.Sign(ts, "nonce1", enc), ts)
}

// stamp is the timestamp WeCom signs a callback with now.
func (c *callbacks) stamp() string { return strconv.FormatInt(c.clock().Unix(), 10) }

// postAt posts body signed with signature at timestamp.
func (c *callbacks) postAt(body, signature, timestamp string) int {
	c.t.Helper()
	q := url.Values{"msg_signature": {signature}, "timestamp": {timestamp}, "nonce": {"nonce1"}}
	resp, err := http.Post(c.url+"?"+q.Encode(), "text/xml", strings.NewReader(body))
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Empty(c.t, b, "WeCom gets an empty body")
	return resp.StatusCode
}

func envelopeXML(enc string) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><AgentID><![CDATA[%d]]></AgentID><Encrypt><![CDATA[%s]]></Encrypt></xml>", corp, agent, enc)
}

func textXML(user string, msgID int64, content string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>`,
		corp, user, 1700000000+msgID, content, msgID, agent)
}

func voiceXML(user string, msgID int64, mediaID string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[%s]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>`,
		corp, user, 1700000000+msgID, mediaID, msgID, agent)
}

func clickXML(user string, at int64, key, taskID, code string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[%s]]></EventKey><TaskId><![CDATA[%s]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[%s]]></ResponseCode><AgentID>%d</AgentID></xml>`,
		corp, user, at, key, taskID, code, agent)
}

func eventXML(user, event string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>%d</AgentID></xml>`,
		corp, user, event, agent)
}

// approvalXML is a sys_approval_change event as WeCom's documentation
// shows it (审批申请状态变化回调通知), with the number, form, status and
// applicant given.
func approvalXML(spNo, spName string, status int, applicant string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1571732272</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event><AgentID>%d</AgentID><ApprovalInfo><SpNo>%s</SpNo><SpName><![CDATA[%s]]></SpName><SpStatus>%d</SpStatus><TemplateId><![CDATA[3TkaH5KFbrG9heEQ94WBgvTj5oXmRmBXmoNNNZM4]]></TemplateId><ApplyTime>1571728713</ApplyTime><Applyer><UserId><![CDATA[%s]]></UserId><Party><![CDATA[1]]></Party></Applyer><StatuChangeEvent>%d</StatuChangeEvent></ApprovalInfo></xml>`,
		corp, agent, spNo, spName, status, applicant, status)
}

// recorder is the Handler the callbacks deliver to.
type recorder = bottest.Recorder

// mounted is an adapter on a mux with a recorder, its logs in a buffer.
func mounted(t *testing.T, fake *fakeWeCom, o wecom.Options) (*callbacks, *recorder, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.Dialog == nil {
		o.Dialog = memory.New(time.Now)
	}
	if o.Sleep == nil {
		o.Sleep = (&sleeps{}).Sleep
	}
	a, err := wecom.New(testConfig(fake.URL()), o)
	require.NoError(t, err)
	cb, rec := mount(t, a)
	return cb, rec, logs
}

// mount mounts a on a test server delivering to a recorder.
func mount(t *testing.T, a *wecom.Adapter) (*callbacks, *recorder) {
	mux := http.NewServeMux()
	rec := &recorder{}
	a.Mount(mux, rec)
	return newCallbacks(t, mux), rec
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestURLVerificationWithTheOfficialVector(t *testing.T) {
	signed, err := strconv.ParseInt(vecTimestamp, 10, 64)
	require.NoError(t, err)
	// The vector was signed in 2014: the adapter's clock is then.
	cb, rec, _ := mounted(t, newFakeWeCom(t), wecom.Options{Clock: func() time.Time { return time.Unix(signed, 0) }})
	q := url.Values{"msg_signature": {vecSignature}, "timestamp": {vecTimestamp}, "nonce": {vecNonce}, "echostr": {vecEchostr}}
	resp, err := http.Get(cb.url + "?" + q.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, vecPlain, string(body), "exactly the plaintext: no quotes, no newline")

	// A '+' WeCom left unencoded arrives as a space; it still verifies.
	raw := "msg_signature=" + vecSignature + "&timestamp=" + vecTimestamp + "&nonce=" + vecNonce + "&echostr=" + vecEchostr
	resp, err = http.Get(cb.url + "?" + raw)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	q.Set("msg_signature", strings.Repeat("a", 40))
	resp, err = http.Get(cb.url + "?" + q.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Empty(t, rec.Events())
}

func TestCallbacksBecomeEvents(t *testing.T) {
	fake := newFakeWeCom(t)
	fake.media["voice-1"] = []byte("#!AMR\nnot really speech")
	a, err := wecom.New(testConfig(fake.URL()), wecom.Options{Dialog: memory.New(time.Now)})
	require.NoError(t, err)
	mux := http.NewServeMux()
	rec := &recorder{}
	a.Mount(mux, rec)
	cb := newCallbacks(t, mux)

	require.Equal(t, http.StatusOK, cb.post(textXML("LiWei", 101, "Shipped <b>it</b> @all")))
	require.Equal(t, http.StatusOK, cb.post(clickXML("LiWei", 1700000500, "start:12:3", "pb-task", "code-1")))
	require.Equal(t, http.StatusOK, cb.post(voiceXML("LiWei", 102, "voice-1")))
	require.Equal(t, http.StatusOK, cb.post(voiceXML("LiWei", 103, "voice-gone")))
	require.Equal(t, http.StatusOK, cb.post(strings.Replace(voiceXML("LiWei", 104, "x"), "voice", "image", 1)))
	require.Equal(t, http.StatusOK, cb.post(eventXML("LiWei", "enter_agent")))
	require.Equal(t, http.StatusOK, cb.post(eventXML("LiWei", "LOCATION")))

	from := bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "LiWei"}
	evs := rec.Events()
	require.Len(t, evs, 5, "entering the app and location reports are acknowledged, not handed on")

	require.Equal(t, bot.Event{ID: "101", From: from, Kind: bot.KindMessage, Text: "Shipped <b>it</b> @all", At: time.Unix(1700000101, 0).UTC()}, evs[0])

	click := evs[1]
	require.Equal(t, bot.KindAction, click.Kind)
	require.Equal(t, "start:12:3", click.Action)
	require.Equal(t, bot.MessageRef("code-1"), click.Ref, "a clicked card is updated with the click's ResponseCode")
	require.Equal(t, from, click.From)
	require.Contains(t, click.ID, "LiWei:1700000500", "events are told apart by who and when")

	// Voice notes are handed on before their audio is fetched, which the
	// runtime does after WeCom got its 200.
	require.Equal(t, bot.KindVoice, evs[2].Kind)
	require.Equal(t, &bot.Voice{MediaID: "voice-1", Format: "amr"}, evs[2].Voice)
	require.NoError(t, a.FetchVoice(t.Context(), &evs[2]))
	require.Equal(t, &bot.Voice{MediaID: "voice-1", Format: "amr", Audio: []byte("#!AMR\nnot really speech")}, evs[2].Voice)
	require.Equal(t, &bot.Voice{MediaID: "voice-gone", Format: "amr"}, evs[3].Voice)
	require.Error(t, a.FetchVoice(t.Context(), &evs[3]), "a failed download is the runtime's to log")
	require.Nil(t, evs[3].Voice.Audio)

	require.Equal(t, bot.KindUnsupported, evs[4].Kind)
	require.Equal(t, "104", evs[4].ID)
}

func TestRetriedCallbacksKeepTheirIDs(t *testing.T) {
	cb, rec, _ := mounted(t, newFakeWeCom(t), wecom.Options{})
	click := clickXML("LiWei", 1700000500, "mood:12:7:3", "pb-task", "code-1")
	for range 3 {
		require.Equal(t, http.StatusOK, cb.post(textXML("LiWei", 101, "hello")))
		require.Equal(t, http.StatusOK, cb.post(click))
	}
	evs := rec.Events()
	require.Len(t, evs, 6)
	for _, ev := range evs[2:] {
		require.Contains(t, []string{evs[0].ID, evs[1].ID}, ev.ID, "the engine dedupes on these")
	}
	require.NotEqual(t, evs[0].ID, evs[1].ID)
}

func TestBadCallbacksAreRefused(t *testing.T) {
	cb, rec, logs := mounted(t, newFakeWeCom(t), wecom.Options{})
	good, err := cb.crypt.Encrypt([]byte(textXML("LiWei", 1, "hi")))
	require.NoError(t, err)
	otherCorp, err := wecom.NewCrypt(vecToken, vecKey, "wwanothercorp")
	require.NoError(t, err)
	foreign, err := otherCorp.Encrypt([]byte(textXML("LiWei", 2, "hi")))
	require.NoError(t, err)
	garbage := "QUJD" + good[4:]
	notXML, err := cb.crypt.Encrypt([]byte("not xml at all"))
	require.NoError(t, err)

	signed := func(enc string) func(ts string) string {
		return func(ts string) string { return cb.crypt.Sign(ts, "nonce1", enc) }
	}
	sig := func(s string) func(string) string { return func(string) string { return s } }
	for name, c := range map[string]struct {
		body   string
		sig    func(ts string) string
		status int
	}{
		"bad signature":   {envelopeXML(good), sig(strings.Repeat("0", 40)), http.StatusForbidden},
		"signed by other": {envelopeXML(good), sig(cb.crypt.Sign("1", "2", good)), http.StatusForbidden},
		"bad ciphertext":  {envelopeXML(garbage), signed(garbage), http.StatusBadRequest},
		"wrong receiveid": {envelopeXML(foreign), signed(foreign), http.StatusBadRequest},
		"malformed outer": {"<xml><Encrypt>", sig("x"), http.StatusBadRequest},
		"malformed inner": {envelopeXML(notXML), signed(notXML), http.StatusBadRequest},
		"too large":       {envelopeXML(strings.Repeat("A", 1<<20)), sig("x"), http.StatusRequestEntityTooLarge},
	} {
		ts := cb.stamp()
		require.Equal(t, c.status, cb.postAt(c.body, c.sig(ts), ts), name)
	}
	require.Empty(t, rec.Events(), "nothing refused is handled")
	out := logs.String()
	require.Contains(t, out, "wecom callback refused")
	for _, s := range []string{vecKey, secret, vecToken, good[:20]} {
		require.NotContains(t, out, s, "the log shows no secret and no ciphertext")
	}

	// Signed right but long ago, or far ahead: an old callback played
	// again, or a forged clock, is refused (WeCom retries within seconds).
	for _, off := range []time.Duration{-365 * 24 * time.Hour, -11 * time.Minute, 11 * time.Minute} {
		ts := strconv.FormatInt(time.Now().Add(off).Unix(), 10)
		require.Equal(t, http.StatusForbidden, cb.postAt(envelopeXML(good), cb.crypt.Sign(ts, "nonce1", good), ts), "%v off", off)
	}
	require.Contains(t, logs.String(), `"reason":"stale"`)
	ts := strconv.FormatInt(time.Now().Add(-9*time.Minute).Unix(), 10)
	require.Equal(t, http.StatusOK, cb.postAt(envelopeXML(good), cb.crypt.Sign(ts, "nonce1", good), ts), "a late retry is taken")
	require.Len(t, rec.Events(), 1)
}

// Found by FuzzCallbackInner: a message without a MsgId was handed on with
// an empty event id, so WeCom's retries of it were each handled.
func TestMessageWithoutMsgIdIsRefused(t *testing.T) {
	cb, rec, _ := mounted(t, newFakeWeCom(t), wecom.Options{})
	require.Equal(t, http.StatusBadRequest, cb.post(strings.Replace(textXML("LiWei", 1, "hi"), "<MsgId>1</MsgId>", "", 1)))
	require.Empty(t, rec.Events())
	require.Equal(t, http.StatusOK, cb.post(eventXML("LiWei", "enter_agent")), "events have no MsgId")
}

func TestHandlerFailureAsksWeComToRetry(t *testing.T) {
	cb, rec, _ := mounted(t, newFakeWeCom(t), wecom.Options{})
	rec.Fail(errors.New("database down"))
	require.Equal(t, http.StatusInternalServerError, cb.post(textXML("LiWei", 1, "hi")))
	rec.Fail(nil)
	require.Equal(t, http.StatusOK, cb.post(textXML("LiWei", 1, "hi")), "WeCom's retry succeeds")
	require.Len(t, rec.Events(), 2)
}

// An approval that passed is handed on as an approval event of its
// applicant, once however often WeCom retries; one still in progress is
// acknowledged and dropped, and a refused one is handed on as not approved.
func TestApprovalChange(t *testing.T) {
	cb, rec, _ := mounted(t, newFakeWeCom(t), wecom.Options{})
	require.Equal(t, http.StatusOK, cb.post(approvalXML("201910220003", "转正申请", 1, "WuJunJie")))
	require.Empty(t, rec.Events(), "in progress: nothing yet")

	require.Equal(t, http.StatusOK, cb.post(approvalXML("201910220003", "转正申请", 2, "WuJunJie")))
	require.Equal(t, http.StatusOK, cb.post(approvalXML("201910220003", "转正申请", 2, "WuJunJie")))
	require.Equal(t, http.StatusOK, cb.post(approvalXML("201910220004", "报销", 3, "LiWei")))
	evs := rec.Events()
	require.Len(t, evs, 3)
	want := bot.Event{ID: "approval:201910220003:2", Kind: bot.KindApproval,
		From:     bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "WuJunJie"},
		Approval: &bot.Approval{ID: "201910220003", Form: "转正申请", Approved: true},
		At:       time.Unix(1571732272, 0).UTC()}
	require.Equal(t, want, evs[0])
	require.Equal(t, evs[0], evs[1], "a retry is the same event, which the inbox takes once")
	require.False(t, evs[2].Approval.Approved)
	require.Equal(t, "LiWei", evs[2].From.UserID)
}
