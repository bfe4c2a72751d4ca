package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/adapters/dingtalk"
	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/internal/platformtest"
)

// The credentials perfbot is given for the fakes. The WeCom and DingTalk
// ones are the fakes' own; Slack's fake takes any bot token.
const (
	slackSecret = "loadgen-signing-secret-0123456789"
	slackTeam   = "TLOAD"
	slackToken  = "xoxb-loadgen"
)

// steps are what each person types in a whole check-in, in order: start,
// the three answers, the mood and submit. The answers name the person, so
// one lost or stored under another question shows.
func steps(p *person) []string {
	return []string{"checkin", answer(p, "done"), answer(p, "blockers"), answer(p, "next"), strconv.Itoa(mood), "submit"}
}

func answer(p *person, key string) string { return key + " by " + p.ID }

// mood is the mood everyone gives.
const mood = 4

// event is one delivery to perfbot, built once so that a retry sends the
// same event again, as the platforms do.
type event struct {
	path   string
	header http.Header
	body   []byte
	// retried marks the header of a redelivery, where the platform has one.
	retried func(h http.Header, n int)
}

func (e event) request(base string, retry int) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, base+e.path, bytes.NewReader(e.body))
	if err != nil {
		return nil, err
	}
	req.Header = e.header.Clone()
	if retry > 0 && e.retried != nil {
		e.retried(req.Header, retry)
	}
	return req, nil
}

// encoders build each platform's events: a person's seq-th message saying
// text.
var encoders = map[Platform]func(p *person, seq int, text string) (event, error){
	Slack: slackEvent, WeCom: wecomEvent, DingTalk: dingTalkEvent,
}

// slackEvent is a direct message as the Events API delivers it, signed
// with the signing secret.
func slackEvent(p *person, seq int, text string) (event, error) {
	now := time.Now()
	body, err := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": slackTeam, "api_app_id": "ALOAD",
		"event_id": fmt.Sprintf("Ev%s%02d", p.ID, seq), "event_time": now.Unix(),
		"event": map[string]any{
			"type": "message", "channel_type": "im", "channel": "D" + p.ID, "user": p.ID,
			"text": text, "ts": fmt.Sprintf("%d.%06d", now.Unix(), seq),
		},
	})
	if err != nil {
		return event{}, err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	h := http.Header{"Content-Type": {"application/json"}}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", slack.Sign(slackSecret, ts, body))
	return event{path: "/slack/events", header: h, body: body, retried: func(h http.Header, n int) {
		h.Set("X-Slack-Retry-Num", strconv.Itoa(n))
		h.Set("X-Slack-Retry-Reason", "http_timeout")
	}}, nil
}

// wecomCrypt is the fake corp's callback crypto.
var wecomCrypt = func() *wecom.Crypt {
	c, err := wecom.NewCrypt(platformtest.WeComToken, platformtest.WeComEncodingAESKey, platformtest.WeComCorp)
	if err != nil {
		panic(err) // the fake's key is a constant
	}
	return c
}()

// wecomEvent is a text message encrypted and signed as WeCom's callbacks
// are; WeCom resends the same bytes.
func wecomEvent(p *person, seq int, text string) (event, error) {
	now := time.Now()
	msgID := int64(seq)<<40 | int64(crc(p.ID))
	inner := fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>`,
		platformtest.WeComCorp, p.ID, now.Unix(), text, msgID, platformtest.WeComAgent)
	enc, err := wecomCrypt.Encrypt([]byte(inner))
	if err != nil {
		return event{}, err
	}
	ts, nonce := strconv.FormatInt(now.Unix(), 10), strconv.FormatInt(msgID, 36)
	q := url.Values{"msg_signature": {wecomCrypt.Sign(ts, nonce, enc)}, "timestamp": {ts}, "nonce": {nonce}}
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><AgentID><![CDATA[%d]]></AgentID><Encrypt><![CDATA[%s]]></Encrypt></xml>",
		platformtest.WeComCorp, platformtest.WeComAgent, enc)
	return event{path: wecom.CallbackPath + "?" + q.Encode(), header: http.Header{"Content-Type": {"text/xml"}}, body: []byte(body)}, nil
}

// crc is a stable number for a user id (FNV-1a, 32 bits), so message ids
// differ between people.
func crc(s string) uint32 {
	h := uint32(2166136261)
	for i := range len(s) {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// dingTalkEvent is a one-to-one robot message in HTTP mode, signed with
// the app secret.
func dingTalkEvent(p *person, seq int, text string) (event, error) {
	now := time.Now()
	body, err := json.Marshal(map[string]any{
		"msgId": fmt.Sprintf("msg%s%02d", p.ID, seq), "msgtype": "text", "text": map[string]string{"content": text},
		"conversationType": "1", "conversationId": "cid" + p.ID, "senderStaffId": p.ID, "senderId": "$:" + p.ID,
		"senderNick": p.Name, "senderCorpId": platformtest.DingTalkCorp, "chatbotCorpId": platformtest.DingTalkCorp,
		"createAt": now.UnixMilli(), "robotCode": platformtest.DingTalkClient,
	})
	if err != nil {
		return event{}, err
	}
	h := http.Header{"Content-Type": {"application/json"}}
	sign := func(h http.Header, _ int) {
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		h.Set("timestamp", ts)
		h.Set("sign", dingtalk.RobotSign(platformtest.DingTalkSecret, ts))
	}
	sign(h, 0)
	// DingTalk signs each delivery as it makes it.
	return event{path: "/dingtalk/robot", header: h, body: body, retried: sign}, nil
}

// fakes are the platforms' APIs perfbot sends through.
type fakes struct {
	slack    *platformtest.Slack
	wecom    *platformtest.WeCom
	dingtalk *platformtest.DingTalk
}

func startFakes() *fakes {
	o := platformtest.Options{Keep: true}
	return &fakes{slack: platformtest.NewSlack(o), wecom: platformtest.NewWeCom(o), dingtalk: platformtest.NewDingTalk(o)}
}

func (f *fakes) close() {
	f.slack.Close()
	f.wecom.Close()
	f.dingtalk.Close()
}

func (f *fakes) received(p Platform) *platformtest.Received {
	switch p {
	case Slack:
		return f.slack.Received()
	case WeCom:
		return f.wecom.Received()
	default:
		return f.dingtalk.Received()
	}
}

// env configures perfbot's three adapters against the fakes.
func (f *fakes) env() []string {
	return []string{
		"SLACK_BOT_TOKEN=" + slackToken, "SLACK_SIGNING_SECRET=" + slackSecret, "SLACK_API_URL=" + f.slack.URL(), "SLACK_TEAM_ID=" + slackTeam,
		"WECOM_CORP_ID=" + platformtest.WeComCorp, "WECOM_AGENT_ID=" + strconv.Itoa(platformtest.WeComAgent),
		"WECOM_SECRET=" + platformtest.WeComSecret, "WECOM_TOKEN=" + platformtest.WeComToken,
		"WECOM_ENCODING_AES_KEY=" + platformtest.WeComEncodingAESKey, "WECOM_API_BASE=" + f.wecom.URL(),
		"DINGTALK_CLIENT_ID=" + platformtest.DingTalkClient, "DINGTALK_CLIENT_SECRET=" + platformtest.DingTalkSecret,
		"DINGTALK_CORP_ID=" + platformtest.DingTalkCorp, "DINGTALK_MODE=http",
		"DINGTALK_API_BASE=" + f.dingtalk.URL(), "DINGTALK_OAPI_BASE=" + f.dingtalk.URL(),
	}
}

// loopback reports whether rawURL's host is this machine.
func loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.")
}
