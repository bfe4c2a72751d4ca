package wecom_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// FuzzCryptDecrypt feeds Verify and Decrypt what anyone may send, and
// Decrypt the decrypted bytes themselves (frame: the fuzzer cannot find a
// valid ciphertext by chance): random, length, message, receiveid and
// padding, each of which may be wrong.
func FuzzCryptDecrypt(f *testing.F) {
	frame := func(msg, receiver string) []byte {
		b := binary.BigEndian.AppendUint32(make([]byte, 16), uint32(len(msg)))
		return append(append(b, msg...), receiver...)
	}
	f.Add(vecSignature, vecTimestamp, vecNonce, vecEchostr, frame(vecPlain, vecCorp))
	f.Add(vecSignature, vecTimestamp, vecNonce, "Q"+vecEchostr[1:], frame("hi", "wwsomeoneelse"))
	f.Add("", "", "", "", frame("", vecCorp))
	f.Add(strings.ToUpper(vecSignature), vecTimestamp, vecNonce, "AAAA", frame("hi", ""))
	f.Add(vecSignature, vecTimestamp, vecNonce, strings.Repeat("A", 44), append(frame("hi", vecCorp)[:16], 0xff, 0xff, 0xff, 0xff))
	f.Add("x", "1", "2", "!!!", make([]byte, 64))
	c, err := wecom.NewCrypt(vecToken, vecKey, vecCorp)
	require.NoError(f, err)
	key, err := base64.StdEncoding.DecodeString(vecKey + "=")
	require.NoError(f, err)
	block, err := aes.NewCipher(key)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, signature, timestamp, nonce, encrypted string, plain []byte) {
		if err := c.Verify(signature, timestamp, nonce, encrypted); err != nil {
			require.ErrorIs(t, err, wecom.ErrBadSignature)
			require.NotEqual(t, c.Sign(timestamp, nonce, encrypted), signature)
		} else {
			require.Equal(t, c.Sign(timestamp, nonce, encrypted), signature, "only our signature verifies")
		}
		checkDecrypt(t, c, encrypted)

		if n := len(plain) % 32; n != 0 || len(plain) == 0 {
			plain = append(plain, bytes.Repeat([]byte{byte(32 - n)}, 32-n)...) // else the fuzzer's own padding
		}
		ct := make([]byte, len(plain))
		cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, plain)
		msg := checkDecrypt(t, c, base64.StdEncoding.EncodeToString(ct))
		if msg == nil {
			return
		}
		body := plain[:len(plain)-int(plain[len(plain)-1])]
		require.Equal(t, uint32(len(msg)), binary.BigEndian.Uint32(body[16:20]), "the message is as long as its frame says")
		require.Equal(t, string(msg), string(body[20:20+len(msg)]))
		require.Equal(t, vecCorp, string(body[20+len(msg):]), "and it is for us")
	})
}

// checkDecrypt decrypts encrypted: refused with one of the errors, or
// opened to a message for us that seals again to itself. It returns the
// message, nil when refused.
func checkDecrypt(t *testing.T, c *wecom.Crypt, encrypted string) []byte {
	t.Helper()
	msg, err := c.Decrypt(encrypted)
	if err != nil {
		require.Nil(t, msg, "a refused ciphertext gives nothing")
		require.True(t, errors.Is(err, wecom.ErrBadCiphertext) || errors.Is(err, wecom.ErrWrongReceiver), "%v", err)
		return nil
	}
	again, err := c.Encrypt(msg)
	require.NoError(t, err)
	got, err := c.Decrypt(again)
	require.NoError(t, err)
	require.Equal(t, msg, got)
	if msg == nil {
		msg = []byte{}
	}
	return msg
}

func FuzzCryptRoundTrip(f *testing.F) {
	f.Add([]byte(vecPlain), vecTimestamp, vecNonce, uint16(0), byte(1))
	f.Add([]byte(textXML("LiWei", 101, "Shipped <b>it</b> @all")), "1700000000", "nonce1", uint16(7), byte(0x80))
	f.Add([]byte(""), "", "", uint16(39), byte(0xff))
	f.Add([]byte(strings.Repeat("x", 44)), "1", "2", uint16(100), byte(' '))
	c, err := wecom.NewCrypt(vecToken, vecKey, vecCorp)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, msg []byte, timestamp, nonce string, at uint16, flip byte) {
		enc, err := c.Encrypt(msg)
		require.NoError(t, err)
		got, err := c.Decrypt(enc)
		require.NoError(t, err)
		require.Equal(t, string(msg), string(got), "decrypt(encrypt(x)) == x")

		sig := c.Sign(timestamp, nonce, enc)
		require.NoError(t, c.Verify(sig, timestamp, nonce, enc), "what Sign made verifies")
		if flip == 0 {
			flip = 1
		}
		bad := []byte(sig)
		bad[int(at)%len(bad)] ^= flip
		require.ErrorIs(t, c.Verify(string(bad), timestamp, nonce, enc), wecom.ErrBadSignature, "a changed signature")
		badEnc := []byte(enc)
		badEnc[int(at)%len(badEnc)] ^= flip
		require.ErrorIs(t, c.Verify(sig, timestamp, nonce, string(badEnc)), wecom.ErrBadSignature, "a changed ciphertext")
		if timestamp != "" {
			require.ErrorIs(t, c.Verify(sig, timestamp+"0", nonce, enc), wecom.ErrBadSignature, "a changed timestamp")
		}

		other, err := wecom.NewCrypt(vecToken, vecKey, "wwsomeoneelse")
		require.NoError(t, err)
		_, err = other.Decrypt(enc)
		require.ErrorIs(t, err, wecom.ErrWrongReceiver, "a message for another corp")
	})
}

// refuseAll is a transport that reaches nothing: a voice callback's media
// download fails at once, and the event goes on without audio.
type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in fuzzing")
}

// fuzzCallbacks is the callback endpoint of an adapter, called in process.
type fuzzCallbacks struct {
	mux   *http.ServeMux
	crypt *wecom.Crypt
	rec   *recorder
	clock func() time.Time
}

func newFuzzCallbacks(f *testing.F, clock func() time.Time) *fuzzCallbacks {
	ds := memory.New(clock)
	f.Cleanup(func() { ds.Close() })
	a, err := wecom.New(testConfig("http://wecom.invalid"), wecom.Options{
		Dialog: ds, HTTPClient: &http.Client{Transport: refuseAll{}}, Clock: clock,
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	require.NoError(f, err)
	c, err := wecom.NewCrypt(vecToken, vecKey, corp)
	require.NoError(f, err)
	fc := &fuzzCallbacks{mux: http.NewServeMux(), crypt: c, rec: &recorder{}, clock: clock}
	a.Mount(fc.mux, fc.rec)
	return fc
}

// post delivers body signed over encrypted, and returns the status and the
// events it handed on.
func (fc *fuzzCallbacks) post(t *testing.T, body, encrypted string) (int, []bot.Event) {
	t.Helper()
	return fc.postAt(t, body, encrypted, strconv.FormatInt(fc.clock().Unix(), 10))
}

// postAt is post with the timestamp ts.
func (fc *fuzzCallbacks) postAt(t *testing.T, body, encrypted, ts string) (int, []bot.Event) {
	t.Helper()
	q := url.Values{"msg_signature": {fc.crypt.Sign(ts, "nonce1", encrypted)}, "timestamp": {ts}, "nonce": {"nonce1"}}
	req := httptest.NewRequest(http.MethodPost, wecom.CallbackPath+"?"+q.Encode(), strings.NewReader(body))
	w := httptest.NewRecorder()
	before := len(fc.rec.Events())
	fc.mux.ServeHTTP(w, req)
	require.Empty(t, w.Body.String(), "WeCom gets an empty body")
	return w.Code, fc.rec.Events()[before:]
}

// postInner delivers a decrypted callback as WeCom does.
func (fc *fuzzCallbacks) postInner(t *testing.T, inner []byte) (int, []bot.Event) {
	t.Helper()
	enc, err := fc.crypt.Encrypt(inner)
	require.NoError(t, err)
	return fc.post(t, envelopeXML(enc), enc)
}

var eventKinds = []bot.EventKind{bot.KindMessage, bot.KindVoice, bot.KindAction, bot.KindUnsupported, bot.KindApproval}

// FuzzCallbackInner fuzzes the decrypted XML of a callback, the part only
// WeCom's key protects, through parsing and translation into an event.
func FuzzCallbackInner(f *testing.F) {
	for _, s := range []string{
		textXML("LiWei", 101, "Shipped <b>it</b> @all"), voiceXML("LiWei", 102, "voice-1"),
		clickXML("LiWei", 1700000500, "start:12:3", "pb-task", "code-1"), eventXML("LiWei", "enter_agent"),
		approvalXML("201910220003", "转正申请", 2, "WuJunJie"), approvalXML("201910220003", "转正申请", 1, "WuJunJie"),
		approvalXML("", "x", 2, "WuJunJie"), approvalXML("1", "x", 2, ""),
		strings.Replace(voiceXML("LiWei", 104, "x"), "voice", "image", 1),
		`<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>`,
		`<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><MsgId>1</MsgId><CreateTime>-99999999999999</CreateTime></xml>`,
		`<xml><FromUserName></FromUserName><MsgType>text</MsgType><MsgId>1</MsgId></xml>`,
		`<xml><FromUserName>u</FromUserName><MsgType>event</MsgType><Event>template_card_event</Event><CreateTime>x</CreateTime></xml>`,
		`<xml><FromUserName>u</FromUserName><FromUserName>v</FromUserName><MsgType>voice</MsgType><MsgId>7</MsgId><Format>SPEEX</Format></xml>`,
		"not xml at all", "",
	} {
		f.Add([]byte(s))
	}
	fc := newFuzzCallbacks(f, time.Now)
	f.Fuzz(func(t *testing.T, inner []byte) {
		code, evs := fc.postInner(t, inner)
		switch code {
		case http.StatusBadRequest:
			require.Empty(t, evs, "a refused callback hands nothing on")
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d", code)
		}
		if len(evs) == 0 {
			return // acknowledged and ignored: entering the app and the like
		}
		require.Len(t, evs, 1)
		ev := evs[0]
		require.NotEmpty(t, ev.ID, "the engine dedupes on the id")
		require.Equal(t, bot.WeCom, ev.From.Platform)
		require.Equal(t, corp, ev.From.Tenant)
		require.NotEmpty(t, ev.From.UserID)
		require.Contains(t, eventKinds, ev.Kind)
		if ev.Kind == bot.KindApproval {
			require.NotNil(t, ev.Approval)
			require.NotEmpty(t, ev.Approval.ID)
		}
		if ev.Kind == bot.KindVoice {
			require.NotNil(t, ev.Voice)
			require.NotEmpty(t, ev.Voice.Format)
		}

		// WeCom's retry of the same callback is the same event.
		code, again := fc.postInner(t, inner)
		require.Equal(t, http.StatusOK, code)
		require.Len(t, again, 1)
		require.Equal(t, ev, again[0])
	})
}

// FuzzCallbackEnvelope fuzzes the outer XML. "$" in it stands for a real
// ciphertext of a text message, signed as WeCom signs it, so the fuzzer
// can move it about the envelope.
func FuzzCallbackEnvelope(f *testing.F) {
	for _, s := range []string{
		envelopeXML("$"), "<xml><Encrypt>$</Encrypt></xml>", "<xml><Encrypt><![CDATA[$]]></Encrypt><Encrypt>AAAA</Encrypt></xml>",
		"<xml><Encrypt>AAAA</Encrypt><Encrypt>$</Encrypt></xml>", "<Encrypt>$</Encrypt>", "<xml><Encrypt>", "<xml><Encrypt>$",
		`<?xml version="1.0" encoding="GBK"?><xml><Encrypt>$</Encrypt></xml>`, "<xml><a><Encrypt>$</Encrypt></a></xml>", "$", "",
	} {
		f.Add(s)
	}
	fc := newFuzzCallbacks(f, time.Now)
	want := bot.Event{ID: "7", From: bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "LiWei"},
		Kind: bot.KindMessage, Text: "hi", At: time.Unix(1700000007, 0).UTC()}
	f.Fuzz(func(t *testing.T, envelope string) {
		enc, err := fc.crypt.Encrypt([]byte(textXML("LiWei", 7, "hi")))
		require.NoError(t, err)
		code, evs := fc.post(t, strings.ReplaceAll(envelope, "$", enc), enc)
		if code != http.StatusOK {
			require.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, code)
			require.Empty(t, evs, "a refused callback hands nothing on")
			return
		}
		require.Equal(t, []bot.Event{want}, evs, "accepted only with the signed ciphertext, which is this message")
	})
}

// FuzzCallbackTimestamp fuzzes the timestamp a callback is signed with: it
// is taken only as whole seconds within ten minutes of the adapter's clock,
// so a callback captured long ago cannot be played again.
func FuzzCallbackTimestamp(f *testing.F) {
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for _, ts := range []string{"1796284800", "1796284200", "1796284199", "1796285401", "1764748800", "",
		"-1", "+1796284800", "1796284800.5", " 1796284800", "99999999999999999999", "0x6b10e600"} {
		f.Add(ts)
	}
	fc := newFuzzCallbacks(f, func() time.Time { return at })
	var n int64
	f.Fuzz(func(t *testing.T, ts string) {
		n++
		enc, err := fc.crypt.Encrypt([]byte(textXML("LiWei", n, "hi")))
		require.NoError(t, err)
		code, evs := fc.postAt(t, envelopeXML(enc), enc, ts)
		sec, perr := strconv.ParseInt(ts, 10, 64)
		fresh := perr == nil && sec >= at.Add(-10*time.Minute).Unix() && sec <= at.Add(10*time.Minute).Unix()
		if fresh {
			require.Equal(t, http.StatusOK, code, "a fresh timestamp %q is taken", ts)
			require.Len(t, evs, 1)
			return
		}
		require.Equal(t, http.StatusForbidden, code, "timestamp %q", ts)
		require.Empty(t, evs)
	})
}
