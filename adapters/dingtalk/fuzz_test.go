package dingtalk

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

// refuseAll is a transport that reaches nothing: a voice note's download
// fails at once, and the event goes on without audio.
type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in fuzzing")
}

// fuzzAdapter is an HTTP-mode adapter that reaches no DingTalk, its routes
// on a mux, its events in a recorder.
type fuzzAdapter struct {
	a     *Adapter
	mux   *http.ServeMux
	rec   *recorder
	n     int64  // robot messages posted
	stamp string // the timestamp of the last
}

func newFuzzAdapter(f *testing.F) *fuzzAdapter {
	ds := memory.New(func() time.Time { return httpNow })
	f.Cleanup(func() { ds.Close() })
	cfg := Config{
		ClientID: testClient, ClientSecret: testSecret, RobotCode: testClient, Mode: ModeHTTP, Buttons: ButtonsActionCard,
		APIBase: "http://dingtalk.invalid", OAPIBase: "http://dingtalk.invalid", CorpID: testCorp,
		CallbackToken: "tokenxxxx", CallbackAESKey: testAESKey,
	}
	a, err := New(cfg, Options{Dialog: ds, Clock: func() time.Time { return httpNow }, HTTPClient: &http.Client{Transport: refuseAll{}}, retry: fastRetry})
	require.NoError(f, err)
	fa := &fuzzAdapter{a: a, mux: http.NewServeMux(), rec: &recorder{}}
	a.Mount(fa.mux, fa.rec)
	return fa
}

// robot posts a robot message, signed with a timestamp of its own (a
// signature is taken once), and returns the status and the events handed
// on. The timestamp is older than sharedFor: a replay under it is refused.
func (fa *fuzzAdapter) robot(body []byte) (int, []bot.Event) {
	fa.n++
	old := httpNow.Add(-sharedFor - time.Millisecond).UnixMilli()
	fa.stamp = strconv.FormatInt(old-fa.n%(maxSkew-sharedFor).Milliseconds(), 10)
	return fa.signed(body, fa.stamp)
}

// again posts body signed as the last robot message was.
func (fa *fuzzAdapter) again(body []byte) (int, []bot.Event) { return fa.signed(body, fa.stamp) }

func (fa *fuzzAdapter) signed(body []byte, stamp string) (int, []bot.Event) {
	req := httptest.NewRequest(http.MethodPost, "/dingtalk/robot", bytes.NewReader(body))
	req.Header.Set("timestamp", stamp)
	req.Header.Set("sign", RobotSign(testSecret, stamp))
	w := httptest.NewRecorder()
	before := len(fa.rec.Events())
	fa.mux.ServeHTTP(w, req)
	return w.Code, fa.rec.Events()[before:]
}

var eventKinds = []bot.EventKind{bot.KindMessage, bot.KindVoice, bot.KindAction, bot.KindUnsupported}

// checkEvent checks what every event the adapter hands on must be.
func checkEvent(t *testing.T, ev bot.Event) {
	t.Helper()
	require.NotEmpty(t, ev.ID, "the engine dedupes on the id")
	require.Equal(t, bot.Identity{Platform: bot.DingTalk, Tenant: testCorp, UserID: ev.From.UserID}, ev.From)
	require.NotEmpty(t, ev.From.UserID, "an event is someone's")
	require.Contains(t, eventKinds, ev.Kind)
	if ev.Kind == bot.KindAction {
		require.NotEmpty(t, ev.Action)
		require.Empty(t, ev.Text)
	}
}

func FuzzRobotCallback(f *testing.F) {
	seeds := []any{
		map[string]any{"msgId": "m1", "msgtype": "text", "text": map[string]string{"content": " hello "}, "senderStaffId": "emp01",
			"conversationType": "1", "conversationId": "cid1", "createAt": 1795766400000},
		map[string]any{"msgId": "m2", "msgtype": "text", "text": map[string]string{"content": "开始 " + clickText(bot.Button{Label: "开始", Value: "start:12:3"})},
			"senderStaffId": "emp01", "conversationType": "1"},
		map[string]any{"msgId": "m3", "msgtype": "text", "text": map[string]string{"content": "@perfbot checkin"}, "senderStaffId": "emp01",
			"conversationType": "2", "conversationId": "cidGroup"},
		map[string]any{"msgId": "m4", "msgtype": "audio", "content": map[string]any{"duration": 4000, "downloadCode": "dc1", "recognition": " 本周完成了发布 "},
			"senderStaffId": "emp01", "conversationType": "1"},
		map[string]any{"msgId": "m5", "msgtype": "audio", "content": "not an object", "senderStaffId": "emp01"},
		map[string]any{"msgId": "m6", "msgtype": "picture", "content": map[string]any{"downloadCode": "x"}, "senderStaffId": "emp01"},
		map[string]any{"msgId": "m7", "msgtype": "text", "senderStaffId": "e"},
		map[string]any{"msgId": "m8", "msgtype": "text", "text": map[string]string{"content": "hi"}, "senderId": "$:LWCP_v1:$abc"},
		map[string]any{"msgtype": "text", "text": map[string]string{"content": "no id"}, "senderStaffId": "emp01"},
		map[string]any{"msgId": "m9", "msgtype": "text", "text": map[string]string{"content": "hi"}, "senderStaffId": "emp01",
			"chatbotCorpId": testCorp, "senderCorpId": testCorp},
		map[string]any{"msgId": "m10", "msgtype": "text", "text": map[string]string{"content": "hi"}, "senderStaffId": "emp01",
			"chatbotCorpId": "dingother", "senderCorpId": testCorp},
		map[string]any{"msgId": "m11", "msgtype": "text", "text": map[string]string{"content": "hi"}, "senderStaffId": "emp01",
			"senderCorpId": "dingother"},
	}
	for _, s := range seeds {
		b, err := json.Marshal(s)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"msgId": 7}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	fa := newFuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		code, evs := fa.robot(body)
		if code != http.StatusOK {
			var m chatbot.BotCallbackDataModel
			if code == http.StatusForbidden {
				require.NoError(t, json.Unmarshal(body, &m))
				require.True(t, m.ChatbotCorpId != testCorp && m.ChatbotCorpId != "" || m.SenderCorpId != testCorp && m.SenderCorpId != "",
					"refused as another organisation's: %s", body)
			} else {
				require.Equal(t, http.StatusBadRequest, code)
			}
			require.Empty(t, evs, "a refused message hands nothing on")
			return
		}
		require.Len(t, evs, 1)
		ev := evs[0]
		checkEvent(t, ev)
		if ev.Kind == bot.KindMessage {
			require.Equal(t, strings.TrimSpace(ev.Text), ev.Text)
		}
		if ev.Group {
			require.NotEqual(t, bot.KindAction, ev.Kind, "a click is the clicker's own, never a group's")
		}

		// DingTalk's redelivery of the message is the same event.
		code, again := fa.again(body)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, evs, again)
		// Another message under the same signature is a replay.
		other, err := json.Marshal(map[string]any{"msgId": ev.ID + "-replayed", "msgtype": "text",
			"text": map[string]string{"content": "replayed"}, "senderStaffId": "emp01"})
		require.NoError(t, err)
		code, replayed := fa.again(other)
		require.Equal(t, http.StatusUnauthorized, code)
		require.Empty(t, replayed)
	})
}

func FuzzRobotSign(f *testing.F) {
	f.Add(int64(0), "", uint8(0), byte(1))
	f.Add(int64(-59*60*1000), "bm90IHRoZSBzaWdu", uint8(43), byte(0x20))
	f.Add(int64(61*60*1000), "", uint8(3), byte(0xff))
	a := &Adapter{cfg: Config{ClientSecret: testSecret}, now: func() time.Time { return httpNow }}
	f.Fuzz(func(t *testing.T, offsetMillis int64, sign string, at uint8, flip byte) {
		ts := httpNow.UnixMilli() + offsetMillis%(3*3600*1000)
		stamp := strconv.FormatInt(ts, 10)
		good := RobotSign(testSecret, stamp)
		fresh := time.UnixMilli(ts).Sub(httpNow).Abs() <= maxSkew
		if age, err := a.verifyRobot(stamp, good); fresh {
			require.NoError(t, err, "what RobotSign makes verifies")
			require.Equal(t, httpNow.Sub(time.UnixMilli(ts)), age)
		} else {
			require.ErrorIs(t, err, ErrBadSignature, "too far off: a replay")
		}
		if flip == 0 {
			flip = 1
		}
		bad := []byte(good)
		bad[int(at)%len(bad)] ^= flip
		_, err := a.verifyRobot(stamp, string(bad))
		require.ErrorIs(t, err, ErrBadSignature, "a changed sign")
		if sign != good {
			_, err := a.verifyRobot(stamp, sign)
			require.ErrorIs(t, err, ErrBadSignature)
		}
		if sign != stamp {
			_, err := a.verifyRobot(sign, good)
			require.ErrorIs(t, err, ErrBadSignature, "a timestamp that is not the signed one")
		}
	})
}

func FuzzClickValue(f *testing.F) {
	f.Add("开始", "start:12:3", "开始 [#pb.c3RhcnQ6MTI6Mw]")
	f.Add("Skip [x]", "skip:12:3", "Skip [#pb.] [#pb.c2tpcA]  ")
	f.Add("[#pb.YQ]", "中文:1", "[#pb.!!]")
	f.Add("", strings.Repeat("v", 90), "[#pb."+strings.Repeat("A", 121)+"]")
	f.Fuzz(func(t *testing.T, label, value, text string) {
		if v, ok := clickValue(text); ok {
			require.NotEmpty(t, v)
			again, ok := clickValue(clickText(bot.Button{Label: text, Value: v}))
			require.True(t, ok)
			require.Equal(t, v, again)
		}
		// A button's click comes back as its value, whatever its label. The
		// marker holds values of up to 90 bytes (120 base64 characters):
		// perfbot's values are action:round:seq[:arg], far shorter.
		if value == "" || len(value) > 90 {
			return
		}
		sent := clickText(bot.Button{Label: label, Value: value})
		got, ok := clickValue(sent)
		require.True(t, ok, sent)
		require.Equal(t, value, got)
		content, err := url.QueryUnescape(strings.TrimPrefix(clickURL(bot.Button{Label: label, Value: value}), "dtmd://dingtalkclient/sendMessage?content="))
		require.NoError(t, err)
		require.Equal(t, sent, content, "the link sends the click's text")
	})
}

// cardFrame is the stream frame of a card callback with data as its data.
func cardFrame(data string) *payload.DataFrame {
	return &payload.DataFrame{SpecVersion: "1.0", Type: "CALLBACK", Time: 1795766400000, Data: data,
		Headers: payload.DataFrameHeader{"topic": payload.CardInstanceCallbackTopic, "messageId": "frame1"}}
}

func FuzzCardCallback(f *testing.F) {
	content := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(f, err)
		return string(b)
	}
	for _, d := range []map[string]any{
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{buttonID("start:12:3")}, "params": map[string]any{}}}),
			"corpId": testCorp, "outTrackId": "pbcardABC", "type": "actionCallback", "userId": "emp01", "userIdType": 1},
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{"other"}, "params": map[string]any{"id": buttonID("mood:1:2:4")}}}),
			"outTrackId": "pbcardX", "userId": "emp01"},
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{"pb_zz", "pb_"}}}), "outTrackId": "pbcardX", "userId": "emp01"},
		{"content": "{", "outTrackId": "pbcardX", "userId": "emp01"},
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{buttonID("a")}}}), "outTrackId": "theirs", "userId": "emp01"},
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{buttonID("a")}}}), "outTrackId": "pbcardX", "userId": "emp01", "corpId": "dingother"},
		{"content": content(map[string]any{"cardPrivateData": map[string]any{"actionIds": []string{buttonID("a")}}}), "outTrackId": "pbcardX", "userId": "u", "userIdType": 2},
	} {
		f.Add(content(d), "start:12:3", "pb_73746172743a31323a33")
	}
	f.Add("", "中文:1", "pb_")
	f.Add("null", "", "pb_zz")
	fa := newFuzzAdapter(f)
	handle := card.NewDefaultPluginFrameHandler(fa.a.onCardCallback(fa.rec)).OnEventReceived
	f.Fuzz(func(t *testing.T, data, value, id string) {
		// A button's id carries its value, whatever the value.
		if v, ok := buttonValue(id); ok {
			require.NotEmpty(t, v)
			require.Equal(t, strings.ToLower(id), buttonID(v), "ids are hex, either case")
		}
		bid := buttonID(value)
		require.Regexp(t, `^pb_[0-9a-f]*$`, bid, "ids are letters, digits and _")
		got, ok := buttonValue(bid)
		require.Equal(t, value != "", ok)
		require.Equal(t, value, got)

		tap := func() []bot.Event {
			before := len(fa.rec.Events())
			_, _ = handle(context.Background(), cardFrame(data))
			return fa.rec.Events()[before:]
		}
		evs := tap()
		if len(evs) == 0 {
			return
		}
		require.Len(t, evs, 1)
		ev := evs[0]
		checkEvent(t, ev)
		require.Equal(t, bot.KindAction, ev.Kind)
		require.True(t, isCardRef(string(ev.Ref)), "a click is on a card perfbot sent")
		require.Equal(t, evs, tap(), "a redelivered click is the same event")
	})
}

// FuzzCallbackCrypto checks the callback crypto: decrypt(encrypt(x)) == x,
// any change to the signature or the ciphertext is refused, and decrypt
// refuses what anyone may send, or the decrypted bytes themselves (frame:
// random, length, message, receiver and padding, each of which may be
// wrong), with ErrBadSignature.
func FuzzCallbackCrypto(f *testing.F) {
	const enc = "X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ=="
	frame := func(msg, receiver string) []byte {
		b := binary.BigEndian.AppendUint32(make([]byte, 16), uint32(len(msg)))
		return append(append(b, msg...), receiver...)
	}
	f.Add([]byte("success"), "1605695694141", "WelUQl6bCqcBa2fM", "f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", enc, uint16(0), byte(1), frame("success", "dingxxxxxx"))
	f.Add([]byte(`{"EventType":"check_url"}`), "1", "n", "F36F4BA5337D426C7D4BCA0DBCB06B3DDC1388FC", enc, uint16(5), byte(0x80), frame("success", "dingother"))
	f.Add([]byte(""), "", "", "", "", uint16(9), byte(0xff), frame("", testClient))
	f.Add([]byte("x"), "1", "2", "3", "!!!", uint16(1), byte(2), append(frame("x", "")[:16], 0xff, 0xff, 0xff, 0xff))
	f.Add([]byte("y"), "1", "2", "3", "AAAA", uint16(1), byte(2), make([]byte, 32))
	c, err := newCallbackCrypto("tokenxxxx", testAESKey, "dingxxxxxx", testClient)
	require.NoError(f, err)
	other, err := newCallbackCrypto("tokenxxxx", testAESKey, "dingother")
	require.NoError(f, err)
	block, err := aes.NewCipher(c.key)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, msg []byte, ts, nonce, sig, encrypt string, at uint16, flip byte, plain []byte) {
		// Anything refused is ErrBadSignature.
		if plain, err := c.decrypt(sig, ts, nonce, encrypt); err != nil {
			require.ErrorIs(t, err, ErrBadSignature)
			require.Nil(t, plain)
		} else {
			require.Equal(t, c.signature(ts, nonce, encrypt), strings.ToLower(sig))
		}
		checkFrame(t, c, block, plain)

		encrypted, signature, err := c.encrypt(msg, ts, nonce)
		require.NoError(t, err)
		got, err := c.decrypt(signature, ts, nonce, encrypted)
		require.NoError(t, err)
		require.Equal(t, string(msg), string(got), "decrypt(encrypt(x)) == x")
		got, err = c.decrypt(strings.ToUpper(signature), ts, nonce, encrypted)
		require.NoError(t, err, "the signature's hex in either case")
		require.Equal(t, string(msg), string(got))

		if flip == 0 {
			flip = 1
		}
		bad := []byte(signature)
		bad[int(at)%len(bad)] ^= flip
		if !strings.EqualFold(string(bad), signature) {
			_, err = c.decrypt(string(bad), ts, nonce, encrypted)
			require.ErrorIs(t, err, ErrBadSignature, "a changed signature")
		}
		badEnc := []byte(encrypted)
		badEnc[int(at)%len(badEnc)] ^= flip
		_, err = c.decrypt(signature, ts, nonce, string(badEnc))
		require.ErrorIs(t, err, ErrBadSignature, "a changed ciphertext")
		_, err = other.decrypt(other.signature(ts, nonce, encrypted), ts, nonce, encrypted)
		require.ErrorIs(t, err, ErrBadSignature, "a message for another app")
	})
}

// checkFrame encrypts plain, padded unless the fuzzer chose whole blocks
// and so its own padding, and checks what decrypt makes of it.
func checkFrame(t *testing.T, c *callbackCrypto, block cipher.Block, plain []byte) {
	t.Helper()
	if n := len(plain) % aes.BlockSize; n != 0 || len(plain) == 0 {
		plain = append(plain, bytes.Repeat([]byte{byte(blockSize - n)}, blockSize-n)...)
	}
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, c.key[:aes.BlockSize]).CryptBlocks(ct, plain)
	encrypt := base64.StdEncoding.EncodeToString(ct)
	msg, err := c.decrypt(c.signature("1", "n", encrypt), "1", "n", encrypt)
	if err != nil {
		require.ErrorIs(t, err, ErrBadSignature)
		return
	}
	body := plain[:len(plain)-int(plain[len(plain)-1])]
	require.Equal(t, uint32(len(msg)), binary.BigEndian.Uint32(body[16:20]), "the message is as long as its frame says")
	require.Equal(t, string(msg), string(body[20:20+len(msg)]))
	require.Contains(t, []string{"dingxxxxxx", testClient}, string(body[20+len(msg):]), "and it is for us")
}

// FuzzEventCallback fuzzes an event subscription's body. "$" in it stands
// for a real ciphertext of plain, signed in the query.
func FuzzEventCallback(f *testing.F) {
	f.Add(`{"encrypt": "$"}`, []byte(`{"EventType":"check_url"}`))
	f.Add(`{"encrypt": "$", "encrypt": "AAAA"}`, []byte(`{"EventType":"user_add_org","UserId":["u1"]}`))
	f.Add(`{"encrypt": "$"}`, []byte(`{"EventType":"bpms_instance_change","type":"finish","result":"agree","processInstanceId":"p1","staffId":"u1","processCode":"PROC-1","finishTime":1499309117000}`))
	f.Add(`{"encrypt": "$"}`, []byte(`{"EventType":"bpms_instance_change","type":"terminate","processInstanceId":"p1","staffId":""}`))
	f.Add(`{"encrypt": ""}`, []byte(``))
	f.Add(`{"encrypt": 1}`, []byte(`not json`))
	f.Add(`[]`, []byte(`{}`))
	f.Add(`{"encrypt": "$"} trailing`, []byte(`{"EventType": 5}`))
	fa := newFuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body string, plain []byte) {
		enc, sig, err := fa.a.events.encrypt(plain, "1605695694141", "WelUQl6b")
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/dingtalk/events?msg_signature="+sig+"&timestamp=1605695694141&nonce=WelUQl6b",
			strings.NewReader(strings.ReplaceAll(body, "$", enc)))
		w := httptest.NewRecorder()
		fa.mux.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			require.Contains(t, []int{http.StatusBadRequest, http.StatusUnauthorized}, w.Code)
			return
		}
		var reply map[string]string
		require.NoError(t, json.NewDecoder(w.Body).Decode(&reply))
		got, err := fa.a.events.decrypt(reply["msg_signature"], reply["timeStamp"], reply["nonce"], reply["encrypt"])
		require.NoError(t, err)
		require.Equal(t, "success", string(got), "DingTalk hears an encrypted success")
	})
}
