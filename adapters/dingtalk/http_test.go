package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

const testAESKey = "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus"

var httpNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func httpAdapter(t *testing.T, h bot.Handler) (*Adapter, *httptest.Server) {
	fake := newFake(t)
	cfg := fake.config()
	cfg.Mode, cfg.CallbackToken, cfg.CallbackAESKey = ModeHTTP, "tokenxxxx", testAESKey
	a := fake.adapter(cfg, func() time.Time { return httpNow }, nil)
	mux := http.NewServeMux()
	a.Mount(mux, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return a, srv
}

func postRobot(t *testing.T, url string, ts time.Time, sign string, body any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url+"/dingtalk/robot", bytes.NewReader(raw))
	stamp := strconv.FormatInt(ts.UnixMilli(), 10)
	if sign == "" {
		sign = RobotSign(testSecret, stamp)
	}
	req.Header.Set("timestamp", stamp)
	req.Header.Set("sign", sign)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRobotCallbackVerified(t *testing.T) {
	rec := &recorder{}
	a, srv := httpAdapter(t, rec)
	msg := map[string]any{"msgId": "m1", "msgtype": "text", "text": map[string]string{"content": " hello "},
		"senderStaffId": "emp01", "conversationType": "1", "conversationId": "cid1"}

	require.Equal(t, http.StatusUnauthorized, postRobot(t, srv.URL, httpNow, "bm90IHRoZSBzaWdu", msg))
	require.Equal(t, http.StatusUnauthorized, postRobot(t, srv.URL, httpNow.Add(-61*time.Minute), "", msg), "too old")
	require.Equal(t, http.StatusUnauthorized, postRobot(t, srv.URL, httpNow.Add(61*time.Minute), "", msg), "too far ahead")
	require.Empty(t, rec.Events(), "nothing refused is handled")

	require.Equal(t, http.StatusOK, postRobot(t, srv.URL, httpNow.Add(-59*time.Minute), "", msg))
	evs := rec.Events()
	require.Len(t, evs, 1)
	require.Equal(t, bot.Event{ID: "m1", From: a.identity("emp01"), Kind: bot.KindMessage, Text: "hello", At: httpNow}, evs[0])
}

// Found by FuzzRobotCallback: a message without senderStaffId (an external
// contact) was handed on as an event of no one.
func TestRobotMessageWithoutStaffIDIsRefused(t *testing.T) {
	rec := &recorder{}
	a, srv := httpAdapter(t, rec)
	msg := map[string]any{"msgId": "m1", "msgtype": "text", "text": map[string]string{"content": "hi"}, "senderId": "$:LWCP_v1:$abc"}
	require.Equal(t, http.StatusBadRequest, postRobot(t, srv.URL, httpNow, "", msg))
	a.onBotMessage(rec)(context.Background(), &chatbot.BotCallbackDataModel{MsgId: "m2", Msgtype: "text"})
	require.Empty(t, rec.Events(), "in HTTP and in stream mode")
}

func TestEventCallbackAnsweredWithEncryptedSuccess(t *testing.T) {
	a, srv := httpAdapter(t, &recorder{})
	c, err := newCallbackCrypto("tokenxxxx", testAESKey, testClient)
	require.NoError(t, err)
	enc, sig, err := c.encrypt([]byte(`{"EventType":"check_url"}`), "1605695694141", "WelUQl6b")
	require.NoError(t, err)

	post := func(sig string) *http.Response {
		body, _ := json.Marshal(map[string]string{"encrypt": enc})
		resp, err := http.Post(srv.URL+"/dingtalk/events?msg_signature="+sig+"&timestamp=1605695694141&nonce=WelUQl6b", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	require.Equal(t, http.StatusUnauthorized, post("0000").StatusCode)

	resp := post(sig)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var reply map[string]string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	require.Equal(t, strconv.FormatInt(httpNow.UnixMilli(), 10), reply["timeStamp"])
	got, err := a.events.decrypt(reply["msg_signature"], reply["timeStamp"], reply["nonce"], reply["encrypt"])
	require.NoError(t, err)
	require.Equal(t, "success", string(got))
}

// An event is handed on before DingTalk is acknowledged.
func TestHTTPModeHandsOnBeforeAcknowledging(t *testing.T) {
	rec := &recorder{}
	a, srv := httpAdapter(t, rec)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Receive(ctx, rec) }()
	require.Equal(t, http.StatusOK, postRobot(t, srv.URL, httpNow, "", map[string]any{"msgId": "m9", "msgtype": "text", "senderStaffId": "e"}))
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Len(t, rec.Events(), 1, "handed on before the acknowledgement")
}

// A body over 1 MiB is refused as too large, as WeCom and Slack refuse it,
// not as a malformed one, and nothing is handled.
func TestCallbackOverOneMiBIs413(t *testing.T) {
	rec := &recorder{}
	_, srv := httpAdapter(t, rec)
	huge := strings.Repeat("a", maxBody)
	msg := map[string]any{"msgId": "m1", "msgtype": "text", "text": map[string]string{"content": huge},
		"senderStaffId": "emp01", "conversationType": "1", "conversationId": "cid1"}
	require.Equal(t, http.StatusRequestEntityTooLarge, postRobot(t, srv.URL, httpNow, "", msg))

	body, _ := json.Marshal(map[string]string{"encrypt": huge})
	resp, err := http.Post(srv.URL+"/dingtalk/events?msg_signature=x&timestamp=1605695694141&nonce=WelUQl6b", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	require.Empty(t, rec.Events())
	// The same message, short, is taken: the 413 was the size's.
	msg["text"] = map[string]string{"content": "hello"}
	require.Equal(t, http.StatusOK, postRobot(t, srv.URL, httpNow, "", msg))
}

// The robot sign covers the timestamp, not the body: a captured pair is
// taken once. DingTalk delivering the same message again is let through
// (the inbox keeps it once); another message under it is refused, on every
// replica sharing the dialog store.
func TestRobotSignatureIsTakenOnce(t *testing.T) {
	fake := newFake(t)
	cfg := fake.config()
	cfg.Mode, cfg.Buttons = ModeHTTP, ButtonsActionCard
	ds := memory.New(func() time.Time { return httpNow })
	t.Cleanup(func() { ds.Close() })
	rec := &recorder{}
	var urls []string
	for range 2 { // two replicas, one dialog store
		a := fake.adapter(cfg, func() time.Time { return httpNow }, ds)
		mux := http.NewServeMux()
		a.Mount(mux, rec)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	msg := func(id, text string) map[string]any {
		return map[string]any{"msgId": id, "msgtype": "text", "text": map[string]string{"content": text},
			"senderStaffId": "emp01", "conversationType": "1", "chatbotCorpId": testCorp, "senderCorpId": testCorp}
	}
	at := httpNow.Add(-time.Minute)
	require.Equal(t, http.StatusOK, postRobot(t, urls[0], at, "", msg("m1", "hello")))
	require.Equal(t, http.StatusOK, postRobot(t, urls[1], at, "", msg("m1", "hello")), "DingTalk's redelivery")
	require.Equal(t, http.StatusUnauthorized, postRobot(t, urls[1], at, "", msg("m2", "approve everything")), "a replay on the other replica")
	require.Equal(t, http.StatusUnauthorized, postRobot(t, urls[0], at, "", msg("m2", "approve everything")), "and again")
	require.Equal(t, http.StatusOK, postRobot(t, urls[0], at.Add(time.Millisecond), "", msg("m2", "next")), "a new signature is a new message")

	// Messages signed in the same millisecond share a pair: fresh, a few
	// may, on either replica; the one over, and any later, are refused.
	now := httpNow.Add(-2 * time.Second)
	want := []string{"m1:hello", "m1:hello", "m2:next"}
	for i := range sharedBy {
		id := fmt.Sprint("s", i)
		require.Equal(t, http.StatusOK, postRobot(t, urls[i%2], now, "", msg(id, "busy")), "message %d of one millisecond", i)
		want = append(want, id+":busy")
	}
	require.Equal(t, http.StatusUnauthorized, postRobot(t, urls[0], now, "", msg("over", "one too many")))
	var texts []string
	for _, ev := range rec.Events() {
		texts = append(texts, ev.ID+":"+ev.Text)
	}
	require.Equal(t, want, texts)
}

// A message of another organisation's robot or sender is refused, and
// nothing is handed on; in stream mode it is acknowledged and dropped.
func TestRobotMessageOfAnotherOrganisationIsRefused(t *testing.T) {
	rec := &recorder{}
	a, srv := httpAdapter(t, rec)
	msg := func(id, chatbotCorp, senderCorp string) map[string]any {
		return map[string]any{"msgId": id, "msgtype": "text", "text": map[string]string{"content": "hi"},
			"senderStaffId": "emp01", "conversationType": "1", "chatbotCorpId": chatbotCorp, "senderCorpId": senderCorp}
	}
	require.Equal(t, http.StatusForbidden, postRobot(t, srv.URL, httpNow, "", msg("m1", "dingother", testCorp)))
	require.Equal(t, http.StatusForbidden, postRobot(t, srv.URL, httpNow.Add(-time.Millisecond), "", msg("m2", testCorp, "dingother")))
	_, err := a.onBotMessage(rec)(t.Context(), &chatbot.BotCallbackDataModel{MsgId: "m3", Msgtype: "text",
		SenderStaffId: "emp01", ChatbotCorpId: "dingother"})
	require.NoError(t, err, "acknowledged, so DingTalk does not deliver it again")
	require.Empty(t, rec.Events(), "in HTTP and in stream mode")

	require.Equal(t, http.StatusOK, postRobot(t, srv.URL, httpNow.Add(-2*time.Millisecond), "", msg("m4", testCorp, testCorp)))
	require.Len(t, rec.Events(), 1)
}

// In HTTP mode the adapter needs somewhere to take signatures.
func TestHTTPModeNeedsClaims(t *testing.T) {
	cfg := Config{ClientID: testClient, ClientSecret: testSecret, Mode: ModeHTTP, Buttons: ButtonsActionCard, CorpID: testCorp}
	_, err := New(cfg, Options{})
	require.ErrorContains(t, err, "dialog store")
}

// A finished approval (bpms_instance_change, in the shape of DingTalk's
// documented callback) is handed on as an approval event of its applicant
// before DingTalk hears "success"; a started one is only answered, and a
// handler that fails gets DingTalk to deliver it again.
func TestApprovalCallbackHandedOn(t *testing.T) {
	rec := &recorder{}
	a, srv := httpAdapter(t, rec)
	post := func(plain string) int {
		enc, sig, err := a.events.encrypt([]byte(plain), "1605695694141", "WelUQl6b")
		require.NoError(t, err)
		body, _ := json.Marshal(map[string]string{"encrypt": enc})
		resp, err := http.Post(srv.URL+"/dingtalk/events?msg_signature="+sig+"&timestamp=1605695694141&nonce=WelUQl6b", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	instance := func(typ, result string) string {
		return `{"result":"` + result + `","createTime":1499308943000,"staffId":"0706600569779","bizCategoryId":"","EventType":"bpms_instance_change","type":"` + typ +
			`","url":"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInstId=c1bc186f-f5b1-4143-8dae-4634b12e8d3d#approval","title":"李胜强提交的转正申请","processInstanceId":"c1bc186f-f5b1-4143-8dae-4634b12e8d3d","finishTime":1499309117000,"corpId":"ding5c66fc540b93409235c2f4657eb6378f","processCode":"PROC-FF6Y4BE1N2-7CVY"}`
	}
	require.Equal(t, http.StatusOK, post(`{"EventType":"bpms_instance_change","type":"start","processInstanceId":"c1bc186f","staffId":"0706600569779"}`))
	require.Empty(t, rec.Events())

	rec.FailNext(1)
	require.Equal(t, http.StatusInternalServerError, post(instance("finish", "agree")))
	require.Equal(t, http.StatusOK, post(instance("finish", "agree")))
	evs := rec.Events()
	require.Len(t, evs, 2, "the failed hand-on and DingTalk's retry")
	require.Equal(t, evs[0], evs[1], "the retry is the same event, which the inbox takes once")
	require.Equal(t, bot.Event{ID: "approval:c1bc186f-f5b1-4143-8dae-4634b12e8d3d:finish", Kind: bot.KindApproval,
		From: a.identity("0706600569779"),
		Approval: &bot.Approval{ID: "c1bc186f-f5b1-4143-8dae-4634b12e8d3d", Form: "PROC-FF6Y4BE1N2-7CVY", Title: "李胜强提交的转正申请",
			URL: "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInstId=c1bc186f-f5b1-4143-8dae-4634b12e8d3d#approval", Approved: true},
		At: time.UnixMilli(1499309117000).UTC()}, evs[0])

	require.Equal(t, http.StatusOK, post(instance("finish", "refuse")))
	require.False(t, rec.Events()[2].Approval.Approved)
}
